"""Shared bits for the enrolment tests."""
from __future__ import annotations

from sqlalchemy import func, select

from sbo.enrolment.models import Booking, Enrolment
from sbo.extensions import db
from sbo.mail import OutboxMessage

VALID = {
    "first_name": "Sanne", "last_name": "de Vries", "email": "sanne@gemeente.example",
    "organisation": "Gemeente Utrecht", "terms": "y", "join_waiting_list": "y",
}


def enrol_url(edition) -> str:
    return f"/aanbod/{edition.offering.slug}/inschrijven/{edition.id}"


def counts(app) -> tuple[int, int]:
    """(bookings, enrolments) in the database."""
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Booking)),
                db.session.scalar(select(func.count()).select_from(Enrolment)))


def outbox(app, to: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            query = query.where(OutboxMessage.to_addr == to)
        messages = db.session.scalars(query).all()
        db.session.expunge_all()
        return messages


def link_from(text: str, marker: str) -> str:
    """The path of the first URL in a mail body that contains `marker`."""
    for word in text.split():
        if marker in word and word.startswith("http"):
            return "/" + word.split("/", 3)[3]
    raise AssertionError(f"no link with {marker!r} in:\n{text}")
