"""QR codes, shared layer: made here with segno (pure Python), never by an outside service.
`qr_svg` for a page (inline SVG with an accessible name), `qr_png` for a mail attachment or a PDF."""
from __future__ import annotations

import io

import segno
from markupsafe import Markup, escape


def qr_svg(data: str, label: str, scale: int = 4) -> Markup:
    """An inline <svg> of the QR code of `data`, announced as an image named `label`."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, dark="#000", light="#fff", svgclass="qr-code", omitsize=False)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def qr_png(data: str, scale: int = 8) -> bytes:
    """The QR code of `data` as PNG bytes (black on white, with its quiet zone)."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, dark="#000", light="#fff")
    return buffer.getvalue()
