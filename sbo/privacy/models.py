"""A request to see one's own data: an opaque, single-use link, stored only as a hash."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class DataRequest(db.Model):
    """A "mijn gegevens" link mailed to `email`. The link carries a random token; only its
    SHA-256 is kept. Used once (used_at), valid until expires_at; purged a day after."""
    __tablename__ = "data_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
