"""'Houd mij op de hoogte': double opt-in registrations of interest in an offering, and the
one mail per person when a new edition of it is added."""
from __future__ import annotations

from sqlalchemy import exists, select

from ..catalogue.models import Edition, Offering
from ..extensions import db
from ..mail import utcnow
from . import mails
from .models import InterestNotification, InterestRegistration, InterestStatus


def register_interest(offering: Offering, name: str, email: str, preferred_city: str = "",
                      preferred_month: str = "") -> InterestRegistration:
    """Record (or renew) a registration; it stays pending until the link in the mail is
    clicked. An active registration is left alone and gets no second mail."""
    registration = db.session.scalar(
        select(InterestRegistration).where(InterestRegistration.offering_id == offering.id,
                                           InterestRegistration.email == email))
    if registration is not None and registration.status == InterestStatus.ACTIVE:
        registration.preferred_city, registration.preferred_month = preferred_city, preferred_month
        db.session.flush()
        return registration
    if registration is None:
        registration = InterestRegistration(offering=offering, email=email)
        db.session.add(registration)
    registration.name = name
    registration.preferred_city, registration.preferred_month = preferred_city, preferred_month
    registration.status = InterestStatus.PENDING
    registration.unsubscribed_at = None
    db.session.flush()
    mails.interest_confirm(registration)
    return registration


def confirm_interest(registration: InterestRegistration) -> bool:
    """The double opt-in click. Returns False when it was active already."""
    if registration.status == InterestStatus.ACTIVE:
        return False
    registration.status = InterestStatus.ACTIVE
    registration.confirmed_at = utcnow()
    registration.unsubscribed_at = None
    db.session.flush()
    return True


def unsubscribe(registration: InterestRegistration) -> None:
    if registration.status != InterestStatus.UNSUBSCRIBED:
        registration.status = InterestStatus.UNSUBSCRIBED
        registration.unsubscribed_at = utcnow()
        db.session.flush()


def notify_interested(edition: Edition, batch: int = 200) -> int:
    """Mail every active interested person of the edition's offering about this edition,
    once per person and edition (recorded in interest_notification). Returns how many were
    mailed. Works through the registrations in batches, never loading them all."""
    already = exists().where(InterestNotification.registration_id == InterestRegistration.id,
                             InterestNotification.edition_id == edition.id)
    last_id, count = 0, 0
    while True:
        registrations = db.session.scalars(
            select(InterestRegistration)
            .where(InterestRegistration.offering_id == edition.offering_id,
                   InterestRegistration.status == InterestStatus.ACTIVE,
                   InterestRegistration.id > last_id, ~already)
            .order_by(InterestRegistration.id).limit(batch)).all()
        if not registrations:
            return count
        for registration in registrations:
            db.session.add(InterestNotification(registration_id=registration.id, edition_id=edition.id))
            mails.new_edition(registration, edition)
            count += 1
        last_id = registrations[-1].id
        db.session.flush()
