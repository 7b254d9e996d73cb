"""Read-side queries of the enrolment domain: participants and waiting-list positions of an
edition, interest registrations of an offering (the staff lists and exports read these)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import case, func, select
from werkzeug.exceptions import NotFound

from .. import clock
from ..catalogue.models import Edition, Offering
from ..extensions import db
from .models import Booking, Enrolment, EnrolmentStatus, InterestRegistration

# The order of an edition's participants: confirmed, held, offered, then waiting (in order), then cancelled.
STATUS_ORDER = {EnrolmentStatus.CONFIRMED: 0, EnrolmentStatus.HELD: 1, EnrolmentStatus.OFFERED: 2,
                EnrolmentStatus.WAITING: 3, EnrolmentStatus.CANCELLED: 4}


def _by_status():
    return case(STATUS_ORDER, value=Enrolment.status)


def _place_in_status():
    """1, 2, … per edition and status in id order: for waiting enrolments, the position on the
    waiting list (first come, first served; 1 = next in line)."""
    return func.row_number().over(partition_by=(Enrolment.edition_id, Enrolment.status),
                                  order_by=Enrolment.id)


def enrolment_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound()
    return enrolment


def status_counts(edition: Edition) -> dict[str, int]:
    """Number of the edition's enrolments per status value (0 for a status without any)."""
    counts = dict(db.session.execute(
        select(Enrolment.status, func.count()).where(Enrolment.edition_id == edition.id)
        .group_by(Enrolment.status)).all())
    return {status.value: counts.get(status.value, 0) for status in EnrolmentStatus}


def bookings_by_id(ids: Iterable[int]) -> dict[int, Booking]:
    ids = set(ids) or {0}
    return {b.id: b for b in db.session.scalars(select(Booking).where(Booking.id.in_(ids)))}


def waiting_people(booking_ids: Iterable[int]) -> dict[int, list[Enrolment]]:
    """booking id -> its enrolments that wait or are offered a seat, in id order."""
    people: dict[int, list[Enrolment]] = {}
    for enrolment in db.session.scalars(
            select(Enrolment).where(Enrolment.booking_id.in_(set(booking_ids) or {0}),
                                    Enrolment.status.in_([EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED]))
            .order_by(Enrolment.id)):
        people.setdefault(enrolment.booking_id, []).append(enrolment)
    return people


def waiting_positions(enrolments: Sequence[Enrolment]) -> dict[int, int]:
    """enrolment id -> position on its edition's waiting list, for the waiting ones among
    `enrolments` (one query, none when nobody waits)."""
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITING]
    if not waiting:
        return {}
    ranked = (select(Enrolment.id, _place_in_status().label("position"))
              .where(Enrolment.edition_id.in_({e.edition_id for e in waiting}),
                     Enrolment.status == EnrolmentStatus.WAITING).subquery())
    return dict(db.session.execute(
        select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_([e.id for e in waiting]))).all())


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    return waiting_positions([enrolment]).get(enrolment.id)


def upcoming_cities(offering: Offering) -> list[str]:
    """The cities of the offering's editions that have not started (any-date waiting filter)."""
    return list(db.session.scalars(
        select(Edition.city).distinct().where(Edition.offering_id == offering.id, Edition.city != "",
                                              Edition.start_date > clock.today()).order_by(Edition.city)))


def participant_export(edition: Edition) -> Iterator[tuple[Enrolment, Booking, int | None]]:
    """Every enrolment of the edition with its booking and waiting-list position (None when not
    waiting), in STATUS_ORDER, streamed in batches."""
    position = case((Enrolment.status == EnrolmentStatus.WAITING, _place_in_status()), else_=None)
    query = (select(Enrolment, Booking, position).join(Booking, Booking.id == Enrolment.booking_id)
             .where(Enrolment.edition_id == edition.id)
             .order_by(_by_status(), Enrolment.id)
             .execution_options(yield_per=200))
    for enrolment, booking, place in db.session.execute(query):
        yield enrolment, booking, place


def interest_registrations(offering_id: int, page: int = 1, per_page: int = 50):
    """A page (Pagination) of an offering's interest registrations, newest first."""
    query = (select(InterestRegistration).where(InterestRegistration.offering_id == offering_id)
             .order_by(InterestRegistration.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def interest_counts(offering: Offering) -> dict[str, int]:
    """Number of the offering's interest registrations per status value (absent when none)."""
    return dict(db.session.execute(
        select(InterestRegistration.status, func.count())
        .where(InterestRegistration.offering_id == offering.id)
        .group_by(InterestRegistration.status)).all())


def interest_export(offering: Offering) -> Iterator[InterestRegistration]:
    """Every interest registration of the offering, newest first, streamed in batches."""
    yield from db.session.scalars(
        select(InterestRegistration).where(InterestRegistration.offering_id == offering.id)
        .order_by(InterestRegistration.id.desc()).execution_options(yield_per=200))


def enrolment_ids_of(email: str):
    """The ids of the enrolments of an address (already normalised), as a subquery: how the
    domains that hang records on enrolments find a person's for /mijn-gegevens and erasure."""
    return select(Enrolment.id).where(func.lower(Enrolment.email) == email).scalar_subquery()
