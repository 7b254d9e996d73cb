"""Password change and reset for staff (issue 12, item 5). Every way to a new password ends
all logins of the account. Plain functions: they flush, the caller commits."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from ..audit import log_action
from ..clock import utcnow
from ..email_address import normalise_email
from ..extensions import db
from ..mail import send_mail
from ..tokens import opaque_token, token_hash
from ..urls import external_url
from .models import LoginAttempt, PasswordReset, StaffUser
from .services import MIN_PASSWORD_LENGTH, WeakPassword
from .sessions import end_all_sessions


class WrongPassword(Exception):
    """The current password given for a change is not the account's password."""


def _check_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword()


def _set_new_password(user: StaffUser, password: str) -> None:
    """The new password, and everything the old one opened closes: logins, open reset links,
    failed-login throttling of the account."""
    _check_strength(password)
    user.set_password(password)
    end_all_sessions(user)
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)).values(used_at=utcnow()))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == normalise_email(user.email)))
    db.session.flush()


def change_password(user: StaffUser, current: str, new: str) -> None:
    """Raises WrongPassword or WeakPassword. The caller starts a new login for this browser."""
    if not user.check_password(current):
        raise WrongPassword()
    _set_new_password(user, new)
    log_action("staff.password_changed", "staff", user.id, actor=user, data={"sessions_ended": True})


def create_reset(user: StaffUser, actor: StaffUser | None = None) -> str:
    """A new single-use reset link token (earlier open links of the account stop working):
    valid STAFF_RESET_MINUTES (mailed on request) or STAFF_RESET_ADMIN_HOURS (made by an admin)."""
    config = current_app.config
    lifetime = (timedelta(hours=int(config["STAFF_RESET_ADMIN_HOURS"])) if actor
                else timedelta(minutes=int(config["STAFF_RESET_MINUTES"])))
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)).values(used_at=utcnow()))
    token = opaque_token(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token), created_by_id=actor.id if actor else None,
                                 created_at=utcnow(), expires_at=utcnow() + lifetime))
    db.session.flush()
    log_action("staff.reset_link_made" if actor else "staff.reset_link_mailed", "staff", user.id, actor=actor,
               data={"valid_minutes": int(lifetime.total_seconds() // 60)})
    return token


def reset_url(token: str) -> str:
    """Absolute, on SITE_URL: a Host header of the request never makes it into a mail."""
    return external_url("staff.reset_password", token=token)


def mail_reset_link(email: str) -> None:
    """'Wachtwoord vergeten?': mail a reset link when `email` belongs to an active account and
    none was mailed in the last STAFF_RESET_MAIL_INTERVAL minutes; otherwise nothing. The
    caller shows the same message either way."""
    email = normalise_email(email)[:320]
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    if user is None or not user.active:
        return
    interval = timedelta(minutes=int(current_app.config["STAFF_RESET_MAIL_INTERVAL"]))
    recent = db.session.scalar(select(PasswordReset.id).where(
        PasswordReset.user_id == user.id, PasswordReset.created_by_id.is_(None),
        PasswordReset.created_at > utcnow() - interval).limit(1))
    if recent is not None:
        return
    token = create_reset(user)
    minutes = int(current_app.config["STAFF_RESET_MINUTES"])
    send_mail(user.email, "Een nieuw wachtwoord voor het beheer van de website", "staff/mail/password_reset",
              user=user, link=reset_url(token), minutes=minutes)


def open_reset(token: str) -> PasswordReset | None:
    """The reset behind a link, when it is unused, not expired, and its account is active."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    user = db.session.get(StaffUser, reset.user_id)
    return reset if user is not None and user.active else None


def use_reset(reset: PasswordReset, new: str) -> StaffUser:
    """Set the new password (raises WeakPassword); the link is used up, all logins end."""
    user = db.session.get(StaffUser, reset.user_id)
    _set_new_password(user, new)
    reset.used_at = utcnow()
    log_action("staff.password_reset", "staff", user.id, actor=user, data={"reset_id": reset.id})
    return user
