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


class LocalFetcher(weasyprint.URLFetcher):
    """WeasyPrint's fetcher, allowed data: URLs and files under `static` only."""

    def __init__(self, static: str):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.static = Path(static).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data" or (
                parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(self.static)):
            return super().fetch(url, headers)
        raise RemoteResource(f"not a local resource: {url[:80]}")


def render_pdf(template: str, **context) -> bytes:
    """The PDF of `template` (usually one that extends pdf/base.html) rendered with `context`."""
    return html_to_pdf(render_template(template, **context))


def html_to_pdf(html: str) -> bytes:
    document = weasyprint.HTML(string=html, base_url=current_app.static_folder + "/",
                               url_fetcher=LocalFetcher(current_app.static_folder))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"'})
