"""Demo enrolments: nothing without editions, idempotent, never past capacity."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sbo.catalogue.models import Edition
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.demo import seed
from sbo.enrolment.models import Enrolment, Offer
from sbo.extensions import db
from tests.factories import make_edition, make_offering


def test_demo_does_nothing_without_editions(app_ctx):
    assert seed() == 0


def test_demo_is_idempotent_and_respects_capacity(app):
    with app.app_context():
        offering = make_offering()
        make_edition(offering, capacity=20)
        make_edition(offering, capacity=8)
        db.session.commit()
        seed()
        db.session.commit()
    with app.app_context():
        first = db.session.scalar(select(func.count()).select_from(Enrolment))
        waiting = db.session.scalar(select(func.count()).select_from(Enrolment)
                                    .where(Enrolment.status == "waiting"))
        assert first > 0 and waiting == 2
        # the full edition shows an open offer of a freed seat to the first person waiting
        [offer] = db.session.scalars(select(Offer)).all()
        assert offer.state == "open" and offer.seats == 1
        for edition in db.session.scalars(select(Edition)):
            seated = db.session.scalar(select(func.count()).select_from(Enrolment).where(
                Enrolment.edition_id == edition.id, Enrolment.status.in_(["confirmed", "held", "offered"])))
            assert edition.seats_taken == seated <= edition.capacity
    with app.app_context():
        assert seed() == 0
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == first


def test_demo_shows_a_booking_over_two_dates(app_ctx):
    """One colleague of a group booking has rebooked to the later date of the same offering."""
    offering = make_offering()
    first, later = make_edition(offering, capacity=20), make_edition(offering, capacity=20)
    later.start_date = first.start_date + timedelta(days=14)
    db.session.commit()
    seed()
    db.session.commit()
    split = db.session.execute(
        select(Enrolment.booking_id).group_by(Enrolment.booking_id)
        .having(func.count(func.distinct(Enrolment.edition_id)) == 2)).scalars().all()
    assert len(split) == 1
    [moved] = db.session.scalars(select(Enrolment).where(Enrolment.booking_id == split[0],
                                                         Enrolment.edition_id == later.id)).all()
    assert not moved.is_booker and moved.booking.edition_id == first.id
    assert seat_count_mismatches() == []
