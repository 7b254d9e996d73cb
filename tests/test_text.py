"""sbo.text.contains_text: one case-insensitive, LIKE-escaped substring match."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sbo.catalogue.models import Offering
from sbo.extensions import db
from sbo.text import contains_text
from tests.factories import make_offering


@pytest.mark.parametrize("term, found", [
    ("korting", ["50% korting_nu", "500 kortingnu"]), ("KORTING_", ["50% korting_nu"]),
    ("  korting_ ", ["50% korting_nu"]),
    ("50%", ["50% korting_nu"]), ("%", ["50% korting_nu"]), ("_", ["50% korting_nu"]),
    ("0 k", ["500 kortingnu"]), ("5_%", []), ("\\", ["Pad\\map"]), ("/", ["a/b"]),
])
def test_contains_text_matches_wildcards_literally(app_ctx, term, found):
    for title in ("50% korting_nu", "500 kortingnu", "Pad\\map", "a/b"):
        make_offering(title=title)
    db.session.commit()
    query = select(Offering.title).where(contains_text(term, Offering.title, Offering.slug)).order_by(Offering.title)
    assert list(db.session.scalars(query)) == found
