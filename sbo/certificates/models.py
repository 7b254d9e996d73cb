"""The certificate of one participant (an enrolment): its verification code and what it says.

What a certificate says (name, course, dates, hours, points per register) is kept as it was
issued (`content`, with its SHA-256 in `content_hash`), so a later change to the course or the
attendance does not alter a certificate someone already has; staff regenerate it (a new
`version`, the same code) when it must change."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..enrolment.models import Enrolment
from ..extensions import db


class Certificate(db.Model):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True)
    # 24 characters of base32 (120 random bits), shown in groups of four
    code: Mapped[str] = mapped_column(String(24), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_reason: Mapped[str] = mapped_column(String(300), default="")

    enrolment: Mapped[Enrolment] = relationship()

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def __repr__(self) -> str:
        return f"<Certificate {self.id} v{self.version}>"
