"""The number of SQL statements per page does not grow with the catalogue."""
from __future__ import annotations

import pytest

from sbo.catalogue.models import Offering, Theme
from sbo.extensions import db
from tests.factories import bulk_offerings, make_edition, make_offering, make_theme

PAGES = ["/", "/aanbod", "/aanbod?thema=ondermijning&plaats=Utrecht", "/aanbod?q=bulk&sorteer=titel",
         "/aanbod?q=bulk", "/aanbod?pagina=2", "/aanbod/detail"]


@pytest.fixture
def app(make_app):
    """The page cache's generation is read on every request (no memo): whether a memo of one
    second had expired between two pages depended on how fast the machine was, and made the
    counts differ by one."""
    return make_app(CACHE_GENERATION_TTL=0)


def statements(client, count_queries) -> dict[str, int]:
    result = {}
    for url in PAGES:
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = counter.count
    return result


def test_statement_count_is_the_same_for_20_and_2000_offerings(app, setup_data, client, count_queries):
    # The page cache re-reads its generation once CACHE_GENERATION_TTL (1 s) has passed, so with
    # the default the count of a page depended on how long the pages before it took (a flaky
    # extra SELECT on one page or another). With 0 every page reads it: the same count each run.
    app.config["CACHE_GENERATION_TTL"] = 0
    with setup_data():
        theme = make_theme(slug="ondermijning", name="Ondermijning")
        detail = make_offering(slug="detail", title="Detail", themes=[theme])
        make_edition(detail, days=3)
        make_edition(detail, city="Zwolle")
        for _ in range(3):
            make_offering(themes=[theme], editions=2)
        bulk_offerings(16, theme=theme)
    small = statements(client, count_queries)

    with app.app_context():
        theme = db.session.scalar(db.select(Theme).where(Theme.slug == "ondermijning"))
        bulk_offerings(1980, theme=theme)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(Offering)) == 2000
    large = statements(client, count_queries)

    assert small == large
    # issue 18: the editions from today come with their session days in one statement (it was 13);
    # the page from plain rows (sbo/catalogue/offering_page.py): themes, trainers and
    # accreditations in one statement, the contact with the offering, the first seats with the
    # editions (it was 12). A second visit reads only the generation and the seats.
    assert small["/aanbod/detail"] == 10
    assert max(small.values()) <= 13  # the offering page reads its average score (sbo/catalogue/ratings.py) too
