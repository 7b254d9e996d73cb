"""The offering page drawn from plain rows and memoised parts (issue 18) gives the same HTML and
JSON-LD as the ORM-based page before it: a varied course and a congress, compared with the
output of the old rendering (stored in tests/catalogue/data, whitespace between tags aside).
Regenerate (only when the page is meant to change) with SBO_REGENERATE_PAGES=1."""
from __future__ import annotations

import json
import os
import re
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from sbo import clock
from sbo.catalogue import ratings
from sbo.catalogue.models import (Accreditation, ContactPerson, Discount, EditionStatus, OfferingType, Register)
from sbo.extensions import db
from tests.factories import make_edition, make_item, make_offering, make_theme, make_trainer, make_venue

DATA = Path(__file__).parent / "data"
TODAY = date(2030, 3, 1)
JSONLD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda now=None: TODAY)
    monkeypatch.setattr(ratings, "_source", [lambda offering_id: ratings.Rating(Decimal("8.4"), 5)
                                             if offering_id == 1 else None])


def _build():
    day = timedelta(days=1)
    crime = make_theme(slug="ondermijning", name="Ondermijning & <zo>")
    order = make_theme(slug="openbare-orde", name="Openbare orde")
    course = make_offering(
        slug="cursus-rijk", title='Cursus "rijk" & <vol>', themes=[order, crime],
        teaser="Een teaser met <tekens> & meer.",
        description="Eerste alinea.\n\nTweede <alinea> & meer.", learning_outcomes="- één\n- twee & drie\n",
        audience="Voor iedereen.", duration="3 dagen", price_cents=129550, vat_status="vrijgesteld",
        included="lunch materials", included_note="en een boek", accreditation="Ook erkend door de VNG")
    assert course.id == 1
    venue = make_venue(name="Hotel <Zuid>", city="Utrecht")
    make_edition(course, start_date=TODAY - 10 * day)                                  # past: not shown
    make_edition(course, days=3, start_date=TODAY + 40 * day, location=venue, seats_taken=5)  # open, venue
    make_edition(course, start_date=TODAY + 50 * day, capacity=10, seats_taken=10)            # full by seats
    make_edition(course, start_date=TODAY + 60 * day, status=EditionStatus.VOL)               # full by status
    cancelled = make_edition(course, start_date=TODAY + 70 * day, status=EditionStatus.GEANNULEERD)
    make_edition(course, start_date=TODAY + 5 * day, online=True, online_platform="Teams",
                 price_cents_override=0)                                                  # enrolment closed
    make_edition(course, start_date=TODAY + 80 * day, online=True, capacity=8, seats_taken=7,
                 enrolment_deadline=TODAY + 20 * day, price_cents_override=99900)         # 1 seat left
    make_edition(course, days=2, start_date=TODAY + 90 * day, city="Zwolle", venue="",
                 street_address="Markt 1", postal_code="8011 AA")
    for session in course.editions[1].sessions:
        session.start_time, session.end_time = time(10, 0), time(17, 15)
    anne = make_trainer([course], slug="anne", name="dr. Anne de Vries & co", role="jurist")
    make_trainer([course], slug="bob", name="Bob", role="", photo_name="abcdef0123456789.jpg")
    make_item(course, "Opening", day=1, start_time=time(9, 30), end_time=time(10, 0), trainers=[anne])
    make_item(course, "Casus <één>", day=1, description="Met & zonder", start_time=time(10, 0))
    make_item(course, "Dag twee", day=2)
    db.session.add_all([
        Discount(offering_id=course.id, kind="group", percent=Decimal("10"), min_participants=3),
        Discount(offering_id=course.id, kind="early_bird", amount=Decimal("100"), valid_until=TODAY + 20 * day),
        Discount(offering_id=course.id, kind="early_bird", amount=Decimal("50"), valid_until=TODAY - day),
        Discount(offering_id=course.id, edition_id=course.editions[1].id, kind="group", percent=Decimal("12.5"),
                 min_participants=2),
        Discount(offering_id=course.id, edition_id=cancelled.id, kind="early_bird", amount=Decimal("25"),
                 valid_until=TODAY + 30 * day)])
    nova = Register(name="NOvA", short_name="NOvA")
    boa = Register(name="BOA-register", short_name="BOA")
    db.session.add_all([nova, boa])
    db.session.flush()
    course.accreditations = [Accreditation(register_id=nova.id, points=Decimal("1"), net_hours=Decimal("1")),
                             Accreditation(register_id=boa.id, points=Decimal("2.5"), net_hours=Decimal("3"))]
    course.contact = ContactPerson(name="Eva de <Wit>", role="Adviseur", phone="030 123 45 67",
                                   email="eva@example.org", photo="abc123.png")
    for n in range(4):
        make_offering(slug=f"verwant-{n}", title=f"Verwant {n} & zo", themes=[crime], teaser=f"Verwant {n}.",
                      type=OfferingType.OPLEIDING if n else OfferingType.CONGRES)
    make_offering(slug="verborgen", title="Verwant 0 verborgen", teaser="-", themes=[crime], published=False)

    congress = make_offering(slug="congres", title="Congres <2030>", type=OfferingType.CONGRES, teaser="Een congres.",
                             price_cents=0, vat_status="incl", description="", audience="", duration="")
    make_edition(congress, start_date=TODAY + 30 * day, location=venue)
    make_edition(congress, start_date=TODAY + 31 * day, online=True, status=EditionStatus.GEANNULEERD)
    make_trainer([congress], slug="spreker", name="Spreker Een")
    make_offering(slug="leeg", title="Leeg", teaser="Leeg.", themes=[], description="", learning_outcomes="", audience="")


def _normalised(page: str) -> str:
    """Whitespace next to a tag left out (an include's line break), any other run as one space."""
    return re.sub(r"\s*<", "<", re.sub(r">\s*", ">", re.sub(r"\s+", " ", page))).strip()


@pytest.mark.parametrize("slug", ["cursus-rijk", "congres", "leeg"])
def test_the_page_is_the_same_as_before(app, setup_data, client, frozen, slug):
    with setup_data():
        _build()
    response = client.get(f"/aanbod/{slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    page = page[page.index("<title>"):page.index("</main>")]
    expected_file = DATA / f"offering_page_{slug}.html"
    if os.environ.get("SBO_REGENERATE_PAGES"):
        expected_file.write_text(page)
    expected = expected_file.read_text()
    assert _normalised(page) == _normalised(expected)
    # the JSON-LD is valid JSON, and the same data
    assert json.loads(JSONLD_RE.search(page).group(1)) == json.loads(JSONLD_RE.search(expected).group(1))
    # seats stay live: a second request after a seat is taken shows it (the memo has no seats)


def test_seats_and_status_stay_live_while_the_rest_is_memoised(make_app, setup_data, frozen):
    """A change the content generation does not see (raw SQL) shows at once for the seats and the
    status: they are read on every request; the memoised text is not."""
    from sqlalchemy import text

    app = make_app(CACHE_ENABLED=False)
    client = app.test_client()
    with app.app_context():
        _build()
        db.session.commit()
    page = client.get("/aanbod/cursus-rijk").get_data(as_text=True)
    assert "Nog 15 plaatsen" in page and "Nog 1 plaats<" in page
    with app.app_context():
        db.session.execute(text("UPDATE edition SET seats_taken = 19 WHERE id = 2"))
        db.session.execute(text("UPDATE edition SET status = 'geannuleerd' WHERE id = 7"))
        db.session.execute(text("UPDATE offering SET title = 'Andere titel' WHERE id = 1"))
        db.session.commit()
    page = client.get("/aanbod/cursus-rijk").get_data(as_text=True)
    assert "Nog 1 plaats<" in page and "Nog 15 plaatsen" not in page
    assert page.count('<tr class="cancelled">') == 2
    data = json.loads(JSONLD_RE.search(page).group(1))
    assert [i["offers"]["availability"].rsplit("/", 1)[1] for i in data["hasCourseInstance"]] == [
        "InStock", "InStock", "SoldOut", "SoldOut", "Discontinued", "Discontinued", "InStock"]
    assert "Andere titel" not in page  # the memo (until the generation changes)
