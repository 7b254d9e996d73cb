"""Helpers to read catalogue pages as a visitor would."""
from __future__ import annotations

import html
import re

CARD_TITLE = re.compile(r'<h3><a href="/aanbod/[^"]+">([^<]+)</a></h3>')


def card_titles(page_html: str) -> list[str]:
    """Titles of the offering cards in the result list, in order."""
    if 'class="cards offering-list"' not in page_html:
        return []
    results = page_html.split('class="cards offering-list"', 1)[1].split("</ul>", 1)[0]
    return [html.unescape(t) for t in CARD_TITLE.findall(results)]
