"""CSV files that Dutch Excel opens as they are: UTF-8 with a BOM, ';' between cells, CRLF line
ends, dates as dd-mm-jjjj, and no cell that a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response

from ..clock import local

# A cell starting with one of these is a formula to Excel/LibreOffice (tab and CR too: OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """One cell as text: dates dd-mm-jjjj (a stored moment as its day in Dutch time), None
    empty, formula-looking text prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    response = Response(csv_text(header, rows).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
