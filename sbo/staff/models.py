"""Staff accounts, their login sessions and password resets, and login attempts (for
throttling). The audit log is sbo.audit."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..extensions import db, login
from ..labels import labelled


@labelled
class Role(enum.StrEnum):
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {"moderator": 1, "editor": 2, "admin": 3}[self.value]

    @property
    def label(self) -> str:
        return {"moderator": "Moderator", "editor": "Redacteur", "admin": "Beheerder"}[self.value]


class StaffIdentity(UserMixin):
    """What Flask-Login and the views ask of the staff member a request runs under: a StaffUser
    just logged in, or on later requests the StaffLogin read with the login (sessions.py)."""

    # The login this request runs under ("<staff_session.id>.<secret>", see sessions.py): what
    # Flask-Login keeps in the session and the remember cookie instead of the account's id, so
    # that each login can be ended on its own. Not a column.
    session_token = None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login
        if not self.session_token:
            raise RuntimeError("log in through sbo.staff.sessions.start_session")
        return self.session_token

    def has_role(self, role: Role) -> bool:
        return Role(self.role).rank >= Role(role).rank

    @property
    def display_name(self) -> str:
        return self.name or self.email


class StaffUser(StaffIdentity, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20), default=Role.MODERATOR)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class StaffSession(db.Model):
    """One login: made at login, checked on every request, deleted at logout. A password
    change, a reset and an admin's "Overal uitloggen" delete all of an account's rows, so
    a copied session or remember cookie stops working. Only a hash of the secret is kept."""
    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class PasswordReset(db.Model):
    """A single-use link to choose a new password: mailed on request ("Wachtwoord vergeten?")
    or made by an admin. Only a hash of the token is kept."""
    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginAttempt(db.Model):
    """A failed staff login, kept for a day to throttle guessing (shared by all workers);
    `device` is the known-device id when the attempt came with one (throttle.py)."""
    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    ip: Mapped[str] = mapped_column(String(45), index=True)
    device: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class StaffAlert(db.Model):
    """When an alert to the admins was last sent, so that all workers send it at most once
    per period (throttle.py: a burst of failed logins)."""
    __tablename__ = "staff_alert"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime)


@login.user_loader
def load_user(session_token: str) -> StaffIdentity | None:
    """The account of a login that has not ended; a deactivated account is logged out on its
    next request."""
    from .sessions import staff_for_session

    return staff_for_session(session_token)
