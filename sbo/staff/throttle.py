"""Login throttling without lock-out (issue 12, item 8).

Five wrong passwords used to lock an account for a quarter of an hour, for its owner too:
anyone could keep staff out. Now failures slow guessing down instead, and never the owner's
own device:
- per account (any address) and per address (any account): the first ACCOUNT_FREE /
  ADDRESS_FREE failures cost nothing; after that each attempt must wait BASE_DELAY after the
  last failure, doubling with every further failure up to MAX_DELAY. Attempts during a wait
  are refused before the password is looked at and do not count.
- a known device (a signed cookie set at a successful login, KNOWN_DEVICE_COOKIE) is not held
  up by failures of the account or its address elsewhere: it has its own count, with the same
  delays, so a stolen device cookie buys a guesser nothing.
- a burst of failures (ALERT_THRESHOLD within ALERT_WINDOW, all accounts) mails the admins,
  at most once per ALERT_PERIOD (the staff_alert row is claimed with a conditional UPDATE).
Failures are rows of login_attempt, shared by all workers and hosts. Plain functions: they
flush, the caller commits.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..mail import send_mail
from ..tokens import signer
from .models import LoginAttempt, Role, StaffAlert, StaffUser

ACCOUNT_FREE = 5
ADDRESS_FREE = 20
DEVICE_FREE = 5
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
KEEP = timedelta(hours=24)  # failures older than this no longer count

ALERT_WINDOW = timedelta(minutes=15)
ALERT_THRESHOLD = 20
ALERT_PERIOD = timedelta(hours=1)
ALERT_NAME = "login_burst"

KNOWN_DEVICE_COOKIE = "sbo_staff_device"
KNOWN_DEVICE_DAYS = 365


class LoginThrottled(Exception):
    """Too many failed logins for this account, address or device: wait `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def delay_after(failures: int, free: int) -> timedelta:
    """The wait after the last failure before the next attempt: none for the first `free`
    failures, then BASE_DELAY, doubling with each further failure, at most MAX_DELAY."""
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, BASE_DELAY * 2 ** min(failures - free, 20))


def _wait(condition, free: int, now: datetime) -> timedelta:
    failures, last = db.session.execute(
        select(func.count(), func.max(LoginAttempt.created_at))
        .where(condition, LoginAttempt.created_at >= now - KEEP)).one()
    if not failures:
        return timedelta(0)
    return max(timedelta(0), last + delay_after(failures, free) - now)


def check(email: str, ip: str, device: str | None) -> None:
    """Raise LoginThrottled when this attempt must wait. A known device of the account is held
    up only by its own failures, never by those of the account or the address elsewhere."""
    now = utcnow()
    if device:
        waits = [_wait(LoginAttempt.device == device, DEVICE_FREE, now)]
    else:
        waits = [_wait(LoginAttempt.email == email, ACCOUNT_FREE, now),
                 _wait(LoginAttempt.ip == ip, ADDRESS_FREE, now)]
    wait = max(waits)
    if wait > timedelta(0):
        raise LoginThrottled(int(wait.total_seconds()) + 1)


def record_failure(email: str, ip: str, device: str | None) -> None:
    now = utcnow()
    db.session.add(LoginAttempt(email=email, ip=ip[:45], device=device, created_at=now))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP))
    db.session.flush()
    _alert_on_burst(now)


def clear(email: str, device: str | None) -> None:
    """After a successful login: the account's (and this device's) failures are forgiven."""
    conditions = [LoginAttempt.email == email] + ([LoginAttempt.device == device] if device else [])
    db.session.execute(delete(LoginAttempt).where(or_(*conditions)))


# -- known devices -------------------------------------------------------------------------------

DEVICE_SALT = "sbo.staff.known-device"


def known_device(cookie: str | None, user: StaffUser | None) -> str | None:
    """The device id from a known-device cookie, when it was issued to this account."""
    if not cookie or user is None or len(cookie) > 200:
        return None
    try:
        data = signer(DEVICE_SALT).loads(cookie)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.id or not isinstance(data.get("d"), str):
        return None
    return data["d"][:32]


def remember_device(response, user: StaffUser, device: str | None) -> None:
    """Set (or renew) the known-device cookie after a successful login."""
    from ..security import SessionInterface

    value = signer(DEVICE_SALT).dumps({"u": user.id, "d": device or secrets.token_hex(16)})
    app = current_app._get_current_object()
    secure = (app.session_interface.get_cookie_secure(app)
              if isinstance(app.session_interface, SessionInterface) else False)
    response.set_cookie(KNOWN_DEVICE_COOKIE, value, max_age=KNOWN_DEVICE_DAYS * 86400, path="/beheer",
                        httponly=True, samesite="Lax", secure=secure)


# -- alerts --------------------------------------------------------------------------------------

def _claim_alert(now: datetime) -> bool:
    """True for exactly one caller per ALERT_PERIOD, over all workers."""
    claimed = db.session.execute(update(StaffAlert).where(
        StaffAlert.name == ALERT_NAME, StaffAlert.sent_at < now - ALERT_PERIOD).values(sent_at=now))
    if claimed.rowcount:
        return True
    if db.session.get(StaffAlert, ALERT_NAME) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.execute(insert(StaffAlert).values(name=ALERT_NAME, sent_at=now))
    except IntegrityError:  # another worker claimed it first
        return False
    return True


def _alert_on_burst(now: datetime) -> None:
    failures, accounts, addresses = db.session.execute(
        select(func.count(), func.count(LoginAttempt.email.distinct()), func.count(LoginAttempt.ip.distinct()))
        .where(LoginAttempt.created_at >= now - ALERT_WINDOW)).one()
    if failures < ALERT_THRESHOLD or not _claim_alert(now):
        return
    admins = db.session.scalars(select(StaffUser.email).where(
        StaffUser.active.is_(True), StaffUser.role == Role.ADMIN.value).order_by(StaffUser.email)).all()
    minutes = int(ALERT_WINDOW.total_seconds() // 60)
    for address in admins:
        send_mail(address, "Veel mislukte inlogpogingen in het beheer", "staff/mail/login_alert",
                  failures=failures, accounts=accounts, addresses=addresses, minutes=minutes,
                  period=int(ALERT_PERIOD.total_seconds() // 60))
