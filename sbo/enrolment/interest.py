"""'Houd mij op de hoogte': double opt-in registrations of interest in an offering, and the
one mail per person when a new edition of it is added."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select

from .. import clock
from ..catalogue.models import Edition, EditionStatus, Offering
from ..clock import utcnow
from ..email_address import normalise_email
from ..extensions import db
from ..mail_throttle import may_mail
from . import mails
from .models import InterestNotification, InterestRegistration, InterestStatus


def register_interest(offering: Offering, name: str, email: str, preferred_city: str = "",
                      preferred_month: str = "") -> InterestRegistration:
    """Record (or renew) a registration; it stays pending until the link in the mail is
    confirmed. An active registration is left alone and gets no second mail, and an address
    gets at most one confirmation mail per MAIL_THROTTLE_SECONDS, however often the form is
    sent (the link in that mail confirms every pending registration of the address)."""
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
    if may_mail("interest-confirm", email):
        mails.interest_confirm(registration)
    return registration


def to_confirm(registration: InterestRegistration) -> list[InterestRegistration]:
    """What the confirmation link confirms: this registration unless it is active already, and
    every other pending registration of the same address (their own mail may have been held
    back by the throttle; the address is the same, so the proof is too)."""
    pending = db.session.scalars(
        select(InterestRegistration)
        .where(InterestRegistration.email == registration.email,
               InterestRegistration.status == InterestStatus.PENDING)
        .order_by(InterestRegistration.id)).all()
    if registration.status != InterestStatus.ACTIVE and registration not in pending:
        pending = [registration, *pending]
    return list(pending)


def confirm_interest(registration: InterestRegistration) -> list[InterestRegistration]:
    """The double opt-in, POSTed from the page the link opens (a mail scanner that follows the
    link confirms nothing). Returns the registrations it confirmed; empty when all were active."""
    confirmed = to_confirm(registration)
    now = utcnow()
    for item in confirmed:
        item.status = InterestStatus.ACTIVE
        item.confirmed_at = now
        item.unsubscribed_at = None
    db.session.flush()
    return confirmed


def unsubscribe(registration: InterestRegistration) -> None:
    if registration.status != InterestStatus.UNSUBSCRIBED:
        registration.status = InterestStatus.UNSUBSCRIBED
        registration.unsubscribed_at = utcnow()
        db.session.flush()


def worth_announcing(edition: Edition, on: date | None = None) -> bool:
    """Only an edition people can enrol in is news: open, with at least one place, not yet
    started, of a published offering."""
    return (edition.status == EditionStatus.OPEN and edition.capacity >= 1
            and edition.start_date > (on or clock.today()) and edition.offering.published)


def notify_interested(edition: Edition, batch: int = 200) -> int:
    """Mail every active interested person of the edition's offering about this edition,
    once per address and edition (recorded in interest_notification; an address registered
    twice, e.g. in two spellings, still gets one mail). Returns how many were mailed. Nothing
    is sent about an edition that is not worth announcing. Works through the registrations in
    batches, never loading them all."""
    if not worth_announcing(edition):
        return 0
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
        addresses = {normalise_email(r.email) for r in registrations}
        mailed = set(db.session.scalars(  # addresses told about this edition already
            select(func.lower(InterestRegistration.email))
            .join(InterestNotification, InterestNotification.registration_id == InterestRegistration.id)
            .where(InterestNotification.edition_id == edition.id,
                   func.lower(InterestRegistration.email).in_(addresses))))
        for registration in registrations:
            db.session.add(InterestNotification(registration_id=registration.id, edition_id=edition.id))
            address = normalise_email(registration.email)
            if address in mailed:
                continue
            mailed.add(address)
            mails.new_edition(registration, edition)
            count += 1
        last_id = registrations[-1].id
        db.session.flush()
