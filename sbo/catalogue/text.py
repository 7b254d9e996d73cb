"""Plain text as HTML, escaped: paragraphs and one-item-a-line lists (the offering and trainer
pages' filters `paragraphs` and `lines_list`)."""
from __future__ import annotations

from markupsafe import Markup, escape


def paragraphs(text: str) -> Markup:
    """Plain text with blank lines between paragraphs -> <p> elements (escaped)."""
    parts = [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]
    return Markup("".join(f"<p>{escape(part)}</p>" for part in parts))


def lines_list(text: str, tag: str = "ul") -> Markup:
    """One item per line -> a <ul> (or <ol>) list (escaped)."""
    items = [line.strip().lstrip("-•").strip() for line in (text or "").splitlines() if line.strip()]
    tag = "ol" if tag == "ol" else "ul"
    return Markup(f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>")
