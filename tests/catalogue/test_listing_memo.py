"""The catalogue's facet counts and page ids are memoised per worker under the content
generation (sbo/pagecache/memo.py): they never show a committed change late, also with the page
cache off (staff, visitors with a session), and a repeated page runs fewer statements."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sbo import clock
from sbo.catalogue import services
from sbo.catalogue.models import Edition, Offering
from sbo.extensions import db
from tests.catalogue.helpers import card_titles
from tests.factories import make_edition, make_offering, make_theme

TODAY = clock.today()


@pytest.fixture
def app(make_app):
    # the page cache off: every request renders, as for staff; the generation read every time
    return make_app(CACHE_ENABLED=False, CACHE_GENERATION_TTL=0)


@pytest.fixture
def catalogue(setup_data):
    with setup_data():
        theme = make_theme(slug="jeugd", name="Jeugd")
        alpha = make_offering(title="Alpha", themes=[theme])
        make_edition(alpha, start_date=TODAY + timedelta(days=40), city="Utrecht")
        bravo = make_offering(title="Bravo", themes=[theme])
        make_edition(bravo, start_date=TODAY + timedelta(days=20), city="Zwolle")
    return {"alpha": alpha.id, "bravo": bravo.id}


def page(client, query: str = "") -> str:
    response = client.get("/aanbod" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_new_edition_shows_in_the_order_and_the_facets_at_once(app, client, catalogue):
    assert card_titles(page(client)) == ["Bravo", "Alpha"]
    assert "Den Bosch" not in page(client)  # twice: the second from the memo

    with app.app_context():
        make_edition(db.session.get(Offering, catalogue["alpha"]), start_date=TODAY + timedelta(days=3),
                     city="Den Bosch")
        db.session.commit()

    html = page(client)
    assert card_titles(html) == ["Alpha", "Bravo"]
    assert '<option value="Den Bosch">Den Bosch (1)</option>' in html
    assert card_titles(page(client, "?plaats=Den+Bosch")) == ["Alpha"]


def test_a_cancelled_edition_and_an_unpublished_offering_leave_at_once(app, client, catalogue):
    assert card_titles(page(client, "?plaats=Zwolle")) == ["Bravo"]
    with app.app_context():
        edition = db.session.scalar(db.select(Edition).where(Edition.offering_id == catalogue["bravo"]))
        services.cancel_edition(edition)
        db.session.commit()
    assert card_titles(page(client)) == ["Alpha", "Bravo"]  # Bravo has no upcoming date now
    assert "Zwolle" not in page(client)

    with app.app_context():
        services.set_published(db.session.get(Offering, catalogue["alpha"]), False)
        db.session.commit()
    html = page(client)
    assert card_titles(html) == ["Bravo"]
    assert "<strong>1</strong> resultaat" in html


def test_a_repeated_page_reuses_the_facets_and_ids(client, catalogue, count_queries):
    with count_queries() as first:
        page(client, "?thema=jeugd")
    with count_queries() as second:
        page(client, "?thema=jeugd")
    # first: generation, theme, the probe for offerings whose date passed, the kept facet counts
    # (sbo/catalogue/facets.py), page ids, the cards (offerings, editions, seats: one statement);
    # then: generation, whether the cards' editions are full now (sbo/catalogue/cards.py)
    assert (first.count, second.count) == (6, 2)


def test_the_home_page_theme_counts_follow_a_new_offering_at_once(app, client, catalogue):
    assert "2 opleidingen" in client.get("/").get_data(as_text=True)
    with app.app_context():
        theme = db.session.scalar(db.select(Offering).where(Offering.id == catalogue["alpha"])).themes[0]
        make_offering(title="Charlie", themes=[theme])
        db.session.commit()
    assert "3 opleidingen" in client.get("/").get_data(as_text=True)
