"""PDF documents (the brochure of an offering, the certificate of attendance) from Jinja templates.

WeasyPrint turns the HTML and CSS of a template into a tagged PDF (PDF/UA-1: headings, lists and
tables stay structure, so a screen reader can read the document). Fonts come from the system
(DejaVu, Debian's fonts-dejavu-core); images only from our own static folder or data: URLs —
nothing is fetched from another host.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from flask import Response, current_app, render_template


class RemoteResource(ValueError):
    """A template asked for something that is not a local static file or a data: URL."""


def _local_only(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "data":
        return weasyprint.default_url_fetcher(url)
    if parts.scheme == "file":
        static = Path(current_app.static_folder).resolve()
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(static):
            return weasyprint.default_url_fetcher(url)
    raise RemoteResource(f"not a local resource: {url[:80]}")


def render_pdf(template: str, **context) -> bytes:
    """The PDF of `template` (usually one that extends pdf/base.html) rendered with `context`."""
    html = render_template(template, **context)
    document = weasyprint.HTML(string=html, base_url=current_app.static_folder + "/",
                               url_fetcher=_local_only)
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"'})
