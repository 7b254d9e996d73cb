"""Waiting-list offers: a freed seat is offered, not given.

`make_offers(edition)` (called through services.promote_waiting whenever seats free up) holds
free seats for the first waiting booking that fits: all its waiting people at once (a group is
never split), or, with OFFER_SKIP_GROUPS_THAT_DO_NOT_FIT off, nobody until the first fits. The
held seats are taken seats (status "offered", counted in edition.seats_taken), so nobody else
can take them. The booker is mailed a personal link to accept or decline before the offer
lapses (`expiry`). Accepting confirms the people held for it; declining or lapsing frees the
seats for the next in line. `process_offers` (the `process-offers` command, and every round of
`send-mail --loop`) lapses due offers, offers their seats again and sends the reminders.

Waiting for any date: a booking with wait_any_date waits for every edition of its offering
(in wait_city / wait_month when set); it moves to the edition whose seats it is offered. An
offer it declines or lets lapse leaves it waiting for the other dates (never this one again);
a booking that waits for one edition only leaves the waiting list then.

The functions flush; the caller commits."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, func, or_, select, update

from .. import clock
from ..audit import log_action
from ..catalogue.models import Edition, EditionStatus
from ..extensions import db
from . import mails, seats
from .models import Booking, Enrolment, EnrolmentStatus, Offer, OfferState


class OfferClosed(Exception):
    """The offer is no longer open; `message` is the Dutch text for the person."""

    def __init__(self, offer: Offer):
        self.offer = offer
        super().__init__(CLOSED_MESSAGES[OfferState(offer.state)])

    @property
    def message(self) -> str:
        return str(self)


CLOSED_MESSAGES = {
    OfferState.OPEN: "Deze tijd om de plaats aan te nemen is voorbij.",
    OfferState.ACCEPTED: "Je hebt deze plaats al aangenomen.",
    OfferState.DECLINED: "Je hebt deze plaats afgeslagen.",
    OfferState.LAPSED: "Deze aangeboden plaats is verlopen: je hebt niet op tijd gereageerd.",
    OfferState.WITHDRAWN: "Deze aangeboden plaats is ingetrokken.",
}


class NoSeatFree(Exception):
    message = ("Er is geen plaats vrij voor deze boeking. Verhoog eerst het aantal plaatsen van de editie, "
               "met ‘Nieuwe plaatsen meteen aanbieden aan de wachtlijst’ uitgevinkt.")


def _hours(key: str) -> timedelta:
    return timedelta(hours=float(current_app.config[key]))


def expiry(edition: Edition, now: datetime | None = None) -> datetime | None:
    """When an offer made now lapses: OFFER_HOURS from now, but not past the start of the day
    before the edition starts (Dutch time), and never sooner than OFFER_MIN_HOURS from now.
    None when even that would run into the start day: too late to offer anything."""
    now = now or clock.utcnow()
    start_day = clock.to_utc(edition.start_date, time(0, 0))
    shortest = now + _hours("OFFER_MIN_HOURS")
    if shortest > start_day:
        return None
    return max(min(now + _hours("OFFER_HOURS"), start_day - timedelta(days=1)), shortest)


def _matches(edition: Edition):
    """Waiting enrolments that may be offered a seat in `edition`: those waiting for it, and
    those of bookings waiting for any (matching) date of its offering."""
    same_offering = select(Edition.id).where(Edition.offering_id == edition.offering_id).scalar_subquery()
    any_date = and_(Booking.wait_any_date.is_(True), Enrolment.edition_id.in_(same_offering),
                    or_(Booking.wait_city == "", func.lower(Booking.wait_city) == edition.city.lower()),
                    or_(Booking.wait_month == "", Booking.wait_month == f"{edition.start_date:%Y-%m}"))
    return or_(Enrolment.edition_id == edition.id, any_date)


def candidates(edition: Edition, limit: int = 50) -> list[tuple[int, int]]:
    """(booking id, people waiting) in order of joining: confirmed bookings with waiting people
    that may take seats in `edition` and were never offered seats in it before."""
    offered_before = exists().where(Offer.booking_id == Booking.id, Offer.edition_id == edition.id)
    return [tuple(row) for row in db.session.execute(
        select(Booking.id, func.count(Enrolment.id)).join(Enrolment, Enrolment.booking_id == Booking.id)
        .where(Enrolment.status == EnrolmentStatus.WAITING, Booking.confirmed_at.is_not(None),
               _matches(edition), ~offered_before)
        .group_by(Booking.id).order_by(Booking.id).limit(limit))]


def _free_seats(edition: Edition) -> int:
    if edition.status != EditionStatus.OPEN:
        return 0
    taken = db.session.scalar(select(Edition.seats_taken).where(Edition.id == edition.id))
    return edition.capacity - taken


def make_offers(edition: Edition) -> list[Enrolment]:
    """Offer the edition's free seats to the waiting list (see the module). Returns the people
    whose seats are now held for them."""
    offered: list[Enrolment] = []
    now = clock.utcnow()
    expires = expiry(edition, now)
    while expires is not None and (free := _free_seats(edition)) > 0:
        made = None
        for booking_id, size in candidates(edition):
            if size > free:
                if current_app.config["OFFER_SKIP_GROUPS_THAT_DO_NOT_FIT"]:
                    continue
                break
            made = _offer(db.session.get(Booking, booking_id), edition, size, now, expires)
            if made:
                break
        if not made:
            break
        offered += made
    db.session.expire(edition, ["seats_taken"])
    return offered


def _offer(booking: Booking, edition: Edition, size: int, now: datetime, expires: datetime,
           by_staff: bool = False) -> list[Enrolment]:
    """Hold `size` seats and move the booking's waiting people onto them; [] when the seats
    are gone or the people were taken by a concurrent offer, or one of them is already
    enrolled in `edition` (an any-date booking)."""
    emails = list(db.session.scalars(select(Enrolment.email).where(
        Enrolment.booking_id == booking.id, Enrolment.status == EnrolmentStatus.WAITING)))
    if db.session.scalar(select(exists().where(
            Enrolment.edition_id == edition.id, Enrolment.email.in_(emails), Enrolment.booking_id != booking.id,
            Enrolment.status != EnrolmentStatus.CANCELLED))):
        return []
    if not seats.claim(edition.id, size):
        return []
    db.session.execute(delete(Enrolment).where(
        Enrolment.edition_id == edition.id, Enrolment.email.in_(emails), Enrolment.booking_id != booking.id,
        Enrolment.status == EnrolmentStatus.CANCELLED).execution_options(synchronize_session=False))
    moved = db.session.execute(
        update(Enrolment).where(Enrolment.booking_id == booking.id, Enrolment.status == EnrolmentStatus.WAITING)
        .values(status=EnrolmentStatus.OFFERED, edition_id=edition.id)
        .execution_options(synchronize_session=False)).rowcount
    if moved < size:
        seats.release(edition.id, size - moved)
    if not moved:
        return []
    booking.edition_id = edition.id
    offer = Offer(booking=booking, edition=edition, seats=moved, expires_at=expires, by_staff=by_staff,
                  created_at=now)
    db.session.add(offer)
    db.session.flush()
    people = offered_people(offer)
    mails.offer_made(offer, people)
    return people


def offered_people(offer: Offer) -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.booking_id == offer.booking_id, Enrolment.edition_id == offer.edition_id,
                                Enrolment.status == EnrolmentStatus.OFFERED)
        .order_by(Enrolment.id).execution_options(populate_existing=True)))


def offer_by_hand(edition: Edition, booking: Booking, *, actor) -> Offer:
    """Staff offer free seats of `edition` to a waiting booking out of turn. NoSeatFree when
    the seats are not there (or the booking no longer waits)."""
    size = db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.booking_id == booking.id, Enrolment.status == EnrolmentStatus.WAITING, _matches(edition))
        .join(Booking, Booking.id == Enrolment.booking_id))
    now = clock.utcnow()
    expires = expiry(edition, now)
    if not size or expires is None or not _offer(booking, edition, size, now, expires, by_staff=True):
        raise NoSeatFree()
    offer = db.session.scalars(select(Offer).where(Offer.booking_id == booking.id)
                               .order_by(Offer.id.desc()).limit(1)).one()
    log_action("offer.made", "offer", offer.id, actor=actor,
               data={"edition_id": edition.id, "booking_id": booking.id, "seats": offer.seats})
    return offer


def _close(offer: Offer, state: OfferState, now: datetime, *, before: datetime | None = None) -> None:
    """Move an open offer to `state`, or raise OfferClosed (also when it lapsed at `before`).
    The conditional UPDATE makes two concurrent answers to one offer end in one."""
    condition = [Offer.id == offer.id, Offer.state == OfferState.OPEN]
    if before is not None:
        condition.append(Offer.expires_at > before)
    done = db.session.execute(update(Offer).where(*condition).values(state=state, closed_at=now)
                              .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(offer)
    if done != 1:
        raise OfferClosed(offer)


def accept(offer: Offer) -> list[Enrolment]:
    """Confirm the people the offer holds seats for (their seats are theirs already: nothing
    can overbook here). OfferClosed when it is no longer open or has lapsed."""
    now = clock.utcnow()
    _close(offer, OfferState.ACCEPTED, now, before=now)
    people = offered_people(offer)
    for enrolment in people:
        enrolment.status, enrolment.confirmed_at = EnrolmentStatus.CONFIRMED, now
    db.session.flush()
    for enrolment in people:
        mails.promoted(enrolment)
    return people


def decline(offer: Offer) -> list[Enrolment]:
    """The booking does not want the seats: they go to the next in line. Returns who got them."""
    _close(offer, OfferState.DECLINED, clock.utcnow())
    return _give_back(offer)


def _give_back(offer: Offer, lapsed: bool = False) -> list[Enrolment]:
    """Free the offer's seats; its people wait for other dates (any-date bookings) or leave the
    waiting list (a lapsed offer's booker is told which). Then offer the seats to the next in
    line."""
    people = offered_people(offer)
    now = clock.utcnow()
    for enrolment in people:
        if offer.booking.wait_any_date:
            enrolment.status = EnrolmentStatus.WAITING
        else:
            enrolment.status, enrolment.cancelled_at = EnrolmentStatus.CANCELLED, now
    db.session.flush()
    if people:
        seats.release(offer.edition_id, len(people))
        if lapsed:
            mails.offer_lapsed(offer, people)
    return make_offers(offer.edition)


def person_left(enrolment: Enrolment) -> None:
    """An offered person cancelled (their seat was released by the caller): the offer holds one
    seat less, and is withdrawn when nobody is left on it."""
    offer = db.session.scalars(select(Offer).where(Offer.booking_id == enrolment.booking_id,
                                                   Offer.edition_id == enrolment.edition_id,
                                                   Offer.state == OfferState.OPEN)).first()
    if offer is None:
        return
    offer.seats -= 1
    if not offered_people(offer):
        offer.state, offer.closed_at = OfferState.WITHDRAWN, clock.utcnow()
    db.session.flush()


def withdraw_all(edition: Edition) -> int:
    """The edition is cancelled: its open offers are withdrawn (its people are told by the caller)."""
    return db.session.execute(
        update(Offer).where(Offer.edition_id == edition.id, Offer.state == OfferState.OPEN)
        .values(state=OfferState.WITHDRAWN, closed_at=clock.utcnow())
        .execution_options(synchronize_session=False)).rowcount or 0


def process_offers(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """One batch: lapse the offers that are due (their seats go to the next in line) and send
    the reminders that are due. Returns (lapsed, reminders looked at); call until both are 0."""
    now = now or clock.utcnow()
    due = db.session.scalars(select(Offer).where(Offer.state == OfferState.OPEN, Offer.expires_at <= now)
                             .order_by(Offer.expires_at, Offer.id).limit(limit)).all()
    lapsed = 0
    for offer in due:
        try:
            _close(offer, OfferState.LAPSED, now)
        except OfferClosed:  # answered a moment ago
            continue
        _give_back(offer, lapsed=True)
        lapsed += 1
    remind = _hours("OFFER_REMINDER_HOURS")
    reminders = db.session.scalars(
        select(Offer).where(Offer.state == OfferState.OPEN, Offer.reminder_sent_at.is_(None),
                            Offer.expires_at > now, Offer.expires_at <= now + remind)
        .order_by(Offer.id).limit(limit)).all()
    for offer in reminders:
        offer.reminder_sent_at = now
        if offer.expires_at - offer.created_at > remind:  # a short offer gets no reminder
            mails.offer_made(offer, offered_people(offer), reminder=True)
    db.session.flush()
    return lapsed, len(reminders)


def history(edition: Edition) -> list[Offer]:
    """Every offer of seats in the edition, newest first (staff)."""
    return list(db.session.scalars(select(Offer).where(Offer.edition_id == edition.id)
                                   .order_by(Offer.id.desc())))


def queue_position(booking: Booking) -> int | None:
    """Where a waiting booking stands: 1 + the waiting confirmed bookings ahead of it that wait
    for the same edition or any date of the offering. None when none of its people wait."""
    edition_id = db.session.scalar(select(Enrolment.edition_id).where(
        Enrolment.booking_id == booking.id, Enrolment.status == EnrolmentStatus.WAITING).limit(1))
    if edition_id is None:
        return None
    edition = db.session.get(Edition, edition_id)
    scope = (Enrolment.edition_id.in_(select(Edition.id).where(Edition.offering_id == edition.offering_id))
             if booking.wait_any_date else _matches(edition))
    ahead = db.session.scalar(
        select(func.count(func.distinct(Booking.id))).join(Enrolment, Enrolment.booking_id == Booking.id)
        .where(Enrolment.status == EnrolmentStatus.WAITING, Booking.confirmed_at.is_not(None),
               Booking.id < booking.id, scope))
    return ahead + 1
