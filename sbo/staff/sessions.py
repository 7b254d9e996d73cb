"""Staff logins that can be ended (issue 12, item 5).

Flask-Login keeps "<id>.<secret>" of a StaffSession row in the session and, with "Ingelogd
blijven", in the remember cookie; the loader finds the row by id and compares the secret's
hash. Logout deletes the row; a password change or reset and an admin's "Overal uitloggen"
delete every row of the account. A login lasts SESSION_HOURS (a working day), or
REMEMBER_DAYS with "Ingelogd blijven"; after that the cookie no longer opens anything.
Plain functions: they flush, the caller commits.
"""
from __future__ import annotations

import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select

from ..clock import utcnow
from ..extensions import db
from ..tokens import opaque_token, token_hash
from .models import StaffSession, StaffUser


def session_lifetime(remember: bool) -> timedelta:
    config = current_app.config
    if remember:
        return timedelta(days=int(config["STAFF_REMEMBER_DAYS"]))
    return timedelta(hours=int(config["STAFF_SESSION_HOURS"]))


def start_session(user: StaffUser, remember: bool = False) -> str:
    """A new login for `user`; sets user.session_token (what login_user stores) and returns it."""
    db.session.execute(delete(StaffSession).where(  # the account's expired logins, tidied up
        StaffSession.user_id == user.id, StaffSession.expires_at <= utcnow()))
    secret = opaque_token(32)
    row = StaffSession(user_id=user.id, token_hash=token_hash(secret), remember=remember,
                       created_at=utcnow(), expires_at=utcnow() + session_lifetime(remember))
    db.session.add(row)
    db.session.flush()
    user.session_token = f"{row.id}.{secret}"
    return user.session_token


def _parse(value: str | None) -> tuple[int, str] | None:
    if not value or not isinstance(value, str) or len(value) > 200:
        return None
    row_id, _, secret = value.partition(".")
    if not (row_id.isascii() and row_id.isdigit() and len(row_id) < 12 and secret):
        return None
    return int(row_id), secret


# built once: constructing the statement took as long as running it (~80 µs of ~170)
_LOGIN_WITH_ACCOUNT = (select(StaffSession, StaffUser)
                       .join(StaffUser, StaffUser.id == StaffSession.user_id)
                       .where(StaffSession.id == bindparam("session_id")))


def staff_for_session(value: str | None) -> StaffUser | None:
    """The active account of a login that has not ended or expired, else None. One statement
    for the login and its account together: this runs on every staff request (issue 18)."""
    parsed = _parse(value)
    if parsed is None:
        return None
    found = db.session.execute(_LOGIN_WITH_ACCOUNT, {"session_id": parsed[0]}).first()
    if found is None:
        return None
    row, user = found
    if not hmac.compare_digest(row.token_hash, token_hash(parsed[1])) or row.expires_at <= utcnow():
        return None
    if not user.active:
        return None
    user.session_token = value
    return user


def current_session(value: str | None) -> StaffSession | None:
    parsed = _parse(value)
    if parsed is None:
        return None
    row = db.session.get(StaffSession, parsed[0])
    if row is None or not hmac.compare_digest(row.token_hash, token_hash(parsed[1])):
        return None
    return row


def end_session(value: str | None) -> None:
    """Logout: this login ends (its cookies open nothing any more)."""
    row = current_session(value)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def end_all_sessions(user: StaffUser) -> int:
    """Every login of `user` ends, on every device. Returns how many there were."""
    result = db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    db.session.flush()
    return result.rowcount
