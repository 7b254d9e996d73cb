"""Consent for enrolments: a booking holds its seats until the booker confirms.

`services.enrol` writes a new booking with its enrolments "held" (seats taken, counted in
edition.seats_taken) or "waiting", and mails only the booker, asking them to confirm. Here:
`confirm_booking` (the booker clicked the link: now everybody is mailed and waiting places
join the queue) and `expire_holds` (bookings not confirmed within ENROLMENT_HOLD_HOURS are
removed, their seats go to the waiting list). `seat_count_mismatches` checks the seat
invariant: for every edition, seats_taken == its confirmed + held enrolments."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, func, select, update

from ..catalogue.models import Edition, EditionStatus
from ..clock import utcnow
from ..extensions import db
from . import mails
from .models import SEATED, Booking, Enrolment, EnrolmentStatus
from . import seats
from .services import EnrolmentError, _queue_received_mails, promote_waiting


class HoldExpired(EnrolmentError):
    message = ("De tijd om deze inschrijving te bevestigen is voorbij. De plaatsen zijn weer vrij; "
               "schrijf je opnieuw in als je nog mee wilt doen.")


class AlreadyConfirmed(EnrolmentError):
    message = "Deze inschrijving is al bevestigd."


def confirm_booking(booking: Booking) -> list[Enrolment]:
    """The booker clicked the link in their mail: held seats become confirmed, waiting places
    join the queue (in their original order), and now every participant is mailed.
    Returns the booking's enrolments. HoldExpired / AlreadyConfirmed when that is too late."""
    now = utcnow()
    claimed = db.session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.confirmed_at.is_(None),
                              Booking.hold_expires_at > now)
        .values(confirmed_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        confirmed = db.session.scalar(select(Booking.confirmed_at).where(Booking.id == booking.id))
        raise AlreadyConfirmed() if confirmed else HoldExpired()
    db.session.execute(
        update(Enrolment).where(Enrolment.booking_id == booking.id,
                                Enrolment.status == EnrolmentStatus.HELD)
        .values(status=EnrolmentStatus.CONFIRMED, confirmed_at=now)
        .execution_options(synchronize_session=False))
    db.session.refresh(booking)
    enrolments = list(db.session.scalars(
        select(Enrolment).where(Enrolment.booking_id == booking.id).order_by(Enrolment.id)
        .execution_options(populate_existing=True)))
    _queue_received_mails(booking, enrolments, mails.calendar_attachment(booking.edition))
    return enrolments


def expire_holds(now: datetime | None = None, limit: int = 200) -> int:
    """Remove bookings whose booker did not confirm in time (their people were never mailed),
    free their held seats and give them to the waiting list. Returns how many were removed;
    call until it returns 0."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Booking.id).where(Booking.confirmed_at.is_(None), Booking.hold_expires_at <= now)
        .order_by(Booking.id).limit(limit)).all()
    enrolment = Enrolment.__table__
    editions: set[int] = set()
    removed = 0
    for booking_id in due:
        # lock the booking against a confirmation running at the same moment (which wins
        # if it got there first: then nothing matches here)
        locked = db.session.execute(
            update(Booking).where(Booking.id == booking_id, Booking.confirmed_at.is_(None),
                                  Booking.hold_expires_at <= now)
            .values(hold_expires_at=Booking.hold_expires_at).execution_options(synchronize_session=False))
        if locked.rowcount != 1:
            continue
        # RETURNING gives each row as it was deleted, so a seat taken a moment ago is freed too
        rows = db.session.execute(
            delete(enrolment).where(enrolment.c.booking_id == booking_id)
            .returning(enrolment.c.edition_id, enrolment.c.status)).all()
        for edition_id, held in Counter(e for e, status in rows if status in SEATED).items():
            seats.release(edition_id, held)
            editions.add(edition_id)
        db.session.execute(delete(Booking).where(Booking.id == booking_id)
                           .execution_options(synchronize_session=False))
        removed += 1
    for edition_id in sorted(editions):
        edition = db.session.get(Edition, edition_id)
        if edition is not None and edition.status != EditionStatus.GEANNULEERD:
            promote_waiting(edition)
    return removed


def seat_count_mismatches() -> list[tuple[int, int, int]]:
    """(edition id, seats_taken, confirmed + held enrolments) for every edition where the two
    differ: empty when the seat invariant holds."""
    seated = (select(Enrolment.edition_id, func.count().label("n"))
              .where(Enrolment.status.in_(SEATED)).group_by(Enrolment.edition_id).subquery())
    counted = func.coalesce(seated.c.n, 0)
    return [tuple(row) for row in db.session.execute(
        select(Edition.id, Edition.seats_taken, counted)
        .outerjoin(seated, seated.c.edition_id == Edition.id)
        .where(Edition.seats_taken != counted).order_by(Edition.id))]
