"""The catalogue's kept facet counts, totals and next dates (sbo/catalogue/facets.py) equal what
counting the offerings and editions afresh gives, after every kind of change, and the catalogue
shows them: the right facets, the right order, also after a day has passed."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from sbo import clock
from sbo.catalogue import facets, services
from sbo.catalogue.models import (CatalogueTotal, Edition, EditionStatus, FacetCount, Offering, OfferingType, Theme,
                                  offering_theme)
from sbo.catalogue.services import EditionData
from sbo.extensions import db
from tests.catalogue.helpers import card_titles
from tests.factories import bulk_offerings, make_edition, make_offering, make_theme

TODAY = clock.today()


def fresh_cells() -> dict[tuple, int]:
    """The cells counted from scratch, written differently from facets.Counted: every theme x
    month x place combination of every published offering, kept when one upcoming edition
    matches it (or when it names no month and no place)."""
    today = clock.today()
    themes: dict[int, list[int]] = {}
    for offering_id, theme_id in db.session.execute(select(offering_theme.c.offering_id, offering_theme.c.theme_id)):
        themes.setdefault(offering_id, []).append(theme_id)
    upcoming: dict[int, list[tuple[str, str]]] = {}
    for offering_id, start, online, city in db.session.execute(
            select(Edition.offering_id, Edition.start_date, Edition.online, Edition.city)
            .where(Edition.start_date >= today, Edition.status != "geannuleerd")):
        upcoming.setdefault(offering_id, []).append((start.strftime("%Y-%m"), "online" if online else city))
    months = {m for slots in upcoming.values() for m, _ in slots}
    places = {p for slots in upcoming.values() for _, p in slots if p}
    cells: dict[tuple, int] = {}
    for offering_id, kind in db.session.execute(select(Offering.id, Offering.type).where(Offering.published)):
        slots = upcoming.get(offering_id, [])
        for theme in [0, *themes.get(offering_id, [])]:
            for month in ["", *months]:
                for place in ["", *places]:
                    if (month or place) and not any((not month or m == month) and (not place or p == place)
                                                    for m, p in slots):
                        continue
                    key = (theme, month, place, str(kind))
                    cells[key] = cells.get(key, 0) + 1
    return cells


def assert_kept_equals_fresh() -> None:
    db.session.expire_all()
    kept = {(c.theme_id, c.month, c.place, c.type): c.n for c in db.session.scalars(select(FacetCount))}
    assert {cell: n for cell, n in kept.items() if n} == fresh_cells()
    assert all(n > 0 for n in kept.values())  # emptied cells are deleted
    today = clock.today()
    totals = {t.key: t.n for t in db.session.scalars(select(CatalogueTotal))}
    upcoming = db.session.scalar(select(func.count()).select_from(Edition).where(
        Edition.start_date >= today, Edition.status != EditionStatus.GEANNULEERD))
    published = dict(db.session.execute(select(Offering.published, func.count()).group_by(Offering.published)).all())
    assert {k: totals.get(k, 0) for k in ("published", "unpublished", "upcoming")} == {
        "published": published.get(True, 0), "unpublished": published.get(False, 0), "upcoming": upcoming}
    first = (select(func.min(Edition.start_date))
             .where(Edition.offering_id == Offering.id, Edition.start_date >= today,
                    Edition.status != EditionStatus.GEANNULEERD).correlate(Offering).scalar_subquery())
    for ident, kept_date, fresh_date in db.session.execute(select(Offering.id, Offering.next_start_date, first)):
        assert kept_date == (fresh_date or facets.NO_DATE), ident


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def edition_data(edition: Edition, **changes) -> EditionData:
    values = {"days": [edition.start_date], "start_time": time(9, 30), "end_time": time(16, 30),
              "capacity": edition.capacity, "venue": edition.venue, "city": edition.city, "online": edition.online}
    values.update(changes)
    return EditionData(**values)


@pytest.fixture
def catalogue(app_ctx):
    jeugd = make_theme(slug="jeugd", name="Jeugd")
    recht = make_theme(slug="recht", name="Recht")
    alpha = make_offering(title="Alpha", themes=[jeugd, recht])
    make_edition(alpha, start_date=days(40), city="Utrecht")
    make_edition(alpha, start_date=days(70), city="Zwolle")
    make_edition(alpha, start_date=days(-5), city="Assen")  # past
    bravo = make_offering(title="Bravo", themes=[jeugd], type=OfferingType.CONGRES)
    make_edition(bravo, start_date=days(20), city="", online=True)
    make_edition(bravo, start_date=days(25), city="Zwolle", status=EditionStatus.GEANNULEERD)
    charlie = make_offering(title="Charlie", published=False)
    make_edition(charlie, start_date=days(10), city="Utrecht")
    make_offering(title="Delta")  # no editions
    db.session.commit()
    assert_kept_equals_fresh()
    return {"jeugd": jeugd, "recht": recht, "alpha": alpha, "bravo": bravo, "charlie": charlie}


def test_the_counts_follow_new_moved_cancelled_and_deleted_editions(catalogue):
    alpha, bravo = catalogue["alpha"], catalogue["bravo"]
    make_edition(bravo, start_date=days(3), city="Den Bosch")
    db.session.commit()
    assert_kept_equals_fresh()
    assert db.session.get(Offering, bravo.id).next_start_date == days(3)

    edition = db.session.scalar(select(Edition).where(Edition.offering_id == alpha.id, Edition.city == "Utrecht"))
    services.update_edition(edition, edition_data(edition, days=[days(100)], city="Groningen"))
    db.session.commit()
    assert_kept_equals_fresh()
    assert db.session.get(Offering, alpha.id).next_start_date == days(70)

    services.cancel_edition(db.session.scalar(select(Edition).where(Edition.city == "Den Bosch")))
    db.session.commit()
    assert_kept_equals_fresh()
    assert db.session.get(Offering, bravo.id).next_start_date == days(20)

    db.session.delete(db.session.scalar(select(Edition).where(Edition.offering_id == bravo.id,
                                                              Edition.online.is_(True))))
    db.session.commit()
    assert_kept_equals_fresh()
    assert db.session.get(Offering, bravo.id).next_start_date == facets.NO_DATE


def test_the_counts_follow_the_offering(catalogue):
    alpha, charlie = catalogue["alpha"], catalogue["charlie"]
    services.set_published(db.session.get(Offering, alpha.id), False)
    db.session.commit()
    assert_kept_equals_fresh()

    services.set_published(db.session.get(Offering, charlie.id), True)
    db.session.commit()
    assert_kept_equals_fresh()

    offering = db.session.get(Offering, charlie.id)
    offering.type = OfferingType.OPLEIDING
    offering.themes = [db.session.get(Theme, catalogue["recht"].id)]
    db.session.commit()
    assert_kept_equals_fresh()

    db.session.get(Offering, alpha.id).themes = []
    db.session.commit()
    assert_kept_equals_fresh()

    db.session.delete(db.session.get(Offering, catalogue["bravo"].id))
    db.session.commit()
    assert_kept_equals_fresh()

    db.session.delete(db.session.get(Theme, catalogue["recht"].id))
    db.session.commit()
    assert_kept_equals_fresh()


def test_bulk_statements_count_everything_again(catalogue):
    bulk_offerings(30, theme=db.session.get(Theme, catalogue["jeugd"].id))
    db.session.commit()
    assert_kept_equals_fresh()

    db.session.execute(update(Edition).where(Edition.city == "Zwolle").values(city="Kampen"))
    db.session.commit()
    assert_kept_equals_fresh()

    # seats taken are no part of the counts: no recount, and still equal
    db.session.execute(update(Edition).values(seats_taken=1))
    assert facets.PENDING not in db.session.info
    db.session.commit()
    assert_kept_equals_fresh()


def test_a_rolled_back_change_leaves_the_counts_alone(catalogue):
    make_edition(db.session.get(Offering, catalogue["bravo"].id), start_date=days(2), city="Hoorn")
    db.session.rollback()
    assert facets.PENDING not in db.session.info
    assert_kept_equals_fresh()


def test_a_passing_day_counts_the_offerings_again_whose_date_passed(app, catalogue, monkeypatch):
    client = app.test_client()
    html = client.get("/aanbod").get_data(as_text=True)
    assert card_titles(html) == ["Bravo", "Alpha", "Delta"]
    assert ">Online (1)</option>" in html

    # 30 days on: Bravo's online edition (day 20) has passed, Alpha's Utrecht one (day 40) not yet
    later = datetime.combine(days(30), time(10, 0)) - timedelta(hours=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert clock.today() == days(30)
    # Bravo's and unpublished Charlie's (day 10) next dates have passed
    assert sorted(facets.stale_offerings()) == sorted([catalogue["bravo"].id, catalogue["charlie"].id])
    html = client.get("/aanbod").get_data(as_text=True)
    assert card_titles(html) == ["Alpha", "Bravo", "Delta"]  # Bravo has no upcoming edition now
    assert "Online (" not in html
    assert facets.stale_offerings() == []
    assert_kept_equals_fresh()

    # the dashboard's totals roll over too
    monkeypatch.setattr(clock, "utcnow", lambda: later + timedelta(days=15))
    from sbo.catalogue.queries import offer_counts
    assert offer_counts()["upcoming"] == 1  # Alpha in Zwolle, day 70
    assert_kept_equals_fresh()


def test_rebuild_gives_the_same_counts(catalogue):
    before = {(c.theme_id, c.month, c.place, c.type): c.n for c in db.session.scalars(select(FacetCount))}
    facets.rebuild(db.session.connection())
    db.session.commit()
    assert {(c.theme_id, c.month, c.place, c.type): c.n for c in db.session.scalars(select(FacetCount))} == before
    assert_kept_equals_fresh()


def facet_options(html: str, name: str) -> list[str]:
    import re
    block = html.split(f'id="f-{name}"')[1].split("</select>")[0]
    return [option.strip() for option in re.findall(r">([^<>]+\(\d+\))</option>", block)]


def test_the_catalogue_shows_the_kept_facets(app, catalogue):
    client = app.test_client()
    html = client.get("/aanbod").get_data(as_text=True)
    assert facet_options(html, "type") == ["Cursussen (2)", "Congressen (1)"]
    assert facet_options(html, "thema") == ["Jeugd (2)", "Recht (1)"]
    # in the database's order of the values ('online' after 'Zwolle' on SQLite, first on PostgreSQL)
    assert sorted(facet_options(html, "plaats")) == ["Online (1)", "Utrecht (1)", "Zwolle (1)"]
    assert len(facet_options(html, "maand")) == len({days(20).month, days(40).month, days(70).month})

    # month and place on the same edition, as the listing filters: Alpha is in Zwolle on day 70 only
    month = f"{days(40):%Y-%m}"
    html = client.get(f"/aanbod?plaats=Zwolle&maand={month}").get_data(as_text=True)
    assert card_titles(html) == []
    html = client.get("/aanbod?plaats=Zwolle").get_data(as_text=True)
    assert card_titles(html) == ["Alpha"]
    assert facet_options(html, "maand") == [f"{facets_label(days(70))} (1)"]
    html = client.get("/aanbod?type=congres&thema=jeugd").get_data(as_text=True)
    assert card_titles(html) == ["Bravo"]
    assert facet_options(html, "type") == ["Cursussen (1)", "Congressen (1)"]
    assert facet_options(html, "thema") == ["Jeugd (1)"]


def facets_label(day: date) -> str:
    from sbo.catalogue.queries import month_label
    return month_label(f"{day:%Y-%m}")


def test_a_venue_moving_town_counts_its_offerings_again(catalogue):
    from sbo.catalogue import venues
    from sbo.catalogue.models import Venue
    venue = Venue(name="Zaal", city="Utrecht")
    db.session.add(venue)
    edition = db.session.scalar(select(Edition).where(Edition.offering_id == catalogue["alpha"].id,
                                                      Edition.city == "Utrecht"))
    db.session.flush()
    edition.venue_id = venue.id
    db.session.commit()

    venues.update_venue(venue, venues.VenueData(name="Zaal", city="Amersfoort"))
    assert db.session.info[facets.PENDING] == {catalogue["alpha"].id}  # that offering only, not all
    db.session.commit()
    assert_kept_equals_fresh()
    places = {c.place for c in db.session.scalars(select(FacetCount))}
    assert "Amersfoort" in places and "Utrecht" not in places  # Charlie's Utrecht edition: unpublished


def test_a_roll_over_inside_a_writing_transaction_counts_in_it(catalogue, monkeypatch):
    later = datetime.combine(days(30), time(10, 0)) - timedelta(hours=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    make_edition(db.session.get(Offering, catalogue["alpha"].id), start_date=days(50), city="Hoorn")  # writes
    assert facets.roll_over() == 2  # Bravo and Charlie, without waiting for a lock this session holds
    db.session.commit()
    assert facets.stale_offerings() == []
    assert_kept_equals_fresh()
