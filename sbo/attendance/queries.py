"""Reads about attendance that other packages need (certificates, evaluation, staff).

A participant's net hours are the scheduled hours (start to end time) of the days they were
marked present. A day they left early counts as ATTENDANCE_PARTIAL_DAY says: "pro rata" (the
hours until they left) or "none" (not at all). They meet the attendance requirement when those
hours are at least ATTENDANCE_MIN_SHARE of the edition's scheduled hours; each register that
accredits the offering then awards its points times that share (all of them for a participant
who attended everything), with the participant's registration number if they gave one."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..catalogue.models import Accreditation, Register, SessionDate
from ..enrolment.models import Enrolment, EnrolmentStatus, RegistrationNumber
from ..extensions import db
from .models import Attendance

STEP = Decimal("0.01")


class RegisterPoints(NamedTuple):
    register: Register
    points: Decimal
    registration_number: str | None


def _minutes(start: time, end: time) -> int:
    delta = datetime.combine(date.min, end) - datetime.combine(date.min, start)
    return max(0, int(delta.total_seconds()) // 60)


def _present_minutes(session: SessionDate, row: Attendance) -> int:
    full = _minutes(session.start_time, session.end_time)
    if row.left_early_at is None:
        return full
    if current_app.config["ATTENDANCE_PARTIAL_DAY"] != "pro rata":
        return 0
    return min(full, _minutes(session.start_time, clock.local(row.left_early_at).time()))


def _sessions(edition_id: int) -> dict[int, SessionDate]:
    return {s.id: s for s in db.session.scalars(select(SessionDate).where(SessionDate.edition_id == edition_id))}


def _present(sessions: dict[int, SessionDate], enrolment_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Minutes present per enrolment id (only those with any attendance)."""
    query = select(Attendance).where(Attendance.session_id.in_(sessions))
    if enrolment_ids is not None:
        query = query.where(Attendance.enrolment_id.in_(list(enrolment_ids)))
    minutes: dict[int, int] = {}
    for row in db.session.scalars(query):
        minutes[row.enrolment_id] = minutes.get(row.enrolment_id, 0) + _present_minutes(sessions[row.session_id], row)
    return minutes


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(STEP)


def _share(present: int, scheduled: int) -> Decimal:
    return Decimal(present) / Decimal(scheduled) if scheduled else Decimal(0)


def _required() -> Decimal:
    return Decimal(str(current_app.config["ATTENDANCE_MIN_SHARE"]))


def scheduled_hours(edition_id: int) -> Decimal:
    """The hours of all days of an edition, start to end time."""
    return _hours(sum(_minutes(s.start_time, s.end_time) for s in _sessions(edition_id).values()))


def net_hours(enrolment: Enrolment) -> Decimal:
    """The hours a participant was present (Decimal, two places)."""
    return _hours(_present(_sessions(enrolment.edition_id), [enrolment.id]).get(enrolment.id, 0))


def attendance_share(enrolment: Enrolment) -> Decimal:
    """The share (0–1) of the edition's scheduled hours the participant was present."""
    sessions = _sessions(enrolment.edition_id)
    present = _present(sessions, [enrolment.id]).get(enrolment.id, 0)
    return _share(present, sum(_minutes(s.start_time, s.end_time) for s in sessions.values()))


def qualifies(enrolment: Enrolment) -> bool:
    """A confirmed participant who met the attendance requirement (ATTENDANCE_MIN_SHARE)."""
    return (enrolment.status == EnrolmentStatus.CONFIRMED and attendance_share(enrolment) > 0
            and attendance_share(enrolment) >= _required())


def attended_enrolment_ids(edition_id: int) -> set[int]:
    """The ids of an edition's confirmed participants who met the attendance requirement."""
    sessions = _sessions(edition_id)
    scheduled = sum(_minutes(s.start_time, s.end_time) for s in sessions.values())
    confirmed = set(db.session.scalars(select(Enrolment.id).where(
        Enrolment.edition_id == edition_id, Enrolment.status == EnrolmentStatus.CONFIRMED)))
    required = _required()
    return {enrolment_id for enrolment_id, present in _present(sessions).items()
            if enrolment_id in confirmed and present and _share(present, scheduled) >= required}


def points(enrolment: Enrolment) -> list[RegisterPoints]:
    """Per register that accredits the offering: the points earned and the participant's
    registration number (None when they gave none). Empty for who did not qualify."""
    if not qualifies(enrolment):
        return []
    share = min(attendance_share(enrolment), Decimal(1))
    numbers = dict(db.session.execute(select(RegistrationNumber.register_id, RegistrationNumber.number)
                                      .where(RegistrationNumber.enrolment_id == enrolment.id)).all())
    accreditations = db.session.scalars(
        select(Accreditation).join(Accreditation.register)
        .where(Accreditation.offering_id == enrolment.edition.offering_id).order_by(Register.name))
    return [RegisterPoints(a.register, (a.points * share).quantize(STEP, rounding=ROUND_DOWN),
                           numbers.get(a.register_id)) for a in accreditations]


class PresenceRow(NamedTuple):
    enrolment: Enrolment
    attendance: Attendance | None


def presence_list(session: SessionDate) -> list[PresenceRow]:
    """The confirmed participants of the session's edition by name, with their mark that day."""
    rows = db.session.execute(
        select(Enrolment, Attendance)
        .outerjoin(Attendance, (Attendance.enrolment_id == Enrolment.id) & (Attendance.session_id == session.id))
        .where(Enrolment.edition_id == session.edition_id, Enrolment.status == EnrolmentStatus.CONFIRMED)
        .order_by(Enrolment.last_name, Enrolment.first_name, Enrolment.id))
    return [PresenceRow(enrolment, attendance) for enrolment, attendance in rows]


def attendance_on(enrolment: Enrolment, session: SessionDate) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(
        Attendance.enrolment_id == enrolment.id, Attendance.session_id == session.id))


def session_on(edition_id: int, day: date) -> SessionDate | None:
    """The edition's session on `day` (a Dutch date), if it has one."""
    return db.session.scalar(select(SessionDate).where(SessionDate.edition_id == edition_id, SessionDate.day == day))


def default_session(sessions: list[SessionDate], today: date) -> SessionDate | None:
    """The day a presence list opens on: today's, else the next one, else the last."""
    return next((s for s in sessions if s.day >= today), sessions[-1] if sessions else None)
