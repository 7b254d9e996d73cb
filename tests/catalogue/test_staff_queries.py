"""The staff side of sbo.catalogue.queries: lookups, themes, offering choices, the dashboard's
counts (the offerings list and the upcoming editions: tests/staff/test_list_queries.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from sbo import clock
from sbo.catalogue import queries
from sbo.catalogue.models import EditionStatus
from sbo.extensions import db
from tests.factories import make_edition, make_offering, make_theme


def test_lookups_raise_not_found(app_ctx):
    offering = make_offering(editions=2, themes=[make_theme()])
    db.session.commit()
    loaded = queries.offering_with_editions(offering.id)
    assert len(loaded.editions) == 2 and len(loaded.themes) == 1
    assert queries.offering_or_404(offering.id) is offering
    assert queries.edition_or_404(offering.editions[0].id).offering is offering
    assert queries.theme_or_404(offering.themes[0].id) is offering.themes[0]
    for lookup in (queries.offering_or_404, queries.edition_or_404, queries.theme_or_404,
                   queries.offering_with_editions):
        with pytest.raises(NotFound):
            lookup(10**9)


def test_themes_and_offering_choices(app_ctx):
    zorg, bouw = make_theme(name="Zorg", slug="zorg"), make_theme(name="Bouw", slug="bouw")
    hidden = make_offering(title="B-cursus", themes=[zorg], published=False)
    shown = make_offering(title="A-cursus", themes=[zorg])
    db.session.commit()
    assert [t.name for t in queries.themes_by_name()] == ["Bouw", "Zorg"]
    assert queries.themes_with_offering_counts() == [(bouw, 0), (zorg, 2)]
    assert queries.offering_choices() == [(shown.id, "A-cursus", True), (hidden.id, "B-cursus", False)]


def test_dashboard_counts(app_ctx):
    today = clock.today()
    published, offline = make_offering(title="Online"), make_offering(title="Offline", published=False)
    make_edition(published, start_date=today + timedelta(days=20))
    make_edition(offline, start_date=today + timedelta(days=5))
    make_edition(published, start_date=today - timedelta(days=1))
    make_edition(published, start_date=today + timedelta(days=1), status=EditionStatus.GEANNULEERD)
    db.session.commit()
    assert queries.offer_counts(today) == {"published": 1, "unpublished": 1, "upcoming": 2}
