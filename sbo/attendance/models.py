"""Attendance: who was there on which day of an edition, marked by staff at the door."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class Attendance(db.Model):
    """One participant (an enrolment) present on one day (a session date) of their edition.
    At most one row per enrolment and day: two staff marking at once end with one row."""
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("session_date.id", ondelete="CASCADE"), index=True)
    arrived_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    left_early_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the staff account that marked it (no relationship: staff is a layer above attendance)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("enrolment_id", "session_id", name="uq_attendance_enrolment_session"),
    )
