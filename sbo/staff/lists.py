"""What the staff lists share: the links to a list's pages from one pattern (sbo.urls.Pattern;
issue 18), and the rows a list draws in Python (escaping, dates)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Callable

from flask import url_for

from ..clock import local
from ..paging import SeekLinks
from ..urls import Pattern
from ..filters import MONTHS, dutch_date, dutch_datetime


LAST_PAGE = 999_999  # the highest page a staff list reads (security.int_arg clamps to it): no OFFSET of 10**20


class PageUrls(Pattern):
    """The pagination's page links; with `first_bare` page 1 has no page argument; with `seek`
    a link says where its page starts (sbo.paging)."""

    def __init__(self, endpoint: str, first_bare: bool = False, seek: SeekLinks | None = None, **args):
        super().__init__(endpoint, "page", **args)
        self._first = url_for(endpoint, **args) if first_bare else None
        self._seek = seek

    def __call__(self, n: int) -> str:
        if n == 1 and self._first is not None:
            return self._first
        url = super().__call__(n)
        return url + self._seek.query(n) if self._seek is not None else url


def _escape_replacing(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


try:  # markupsafe's own escaping in C, without the Markup around it
    from markupsafe._speedups import _escape_inner as _escape_c
except ImportError:  # pure-Python markupsafe
    _escape_c = None

_PROBE = "<a href=\"x\">Tom & Jerry's</a>"
# esc(text): markupsafe.escape() of a str, as a str, without its __html__ check or the Markup it
# makes: for the rows a list draws in Python (tests/staff/test_list_rows.py compares the two).
# markupsafe's C function when it is there and escapes alike (35-80 ns a value against 150-320
# for five replace() calls; ~300 values on a participant page), else the replace() calls.
esc: Callable[[str], str] = (_escape_c if _escape_c is not None and _escape_c(_PROBE) == _escape_replacing(_PROBE)
                             else _escape_replacing)


def _utc_hour(moment: datetime) -> int:
    """A naive UTC moment's hour, as a number: a key cheaper to make than replace(minute=0, …)."""
    return moment.toordinal() * 24 + moment.hour


class Days:
    """dutch_date() of many dates or stored moments ('4 december 2026'), each day written once
    and a moment's Dutch day looked up once per UTC hour (the Dutch offset changes only on the
    hour; tests/staff/test_list_rows.py compares it with dutch_date())."""

    def __init__(self):
        self._days: dict = {}
        self._hours: dict = {}

    def __call__(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                return dutch_date(value)
            hour = _utc_hour(value)
            text = self._hours.get(hour)
            if text is None:
                text = self._hours[hour] = self(local(value).date())
            return text
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = dutch_date(value)
        return text


class DateTimes:
    """dutch_datetime() of many stored moments ('4 december 2026 om 09:04'): all but the minute
    written once per UTC hour, as the Dutch offset is whole hours and changes only on the hour,
    instead of a time-zone conversion per moment (tests/staff/test_list_rows.py compares it
    with dutch_datetime() around both changes of the clock)."""

    def __init__(self):
        self._hours: dict = {}

    def __call__(self, moment: datetime | None) -> str:
        if moment is None or moment.tzinfo is not None:
            return dutch_datetime(moment)
        hour = _utc_hour(moment)
        start = self._hours.get(hour)
        if start is None:
            at = local(moment)
            start = self._hours[hour] = f"{at.day} {MONTHS[at.month - 1]} {at.year} om {at.hour:02d}:"
        return f"{start}{moment.minute:02d}"


# An e-mail address in a comment (sbo.news.markdown._EMAIL) has an @ or a bracketed "at" or
# "apenstaartje": a text with neither has none to mark, and is only escaped.
_MAYBE_ADDRESS = re.compile(r"[\[({]\s*(?:at|apenstaartje)\s*[\])}]", re.IGNORECASE)


def may_hold_address(text: str) -> bool:
    return "@" in text or _MAYBE_ADDRESS.search(text) is not None
