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

from .. import reads
from ..clock import utcnow
from ..extensions import db
from ..security import id_number
from ..tokens import opaque_token, token_hash
from .models import Role, StaffIdentity, StaffSession, StaffUser


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
    number = id_number(row_id)
    if number is None or not secret:
        return None
    return number, secret


class StaffLogin(StaffIdentity):
    """The account a request runs under, as read with its login on every staff request: plain
    values rather than a StaffUser, which cost twice as much to read (issue 18). Views pass it
    on as the actor (its id, name, e-mail address); one that changes the account itself loads
    the StaffUser."""

    def __init__(self, id: int, email: str, name: str, role: Role | str, active: bool, session_token: str):
        self.id, self.email, self.name, self.role = id, email, name, role
        self.active, self.session_token = active, session_token


_SESSION, _USER = StaffSession.__table__.c, StaffUser.__table__.c
# built once: constructing the statement took as long as running it (~80 µs of ~170)
_LOGIN_WITH_ACCOUNT = (select(_SESSION.token_hash, _SESSION.expires_at, _USER.id, _USER.email, _USER.name,
                              _USER.role, _USER.active)
                       .join_from(StaffSession.__table__, StaffUser.__table__, _USER.id == _SESSION.user_id)
                       .where(_SESSION.id == bindparam("session_id")))


def staff_for_session(value: str | None) -> StaffLogin | None:
    """The active account of a login that has not ended or expired, else None. One statement
    for the login and its account together, checked against the database on every staff
    request (a login ended anywhere opens nothing on the next request)."""
    parsed = _parse(value)
    if parsed is None:
        return None
    row = reads.first(_LOGIN_WITH_ACCOUNT, {"session_id": parsed[0]})
    if row is None:
        return None
    if not hmac.compare_digest(row.token_hash, token_hash(parsed[1])) or row.expires_at <= utcnow():
        return None
    if not row.active:
        return None
    return StaffLogin(row.id, row.email, row.name, row.role, row.active, value)


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
