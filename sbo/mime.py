"""An outbox message as MIME bytes, to the letter (RFC 5322, 2045/2046, 2369/8058, 5545).

- Lines end in CRLF everywhere (.eml files and SMTP alike) and stay within 76 characters:
  text parts are quoted-printable, attachments base64, headers folded by the policy.
- List-* headers (RFC 2369) are written as their plain `<https://…>` list, folded only at the
  whitespace between items, never as RFC 2047 encoded-words (which hide the link from clients).
- Every mail is multipart/alternative: the text part as written in the domain's .txt template,
  and as HTML part the domain's .html template when it has one (sbo.mail.send_mail), else
  templates/mail/layout.html presenting that same text (paragraphs, lists, clickable links), so
  the wording lives in one place: the text template.
- A text/* attachment declares charset=utf-8; a calendar also its METHOD (method=PUBLISH).
"""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import EmailPolicy

from flask import render_template
from markupsafe import Markup, escape

LINE_LENGTH = 76  # RFC 2045 §6.7 for quoted-printable; within RFC 5322's 78 for headers


class MailPolicy(EmailPolicy):
    """The default policy with CRLF line ends and lines of at most 76 characters, except that
    List-* headers are folded at whitespace only (RFC 2369 §2), never into encoded-words. Their
    first item stays on the field's first line: a signed URL longer than a line is then one line
    of up to RFC 5322's 998 characters, as it must not be broken inside its <…>."""

    def _is_list_header(self, name: str, value: str) -> bool:
        return name.lower().startswith("list-") and str(value).isascii()

    def _fold_at_whitespace(self, name: str, value: str) -> str:
        limit = self.max_line_length or 998
        lines, current = [], f"{name}:"
        for number, word in enumerate(str(value).split()):
            if number == 0 or len(current) + 1 + len(word) <= limit:
                current += " " + word
            else:
                lines.append(current)
                current = " " + word
        lines.append(current)
        return self.linesep.join(lines) + self.linesep

    def fold(self, name, value):
        if self._is_list_header(name, value):
            return self._fold_at_whitespace(name, value)
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if self._is_list_header(name, value):
            return self._fold_at_whitespace(name, value).encode("ascii")
        return super().fold_binary(name, value)


POLICY = MailPolicy(linesep="\r\n", max_line_length=LINE_LENGTH)

URL = re.compile(r"https?://[^\s<>\"']+")
LIST_ITEM = re.compile(r"^- ")


def _linkify(line: str) -> Markup:
    """One line of text as HTML with its web addresses made clickable."""
    out, last = [], 0
    for match in URL.finditer(line):
        url = match.group(0).rstrip(".,;:!?)")
        end = match.start() + len(url)
        out.append(escape(line[last:match.start()]))
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = end
    out.append(escape(line[last:]))
    return Markup("").join(out)


def text_to_html(text: str) -> Markup:
    """The text part as simple HTML: blank lines separate paragraphs, a run of "- " lines is a
    list, other line breaks stay, links are clickable. Everything is escaped."""
    blocks = []
    for paragraph in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in paragraph.split("\n") if line.strip()]
        runs: list[tuple[bool, list[str]]] = []
        for line in lines:
            is_item = bool(LIST_ITEM.match(line))
            if runs and runs[-1][0] == is_item:
                runs[-1][1].append(line)
            else:
                runs.append((is_item, [line]))
        for is_item, run in runs:
            if is_item:
                items = Markup("\n").join(Markup("<li>{}</li>").format(_linkify(line[2:])) for line in run)
                blocks.append(Markup("<ul>\n{}\n</ul>").format(items))
            else:
                blocks.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(map(_linkify, run))))
    return Markup("\n").join(blocks)


def render_html(subject: str, text: str) -> str:
    """The HTML alternative of a mail: the shared layout around the text part."""
    return render_template("mail/layout.html", subject=subject, body=text_to_html(text))


def _params(ctype: str, data: bytes) -> dict[str, str]:
    """MIME parameters of an attachment: UTF-8 for text, and a calendar's METHOD (RFC 6047)."""
    if not ctype.startswith("text/"):
        return {}
    params = {"charset": "utf-8"}
    if ctype == "text/calendar":
        found = re.search(rb"^METHOD:([A-Za-z-]+)\r?$", data, re.MULTILINE)
        if found:
            params["method"] = found.group(1).decode("ascii").upper()
    return params


def build(headers: dict[str, str], text: str, html: str | None,
          attachments: list[tuple[str, str, bytes]]) -> EmailMessage:
    """headers in order (From, To, Subject, …); html None: rendered from the text."""
    email = EmailMessage(policy=POLICY)
    for name, value in headers.items():
        email[name] = value
    email.set_content(text, cte="quoted-printable")
    email.add_alternative(html if html is not None else render_html(headers.get("Subject", ""), text),
                          subtype="html", cte="quoted-printable")
    for filename, ctype, data in attachments:
        maintype, _, subtype = ctype.partition("/")
        email.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                             filename=filename, params=_params(ctype, data))
    return email
