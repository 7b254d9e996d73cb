"""The one transaction shape of the staff forms that save something with a slug."""
from __future__ import annotations

from typing import Callable, TypeVar

from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..slugs import SlugTaken

T = TypeVar("T")

SLUG_TAKEN = "Dit webadres is al in gebruik. Kies een ander."


def commit_unless_slug_taken(form: FlaskForm, save: Callable[[], T]) -> T | None:
    """Run `save` (the service call and its audit entry) and commit. A slug that is taken, also
    by a save a moment earlier (the unique constraint), rolls back and becomes the message at
    the form's slug field; then None is returned. `save` returns something truthy."""
    try:
        result = save()
        db.session.commit()
    except (SlugTaken, IntegrityError):
        db.session.rollback()
        form.slug.errors.append(SLUG_TAKEN)
        return None
    return result
