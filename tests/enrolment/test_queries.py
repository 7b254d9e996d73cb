"""sbo.enrolment.queries: what the staff lists and exports read (order, waiting positions, counts;
the participant list's page: tests/staff/test_list_queries.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from sbo.enrolment import queries
from sbo.enrolment.models import Enrolment, InterestRegistration
from sbo.extensions import db
from tests.factories import make_mixed_enrolments, make_offering


@pytest.fixture
def edition(app):
    """Enrolments created out of order: waiting, cancelled, confirmed, waiting, held, confirmed;
    and a waiting enrolment of another edition in between."""
    with app.app_context():
        edition = make_mixed_enrolments()
        db.session.commit()
        yield db.session.get(type(edition), edition.id)


def enrolments_of(edition) -> list[Enrolment]:
    """The edition's enrolments in id order."""
    return list(db.session.scalars(select(Enrolment).where(Enrolment.edition_id == edition.id).order_by(Enrolment.id)))


def test_waiting_positions_count_only_this_editions_waiting_list(edition):
    everyone = enrolments_of(edition)
    by_name = {e.first_name: e for e in everyone}
    positions = queries.waiting_positions(everyone)
    assert positions == {by_name["w1"].id: 1, by_name["w2"].id: 2}
    # a page holding only the second person waiting still says 2
    assert queries.waiting_positions([by_name["w2"]]) == {by_name["w2"].id: 2}
    assert queries.waiting_position(by_name["w2"]) == 2
    assert queries.waiting_position(by_name["b1"]) is None
    assert queries.waiting_positions([by_name["b1"], by_name["c1"]]) == {}


def test_waiting_positions_issue_no_query_when_nobody_waits(edition, count_queries):
    seated = [e for e in enrolments_of(edition) if e.status != "waiting"]
    with count_queries() as counter:
        assert queries.waiting_positions(seated) == {}
    assert counter.count == 0


def test_export_gives_every_row_in_order_with_the_waiting_position(edition):
    rows = [(e.first_name, b.id == e.booking_id, position) for e, b, position in queries.participant_export(edition)]
    assert rows == [("b1", True, None), ("b2", True, None), ("h1", True, None),
                    ("w1", True, 1), ("w2", True, 2), ("c1", True, None)]


def test_status_counts_and_bookings(edition):
    assert queries.status_counts(edition) == {"confirmed": 2, "held": 1, "offered": 0, "waiting": 2,
                                            "cancelled": 1}
    items = enrolments_of(edition)
    bookings = queries.bookings_by_id(e.booking_id for e in items)
    assert set(bookings) == {e.booking_id for e in items}
    assert queries.bookings_by_id([]) == {}


def test_enrolment_or_404(edition):
    first = enrolments_of(edition)[0]
    assert queries.enrolment_or_404(first.id) is first
    with pytest.raises(NotFound):
        queries.enrolment_or_404(10**9)


def test_interest_registrations_newest_first_with_counts(app):
    with app.app_context():
        offering, other = make_offering(), make_offering()
        for n, status in enumerate(["pending", "active", "active"]):
            db.session.add(InterestRegistration(offering=offering, name=f"R{n}", email=f"r{n}@example.org",
                                                status=status))
        db.session.add(InterestRegistration(offering=other, name="Elders", email="e@example.org"))
        db.session.commit()
        page = queries.interest_registrations(offering.id, per_page=2)
        assert [r.name for r in page.items] == ["R2", "R1"] and page.total == 3
        assert queries.interest_counts(offering) == {"pending": 1, "active": 2}
        assert [r.name for r in queries.interest_export(offering)] == ["R2", "R1", "R0"]
