"""Text matching shared by the domains' queries."""
from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_


def contains_text(term: str, *columns) -> ColumnElement[bool]:
    """Case-insensitive: `term` occurs in any of `columns`. The term is LIKE-escaped, so a
    %, _ or \\ in it matches that character, not any text."""
    needle = term.strip().lower()
    return or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))
