"""The enrolment domain reacts to the catalogue through signals (sbo/signals.py), whoever calls
the catalogue service: no staff view is involved here."""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from sbo import clock
from sbo.catalogue import services as catalogue
from sbo.catalogue.models import Edition, EditionStatus
from sbo.enrolment.models import Enrolment, EnrolmentStatus, InterestRegistration, InterestStatus
from sbo.extensions import db
from sbo.signals import edition_cancelled, edition_created
from tests.factories import make_edition, make_enrolment, make_offering


def test_cancel_edition_cancels_the_enrolments_and_queues_the_mails(app_ctx, outbox):
    edition = make_edition(make_offering(), capacity=5)
    for status in ("confirmed", "confirmed", "held", "waiting"):
        make_enrolment(edition, status=status)
    db.session.commit()
    edition_id = edition.id

    assert catalogue.cancel_edition(edition) == 3  # confirmed bookings; the held one is not told
    db.session.commit()
    assert catalogue.cancel_edition(edition) is None  # once
    db.session.commit()

    edition = db.session.get(Edition, edition_id)
    assert edition.status == EditionStatus.GEANNULEERD and edition.seats_taken == 0
    statuses = db.session.scalars(select(Enrolment.status).where(Enrolment.edition_id == edition_id))
    assert set(statuses) == {EnrolmentStatus.CANCELLED}
    assert len(outbox()) == 3


def test_create_edition_mails_the_interested(app_ctx, outbox):
    offering = make_offering()
    db.session.add_all([
        InterestRegistration(offering=offering, name="Anna de Vries", email="anna@example.org",
                             status=InterestStatus.ACTIVE),
        InterestRegistration(offering=offering, name="Bram", email="bram@example.org",
                             status=InterestStatus.PENDING)])  # not confirmed: no mail
    db.session.commit()
    data = catalogue.EditionData(days=[clock.today() + timedelta(days=40)], start_time=time(9, 30),
                                 end_time=time(16, 30), capacity=12, city="Utrecht")

    edition, mailed = catalogue.create_edition(offering, data)
    db.session.commit()
    assert mailed == 1 and edition.id
    assert [m.to_addr for m in outbox()] == ["anna@example.org"]


def test_the_receivers_are_connected_once_however_many_apps(make_app):
    make_app()
    make_app()
    for signal in (edition_created, edition_cancelled):
        ours = [r for r in signal.receivers.values() if getattr(r, "__module__", "") == "sbo.enrolment.receivers"]
        assert len(ours) == 1, signal.name
