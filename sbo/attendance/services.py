"""Marking attendance. Two staff members marking the same person at once end with one row:
marking arrival is an upsert on (enrolment, day) that leaves an existing row alone."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..audit import log_action
from ..catalogue.models import SessionDate
from ..clock import utcnow
from ..enrolment.models import Enrolment, EnrolmentStatus
from ..extensions import db
from .models import Attendance
from .queries import attendance_on


class NotOnThisEdition(Exception):
    """The day is not one of the participant's edition, or the participant is not confirmed."""


def _check(enrolment: Enrolment, session: SessionDate) -> None:
    if session.edition_id != enrolment.edition_id or enrolment.status != EnrolmentStatus.CONFIRMED:
        raise NotOnThisEdition()


def mark_arrived(enrolment: Enrolment, session: SessionDate, *, actor=None, now: datetime | None = None) -> bool:
    """Mark a participant present on a day. Returns False when they already were (by anyone):
    the earlier mark stays as it was."""
    _check(enrolment, session)
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(Attendance).values(
        enrolment_id=enrolment.id, session_id=session.id, arrived_at=now or utcnow(),
        marked_by=getattr(actor, "id", None), updated_at=utcnow(),
    ).on_conflict_do_nothing(
        index_elements=[Attendance.enrolment_id, Attendance.session_id]).returning(Attendance.id)
    created = db.session.execute(statement).scalar() is not None
    if created:
        log_action("attendance.arrived", "enrolment", enrolment.id, actor=actor, data={"session": session.id})
    return created


def mark_left_early(enrolment: Enrolment, session: SessionDate, *, actor=None, now: datetime | None = None) -> None:
    """Note that a participant left before the end of the day (marking them present first)."""
    mark_arrived(enrolment, session, actor=actor, now=now)
    row = attendance_on(enrolment, session)
    if row.left_early_at is None:
        row.left_early_at = now or utcnow()
        db.session.flush()
        log_action("attendance.left_early", "enrolment", enrolment.id, actor=actor, data={"session": session.id})


def unmark(enrolment: Enrolment, session: SessionDate, *, actor=None) -> bool:
    """Take back a mark made by mistake: not present that day. Returns whether there was one."""
    _check(enrolment, session)
    removed = db.session.execute(delete(Attendance).where(
        Attendance.enrolment_id == enrolment.id, Attendance.session_id == session.id)).rowcount == 1
    if removed:
        log_action("attendance.removed", "enrolment", enrolment.id, actor=actor, data={"session": session.id})
    return removed
