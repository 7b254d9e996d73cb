"""Demo enrolments: nothing without editions, idempotent, never past capacity."""
from __future__ import annotations

from sqlalchemy import func, select

from sbo.catalogue.models import Edition
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
