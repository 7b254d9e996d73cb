"""Jinja filters for Dutch dates and prices."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime, format_time
from flask import Flask

LOCALE = "nl_NL"


def dutch_date(value: date | datetime | None, fmt: str = "d MMMM y") -> str:
    """12 maart 2027; fmt="EEEE d MMMM y" gives 'vrijdag 12 maart 2027'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt, locale=LOCALE)
    return format_date(value, fmt, locale=LOCALE)


def dutch_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "d MMMM y 'om' HH:mm", locale=LOCALE)


def dutch_time(value) -> str:
    return "" if value is None else format_time(value, "HH:mm", locale=LOCALE)


def price(cents: int | None, vat_note: bool = True) -> str:
    """129500 -> '€ 1.295,- excl. btw'; 129550 -> '€ 1.295,50 excl. btw'; 0 -> 'Gratis'."""
    if cents is None:
        return ""
    if cents == 0:
        return "Gratis"
    euros, rest = divmod(int(cents), 100)
    whole = f"{euros:,}".replace(",", ".")
    text = f"€ {whole},-" if rest == 0 else f"€ {whole},{rest:02d}"
    return f"{text} excl. btw" if vat_note else text


def register(app: Flask) -> None:
    app.add_template_filter(dutch_date, "datum")
    app.add_template_filter(dutch_datetime, "datumtijd")
    app.add_template_filter(dutch_time, "tijd")
    app.add_template_filter(price, "prijs")
