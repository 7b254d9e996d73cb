"""Turning stored text into safe HTML: article Markdown (markdown-it-py + nh3) and plain-text
comments (escaped, line breaks kept, URLs linked with rel="nofollow ugc")."""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "a", "em", "strong", "code",
    "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
_HEADING_SHIFT = re.compile(r"<(/?)h1>")


def render_markdown(text: str) -> Markup:
    """Markdown to sanitised HTML. A `# heading` becomes <h2> (the page title is the only <h1>);
    raw HTML is shown as text, scripts and event handlers never survive; links get rel="noopener"."""
    html = _md.render(text or "")
    html = _HEADING_SHIFT.sub(r"<\1h2>", html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener")
    return Markup(clean)


_URL = re.compile(r"""\bhttps?://[^\s<>"']+""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def count_links(text: str) -> int:
    return len(_URL.findall(text or ""))


def comment_html(text: str) -> Markup:
    """Plain text to HTML: everything escaped, URLs linked (nofollow ugc), line breaks kept."""
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text or ""):
        url = match.group(0)
        stripped = url.rstrip(_TRAILING)
        out.append(str(escape(text[pos:match.start()])))
        out.append(f'<a href="{escape(stripped)}" rel="nofollow ugc">{escape(stripped)}</a>')
        out.append(str(escape(url[len(stripped):])))
        pos = match.end()
    out.append(str(escape((text or "")[pos:])))
    html = "".join(out).replace("\r\n", "\n")
    paragraphs = [p for p in re.split(r"\n{2,}", html.strip()) if p.strip()]
    return Markup("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs))


def file_size(size: int | None) -> str:
    """1234567 -> '1,2 MB'; 2048 -> '2 kB'."""
    if size is None:
        return ""
    if size < 1000 * 1000:
        return f"{max(round(size / 1000), 1)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
