"""Evaluations: the invitation a participant (an enrolment) gets after the last day, and their
answers. An answer keeps its edition and offering, so erasing the person (which cuts
`enrolment_id`) leaves the scores in the averages."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Edition
from ..clock import utcnow
from ..enrolment.models import Enrolment
from ..extensions import db
from ..pagecache import track_content


class EvaluationInvitation(db.Model):
    """One participant's personal evaluation link: `key` is signed into the link (so the
    database alone does not give working links); mailed once, with one reminder."""
    __tablename__ = "evaluation_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True)
    key: Mapped[str] = mapped_column(String(43), unique=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    enrolment: Mapped[Enrolment] = relationship()


class EvaluationResponse(db.Model):
    """One participant's answers: scores 1–10, would they recommend it, an open remark (for staff)."""
    __tablename__ = "evaluation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"), index=True)
    # cut (NULL) when the participant's data is erased or its retention ends; unique: once per person
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id", ondelete="SET NULL"), unique=True)
    overall: Mapped[int] = mapped_column(SmallInteger)
    trainers: Mapped[int] = mapped_column(SmallInteger)
    content: Mapped[int] = mapped_column(SmallInteger)
    recommend: Mapped[bool] = mapped_column(Boolean)
    remark: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    edition: Mapped[Edition] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()


# the offering page shows the average score
track_content(EvaluationResponse)
