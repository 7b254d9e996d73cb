"""Rebooking (omboeken): a participant moves to another edition of the same offering, free of
charge until ENROLMENT_CHANGE_CUTOFF_DAYS before the start of their current edition.

One transaction: the seat in the new edition is claimed with the same conditional UPDATE as a
new enrolment (seats.claim), the old seat is freed and the old edition's waiting list
served (services.promote_waiting). Both editions' rows are locked first, in id order, so moves
in opposite directions cannot deadlock and nothing is overbooked.

A full target: the person may give up their seat and join that edition's waiting list at its
end (a new row: the list runs in id order); keeping the old seat while waiting would hold two
places, so the page asks them to choose."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..audit import log_action
from ..catalogue.models import Edition, EditionStatus
from ..clock import utcnow
from ..extensions import db
from . import mails, seats
from .models import SEATED, Booking, Enrolment, EnrolmentStatus, PersonalLink
from .queries import waiting_position
from .services import (AlreadyEnrolled, ChangeTooLate, EditionFull, EnrolmentError,
                       EnrolmentNotActive, NotConfirmed, _clear_cancelled,
                       can_change, ensure_open, promote_waiting)


class NotAnotherDate(EnrolmentError):
    message = "Kies een andere datum van dezelfde training."


class ChangedMeanwhile(EnrolmentError):
    message = "Je inschrijving is intussen gewijzigd. Bekijk hieronder hoe ze er nu voor staat."


class TargetFull(EditionFull):
    message = ("Deze datum is intussen vol. Je houdt je huidige plaats; kies een andere datum of "
               "ga op de wachtlijst van deze datum.")


def targets(enrolment: Enrolment, on: date | None = None) -> list[Edition]:
    """The other editions of the same offering one can move to now (not cancelled, not started,
    enrolment not closed), soonest first."""
    on = on or clock.today()
    editions = db.session.scalars(
        select(Edition).where(Edition.offering_id == enrolment.edition.offering_id,
                              Edition.id != enrolment.edition_id,
                              Edition.status != EditionStatus.GEANNULEERD, Edition.start_date > on)
        .order_by(Edition.start_date, Edition.id)).all()
    return [edition for edition in editions if not edition.enrolment_closed(on)]


def check(enrolment: Enrolment, on: date | None = None, by_staff: bool = False) -> None:
    """May this enrolment be moved at all (now, by this person)? Raises the reason why not."""
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise EnrolmentNotActive()
    if not enrolment.booking.is_confirmed:
        raise NotConfirmed()
    if not by_staff and not can_change(enrolment, on):
        raise ChangeTooLate()


def rebook(enrolment: Enrolment, target: Edition, *, join_waiting_list: bool = False,
           on: date | None = None, by_staff: bool = False, by_booker: bool = False,
           actor=None) -> Enrolment:
    """Move `enrolment` to `target`: a seat when one is free there, else (with
    `join_waiting_list`) the end of its waiting list, else TargetFull. Returns the enrolment
    as it now is (a new row when it went on the waiting list). Mails the participant; staff
    moves (`by_staff`, `actor`) are in the audit log, with ids only."""
    old = enrolment.edition
    if target.offering_id != old.offering_id or target.id == old.id:
        raise NotAnotherDate()
    ensure_open(target, on)
    _lock(enrolment, old, target)
    if enrolment.edition_id != old.id:
        raise ChangedMeanwhile()
    check(enrolment, on, by_staff)
    was = enrolment.status
    if db.session.scalar(select(exists().where(Enrolment.edition_id == target.id,
                                               Enrolment.email == enrolment.email,
                                               Enrolment.status != EnrolmentStatus.CANCELLED))):
        raise AlreadyEnrolled(enrolment.email)
    _clear_cancelled(target.id, [enrolment.email])
    if seats.claim(target.id, 1):
        moved = _take_seat(enrolment, target)
    elif join_waiting_list:
        moved = _queue(enrolment, target)
    else:
        raise TargetFull()
    promoted = []
    if was in SEATED:
        seats.release(old.id)
        promoted = promote_waiting(old)
    _booking_follows(moved.booking, target)
    db.session.expire(target, ["seats_taken"])
    mails.rebooked(moved, old, waiting_position(moved), by_staff, by_booker)
    if by_staff:
        log_action("enrolment.rebooked", "enrolment", moved.id, actor=actor, data={
            "from_edition_id": old.id, "to_edition_id": target.id, "status": str(moved.status),
            "promoted": [p.id for p in promoted]})
    return moved


def _lock(enrolment: Enrolment, *editions: Edition) -> None:
    """PostgreSQL: lock the enrolment, then both editions in id order (as a cancellation locks
    its enrolment, then its edition), and read the enrolment as it now is. (FOR NO KEY UPDATE
    for the editions: enrolment rows hold key-share locks on them through their foreign key.)
    SQLite holds one write lock for the whole transaction; there this only re-reads."""
    db.session.scalars(select(Enrolment).where(Enrolment.id == enrolment.id)
                       .with_for_update(of=Enrolment)
                       .execution_options(populate_existing=True)).one()
    db.session.execute(select(Edition.id).where(Edition.id.in_([e.id for e in editions]))
                       .order_by(Edition.id).with_for_update(key_share=True)).all()


def _take_seat(enrolment: Enrolment, target: Edition) -> Enrolment:
    """The enrolment itself moves (seat order does not matter); its links keep working."""
    enrolment.edition = target
    enrolment.status = EnrolmentStatus.CONFIRMED
    enrolment.confirmed_at = enrolment.confirmed_at or utcnow()
    enrolment.reminder_sent_at = None
    _flush(enrolment.email)
    return enrolment


def _queue(enrolment: Enrolment, target: Edition) -> Enrolment:
    """A new waiting row in `target` (so it queues behind those already waiting); the old row
    goes and the person's links now open the new one."""
    moved = Enrolment(booking=enrolment.booking, edition=target, first_name=enrolment.first_name,
                      last_name=enrolment.last_name, email=enrolment.email,
                      status=EnrolmentStatus.WAITING, replaced_email=enrolment.replaced_email)
    db.session.add(moved)
    _flush(enrolment.email)
    db.session.execute(update(PersonalLink).where(PersonalLink.enrolment_id == enrolment.id)
                       .values(enrolment_id=moved.id).execution_options(synchronize_session=False))
    db.session.delete(enrolment)
    db.session.flush()
    return moved


def _flush(email: str) -> None:
    try:
        db.session.flush()
    except IntegrityError as error:  # the same address enrolled there a moment earlier
        raise AlreadyEnrolled(email) from error


def _booking_follows(booking: Booking, target: Edition) -> None:
    """When all of a booking's active participants are now in `target`, so is the booking (its
    invoice details are kept, and purged, by the edition it is for)."""
    elsewhere = db.session.scalar(select(exists().where(
        Enrolment.booking_id == booking.id, Enrolment.edition_id != target.id,
        Enrolment.status != EnrolmentStatus.CANCELLED)))
    if not elsewhere:
        booking.edition = target
        db.session.flush()
