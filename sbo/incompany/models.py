"""The in-company request and the staff's notes on it."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Offering
from ..clock import utcnow
from ..extensions import db
from ..labels import labelled


@labelled
class RequestStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    QUOTE_SENT = "quote_sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"new": "Nieuw", "in_progress": "In behandeling", "quote_sent": "Offerte verstuurd",
                "accepted": "Akkoord", "declined": "Afgewezen"}[self.value]


class IncompanyRequest(db.Model):
    """One request for an in-company or tailor-made training (maatwerk)."""
    __tablename__ = "incompany_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the offering the request came from (None: the general page /maatwerk)
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offering.id", ondelete="SET NULL"), index=True)
    organisation: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320), index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    participants: Mapped[int] = mapped_column(Integer)
    preferred_period: Mapped[str] = mapped_column(String(120), default="")
    preferred_place: Mapped[str] = mapped_column(String(120), default="")
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(String(20), default=RequestStatus.NEW, index=True)
    # the staff account following the request up (sbo.staff.models.StaffUser, named so this
    # domain does not import staff/)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    offering: Mapped[Offering | None] = relationship()
    owner: Mapped[Any] = relationship("StaffUser")


class IncompanyNote(db.Model):
    """A note staff add to a request (the conversation, the quote, the decision)."""
    __tablename__ = "incompany_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("incompany_request.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[Any] = relationship("StaffUser")
