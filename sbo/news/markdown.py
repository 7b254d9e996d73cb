"""Turning stored text into safe HTML: article Markdown (markdown-it-py + nh3) and plain-text
comments (escaped, line breaks kept, URLs linked with rel="nofollow ugc", e-mail addresses
hidden on the site and marked for the moderator)."""
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
# An e-mail address typed into a comment, also written as "naam [at] domein [punt] nl".
_AT = r"(?:@|\s*[\[({]\s*(?:at|apenstaartje)\s*[\])}]\s*)"
_DOT = r"(?:\.|\s*[\[({]\s*(?:dot|punt)\s*[\])}]\s*)"
_EMAIL = re.compile(rf"(?<![\w.%+-])[\w.%+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}\b", re.IGNORECASE)
_TOKEN = re.compile(rf"(?P<email>{_EMAIL.pattern})|(?P<url>{_URL.pattern})", re.IGNORECASE)
HIDDEN_ADDRESS = "[e-mailadres verborgen]"


def count_links(text: str) -> int:
    return len(_URL.findall(text or ""))


def _address(address: str, mark: bool) -> str:
    """How an address in a comment shows: hidden on the site, marked for the moderator."""
    if not mark:
        return HIDDEN_ADDRESS
    return (f'<mark class="comment-address" title="Op de site: {HIDDEN_ADDRESS}">{escape(address)}'
            f'<span class="visually-hidden"> (e-mailadres, verborgen op de site)</span></mark>')


def _inline(text: str, mark: bool, link: bool) -> str:
    """Escaped text; addresses hidden or marked; URLs linked (nofollow ugc) when `link`. A URL
    with an address in it is not linked: it shows as text, the address hidden or marked."""
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(str(escape(text[pos:match.start()])))
        pos = match.end()
        if match.group("email"):
            out.append(_address(match.group("email"), mark))
            continue
        url = match.group("url")
        stripped = url.rstrip(_TRAILING)
        if _EMAIL.search(stripped) or not link:
            out.append(_inline_addresses(url, mark))
        else:
            out.append(f'<a href="{escape(stripped)}" rel="nofollow ugc">{escape(stripped)}</a>'
                       + str(escape(url[len(stripped):])))
    out.append(str(escape(text[pos:])))
    return "".join(out)


def _inline_addresses(text: str, mark: bool) -> str:
    out, pos = [], 0
    for match in _EMAIL.finditer(text):
        out += [str(escape(text[pos:match.start()])), _address(match.group(0), mark)]
        pos = match.end()
    return "".join(out) + str(escape(text[pos:]))


def hide_addresses(text: str) -> str:
    """Plain text with every e-mail address in it replaced by "[e-mailadres verborgen]" (for
    a comment's text in a mail to someone else)."""
    return _EMAIL.sub(HIDDEN_ADDRESS, text or "")


def mark_addresses(text: str) -> Markup:
    """Plain text escaped, its e-mail addresses marked (the moderation queue's excerpts)."""
    return Markup(_inline_addresses(text or "", mark=True))


def comment_html(text: str, mark: bool = False) -> Markup:
    """Plain text to HTML: everything escaped, URLs linked (nofollow ugc), line breaks kept.
    An e-mail address in the text is never published: it shows as "[e-mailadres verborgen]";
    with `mark` (the moderator's view) it shows marked instead."""
    html = _inline(text or "", mark, link=True).replace("\r\n", "\n")
    paragraphs = [p for p in re.split(r"\n{2,}", html.strip()) if p.strip()]
    return Markup("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs))


def comment_html_marked(text: str) -> Markup:
    return comment_html(text, mark=True)


def file_size(size: int | None) -> str:
    """1234567 -> '1,2 MB'; 2048 -> '2 kB'."""
    if size is None:
        return ""
    if size < 1000 * 1000:
        return f"{max(round(size / 1000), 1)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
