"""Slugs: the last part of a web address (`/aanbod/crisiscommunicatie-basis`), for every domain
that has them (offerings and themes in the catalogue, articles in the news). Shared layer."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from .extensions import db

# what a slug typed by staff must look like: lower-case words of letters and digits, joined by '-'
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class SlugTaken(Exception):
    """Another row of the same kind (offering, theme, article) uses this web address."""


def slugify(text: str, max_length: int = 160) -> str:
    """'Crisiscommunicatie & Media (2027)' → 'crisiscommunicatie-media-2027'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def unique_slug(model, base: str, max_length: int, exclude_id: int | None = None) -> str:
    """`base`, or base-2, base-3, … when it is taken."""
    taken = set(db.session.scalars(
        select(model.slug).where(model.slug.like(f"{base[:max_length - 4]}%"), model.id != (exclude_id or 0))))
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[:max_length - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def check_slug(model, slug: str, exclude_id: int | None) -> None:
    """SlugTaken when another row of `model` has this slug."""
    query = select(model.id).where(model.slug == slug)
    if exclude_id:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise SlugTaken()
