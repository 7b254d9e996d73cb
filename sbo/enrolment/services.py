"""Enrolment rules: seats, consent, the waiting list, cancelling, substitutes, reminders.

Seats are decided by the database: an enrolment takes a seat only through the conditional
UPDATE in `_claim_seats`, so concurrent requests can never overbook. The functions change
state and flush; the caller commits (one transaction per request or command).

Consent (see consent.py): a new booking holds its seats (status "held", counted in
seats_taken) or its waiting-list places until the booker confirms; only then are the
participants mailed, and only then do its waiting places take part in promotions."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping, Sequence

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import clock
from ..audit import log_action
from ..catalogue.models import Edition, EditionStatus
from ..clock import utcnow
from ..email_address import normalise_email
from ..extensions import db
from ..filters import dutch_date
from ..mail import OutboxMessage
from ..mail_throttle import may_mail_each
from . import links, mails, offers, seats, terms
from .models import SEATED, Booking, Enrolment, EnrolmentStatus, RegistrationNumber
from .queries import waiting_position


class EnrolmentError(Exception):
    """A broken rule; `message` is the Dutch text for the person."""
    message = "Dit is niet mogelijk."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class EditionClosed(EnrolmentError):
    message = "Voor deze editie kun je je niet (meer) inschrijven."


class DeadlinePassed(EditionClosed):
    """The edition's enrolment deadline has passed: no enrolment, no waiting list (a place on
    it would be a late enrolment); the person may ask to hear of new dates instead."""
    message = "De inschrijving voor deze editie is gesloten."


class EditionFull(EnrolmentError):
    message = "Deze editie is vol. Je kunt je aanmelden voor de wachtlijst."


class AlreadyEnrolled(EnrolmentError):
    def __init__(self, email: str | None):
        self.email = email
        super().__init__(f"{email} is al ingeschreven voor deze editie." if email
                         else "Een van de deelnemers is al ingeschreven voor deze editie.")


class EnrolmentNotActive(EnrolmentError):
    message = "Deze inschrijving is al geannuleerd."


class TooManyParticipants(EnrolmentError):
    def __init__(self, most: int):
        super().__init__(f"Je kunt met één inschrijving hoogstens {most} collega's meenemen. "
                         "Schrijf de anderen apart in, of neem contact met ons op.")


class NotConfirmed(EnrolmentError):
    message = "Deze inschrijving is nog niet bevestigd door degene die haar heeft ingevuld."


class ChangeTooLate(EnrolmentError):
    message = "Wijzigen of annuleren via de website kan niet meer zo kort voor de start. Neem contact met ons op."


@dataclass(frozen=True)
class Participant:
    first_name: str
    last_name: str
    email: str
    # registration numbers in the registers accrediting the offering: {register id: number}
    numbers: Mapping[int, str] = field(default_factory=dict)


BOOKING_FIELDS = ("first_name", "last_name", "email", "phone", "organisation", "job_title",
                  "invoice_address", "invoice_postcode", "invoice_city", "po_number",
                  "cost_centre", "remarks")
# a waiting booking may wait for any date of the offering, optionally in one city or month
WAIT_FIELDS = ("wait_city", "wait_month")


def max_colleagues() -> int:
    """ENROLMENT_MAX_GROUP: how many colleagues one booking may enrol besides the booker (the
    form shows that many rows; the server refuses more)."""
    return int(current_app.config["ENROLMENT_MAX_GROUP"])


def hold_period() -> timedelta:
    return timedelta(hours=float(current_app.config["ENROLMENT_HOLD_HOURS"]))


CANCELLED_MESSAGE = "Deze editie is geannuleerd. Kies een andere datum of laat je op de hoogte houden."


def ensure_open(edition: Edition, on: date | None = None) -> None:
    """Cancelled editions, editions that have started and editions past their enrolment
    deadline take no enrolments (nor places on the waiting list)."""
    on = on or clock.today()
    if edition.status == EditionStatus.GEANNULEERD:
        raise EditionClosed(CANCELLED_MESSAGE)
    if edition.start_date <= on:
        raise EditionClosed("Deze editie is al begonnen of voorbij. Kies een andere datum.")
    if edition.enrolment_closed(on):
        raise DeadlinePassed(f"Inschrijven voor deze editie kon tot en met "
                             f"{dutch_date(edition.enrolment_closes_on)}. De inschrijving is gesloten.")


def is_full(edition: Edition) -> bool:
    """No free seat: all taken, or staff marked the edition "vol" (waiting list only)."""
    return edition.status == EditionStatus.VOL or edition.seats_taken >= edition.capacity


def _clear_cancelled(edition_id: int, emails: Sequence[str]) -> None:
    """Make room (under the unique constraint) for people who cancelled and come back."""
    db.session.execute(
        delete(Enrolment).where(Enrolment.edition_id == edition_id, Enrolment.email.in_(emails),
                                Enrolment.status == EnrolmentStatus.CANCELLED)
        .execution_options(synchronize_session=False))


def enrol(edition: Edition, details: Mapping[str, str], participants: Sequence[Participant],
          join_waiting_list: bool = True, on: date | None = None) -> Booking:
    """Enrol a group (the booker first) in one edition: all get a seat (held until the booker
    confirms), or, when there are not enough seats and `join_waiting_list`, all go on the
    waiting list. Queues one mail: the confirmation request to the booker."""
    ensure_open(edition, on)
    if len(participants) > 1 + max_colleagues():
        raise TooManyParticipants(max_colleagues())
    emails = [p.email for p in participants]
    if not participants or len(set(emails)) != len(emails):
        raise AlreadyEnrolled(None)
    known = db.session.execute(
        select(Enrolment.email, Enrolment.status).where(Enrolment.edition_id == edition.id,
                                                        Enrolment.email.in_(emails))).all()
    taken = next((email for email, status in known if status != EnrolmentStatus.CANCELLED), None)
    if taken:
        raise AlreadyEnrolled(taken)
    # The booking, its enrolments and their confirmation mails are written first, as if the
    # seats were free; the seats are claimed last, just before the commit, so that the edition's
    # row (PostgreSQL) stays locked only for the claim and the commit, and other enrolments in a
    # rush for the same edition wait as briefly as possible. On SQLite the write lock is held
    # from the first INSERT, so all the reading comes before it.
    if known:
        _clear_cancelled(edition.id, emails)
    booking, enrolments = _write_booking(edition, details, participants, EnrolmentStatus.HELD)
    drafts = [mails.confirm_booking_request(booking, enrolments)]

    if not seats.claim(edition.id, len(participants)):
        if not join_waiting_list:
            raise EditionFull()
        # Queue up behind the edition's row lock (PostgreSQL; SQLite already holds the write
        # lock), so waiting-list places are handed out one at a time, then try once more:
        # a seat may have been freed while we waited. (FOR NO KEY UPDATE: the enrolment rows
        # written above hold a key-share lock on the edition through their foreign key, as do
        # those of the others queueing here; FOR UPDATE would deadlock with them.)
        current = db.session.scalar(
            select(Edition.status).where(Edition.id == edition.id).with_for_update(key_share=True))
        if current == EditionStatus.GEANNULEERD:  # cancelled by staff since we first looked
            raise EditionClosed(CANCELLED_MESSAGE)
        if not seats.claim(edition.id, len(participants)):
            # The waiting list runs in id order: write the rows again, now that we hold the lock.
            links.revoke(booking_ids=[booking.id])
            for row in [*drafts, *enrolments, booking]:
                db.session.delete(row)
            db.session.flush()
            booking, enrolments = _write_booking(edition, details, participants, EnrolmentStatus.WAITING)
            mails.confirm_booking_request(booking, enrolments)
    db.session.expire(edition, ["seats_taken"])
    return booking


def _write_booking(edition: Edition, details: Mapping[str, str], participants: Sequence[Participant],
                   status: EnrolmentStatus) -> tuple[Booking, list[Enrolment]]:
    booking = Booking(edition=edition, hold_expires_at=utcnow() + hold_period(),
                      wait_any_date=bool(details.get("wait_any_date")),
                      **{key: details.get(key) or "" for key in (*BOOKING_FIELDS, *WAIT_FIELDS)})
    db.session.add(booking)
    enrolments = [Enrolment(booking=booking, edition=edition, first_name=p.first_name,
                            last_name=p.last_name, email=p.email, status=status)
                  for p in participants]
    db.session.add_all(enrolments)
    try:
        db.session.flush()
    except IntegrityError as error:  # someone enrolled the same address a moment earlier
        raise AlreadyEnrolled(None) from error
    db.session.add_all(RegistrationNumber(enrolment_id=enrolment.id, register_id=register_id, number=number)
                       for enrolment, p in zip(enrolments, participants) for register_id, number in p.numbers.items())
    return booking, enrolments


def _queue_received_mails(booking: Booking, enrolments: list[Enrolment],
                          calendar: tuple[str, str, bytes]) -> list[OutboxMessage]:
    """The booker's mail names the colleagues they enrolled; each colleague gets their own.
    Sent once the booker has confirmed their own address, so the booker is always mailed; a
    colleague's address was typed by someone else and gets at most one such mail per period
    (mail_throttle), however many bookings name it."""
    booker = normalise_email(enrolments[0].email)
    allowed = may_mail_each("enrolment", [enrolment.email for enrolment in enrolments[1:]]) | {booker}
    return [mails.enrolment_received(enrolment, booking,
                                     enrolments[1:] if enrolment is enrolments[0] else [],
                                     waiting_position(enrolment), calendar=calendar)
            for enrolment in enrolments if normalise_email(enrolment.email) in allowed]


def booking_enrolments(booking: Booking) -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.booking_id == booking.id).order_by(Enrolment.id)))


def can_change(enrolment: Enrolment, on: date | None = None) -> bool:
    days = terms.change_cutoff_days()
    return (on or clock.today()) <= enrolment.edition.start_date - timedelta(days=days)


def cancel_enrolment(enrolment: Enrolment, by_staff: bool = False,
                     on: date | None = None, *, actor=None, by_booker: bool = False) -> list[Enrolment]:
    """Cancel; a confirmed or held enrolment frees its seat, which goes to the waiting list.
    Participants (or their booker: `by_booker`, named in the mail) may do this up to the
    cut-off, staff at any time. Returns who was promoted.
    Nobody in a booking that was never confirmed is mailed. A cancellation by staff writes an
    audit entry (ids only: `actor` is the staff account)."""
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise EnrolmentNotActive()
    if not by_staff and not can_change(enrolment, on):
        raise ChangeTooLate()
    was = enrolment.status
    cost = terms.cancellation_cost(enrolment, on)
    result = db.session.execute(
        update(Enrolment).where(Enrolment.id == enrolment.id, Enrolment.status == was)
        .values(status=EnrolmentStatus.CANCELLED, cancelled_at=utcnow(), cancelled_by_staff=by_staff)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # cancelled by a concurrent request
        raise EnrolmentNotActive()
    db.session.refresh(enrolment)
    if enrolment.booking.is_confirmed:
        mails.cancelled(enrolment, by_staff, cost, was_waiting=was == EnrolmentStatus.WAITING,
                        by_booker=by_booker)
    promoted = []
    if was in SEATED:
        seats.release(enrolment.edition_id)
        if was == EnrolmentStatus.OFFERED:
            offers.person_left(enrolment)
        promoted = promote_waiting(enrolment.edition)
    if by_staff:
        log_action("enrolment.cancelled", "enrolment", enrolment.id, actor=actor, data={
            "edition_id": enrolment.edition_id, "booking_id": enrolment.booking_id, "was": str(was),
            "promoted": [p.id for p in promoted]})
    return promoted


def cancel_enrolments(edition: Edition, batch: int = 200) -> int:
    """The edition is cancelled (signal edition_cancelled, receivers.py): cancel every confirmed,
    held, offered and waiting enrolment (people waiting for any date keep waiting for the others), tell each person of a confirmed booking by e-mail, and free all
    seats (seats_taken = 0: no seated enrolment is left). Works in batches. Returns how many
    people were told."""
    told, last_id = 0, 0
    while True:
        enrolments = db.session.scalars(
            select(Enrolment).join(Booking, Booking.id == Enrolment.booking_id)
            .where(Enrolment.edition_id == edition.id, Enrolment.id > last_id,
                   Enrolment.status.in_(SEATED) | ((Enrolment.status == EnrolmentStatus.WAITING)
                                                   & Booking.wait_any_date.is_(False)))
            .options(joinedload(Enrolment.booking))
            .order_by(Enrolment.id).limit(batch)).all()
        if not enrolments:
            break
        now = utcnow()
        for enrolment in enrolments:
            was_waiting = enrolment.status in (EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED)
            enrolment.status = EnrolmentStatus.CANCELLED
            enrolment.cancelled_at, enrolment.cancelled_by_staff = now, True
            if enrolment.booking.is_confirmed:
                mails.edition_cancelled(enrolment, was_waiting)
                told += 1
        last_id = enrolments[-1].id
        db.session.flush()
    offers.withdraw_all(edition)
    db.session.execute(update(Edition).where(Edition.id == edition.id).values(seats_taken=0)
                       .execution_options(synchronize_session=False))
    db.session.expire(edition, ["seats_taken"])
    return told


def promote_waiting(edition: Edition) -> list[Enrolment]:
    """Seats were freed in `edition` (a cancellation, more capacity, someone moving away): offer
    them to the waiting list (offers.py; only confirmed bookings take part, in order of joining).
    Returns the people whose seats are now held for them; each booking is mailed its offer."""
    return offers.make_offers(edition)


def substitute(enrolment: Enrolment, first_name: str, last_name: str, email: str,
               on: date | None = None, by_booker: bool = False) -> Enrolment:
    """A colleague takes over the enrolment (and its seat or waiting-list place); `by_booker`:
    the booker arranged it (the mails say so)."""
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise EnrolmentNotActive()
    if not enrolment.booking.is_confirmed:
        raise NotConfirmed()
    if not can_change(enrolment, on):
        raise ChangeTooLate()
    taken = db.session.scalar(
        select(Enrolment.id).where(Enrolment.edition_id == enrolment.edition_id,
                                   Enrolment.email == email,
                                   Enrolment.status != EnrolmentStatus.CANCELLED))
    if taken:
        raise AlreadyEnrolled(email)
    _clear_cancelled(enrolment.edition_id, [email])
    previous_name, previous_email = enrolment.name, enrolment.email
    previous_first_name = enrolment.first_name
    enrolment.first_name, enrolment.last_name, enrolment.email = first_name, last_name, email
    enrolment.replaced_email = previous_email
    enrolment.reminder_sent_at = None
    # the registration numbers were the previous holder's; the substitute adds their own
    db.session.execute(delete(RegistrationNumber).where(RegistrationNumber.enrolment_id == enrolment.id))
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyEnrolled(email) from error
    links.hand_over(enrolment)
    mails.substituted(enrolment, previous_name, previous_email, previous_first_name, by_booker)
    return enrolment


def send_reminders(on: date | None = None, limit: int = 100) -> tuple[int, int]:
    """One batch of reminders for confirmed participants whose edition starts within
    REMINDER_DAYS_BEFORE days. Each is recorded, so a second run sends nothing twice.
    Returns (looked at, sent); call until nothing is left."""
    on = on or clock.today()
    horizon = on + timedelta(days=int(current_app.config["REMINDER_DAYS_BEFORE"]))
    due = db.session.scalars(
        select(Enrolment).join(Enrolment.edition)
        .where(Enrolment.status == EnrolmentStatus.CONFIRMED,
               Enrolment.reminder_sent_at.is_(None),
               Edition.status != EditionStatus.GEANNULEERD,
               Edition.start_date >= on, Edition.start_date <= horizon)
        .order_by(Enrolment.id).limit(limit)).all()
    sent = 0
    for enrolment in due:
        claimed = db.session.execute(
            update(Enrolment).where(Enrolment.id == enrolment.id, Enrolment.reminder_sent_at.is_(None))
            .values(reminder_sent_at=utcnow()).execution_options(synchronize_session=False))
        if claimed.rowcount == 1:
            mails.reminder(enrolment)
            sent += 1
    return len(due), sent
