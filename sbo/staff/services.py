"""Staff accounts and authentication (throttling: throttle.py). Plain functions: they flush,
the caller commits."""
from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import log_action
from ..email_address import normalise_email
from ..extensions import db
from . import throttle
from .models import Role, StaffUser
from .sessions import end_all_sessions
from .throttle import LoginThrottled  # noqa: F401  (raised by authenticate)

MIN_PASSWORD_LENGTH = 10

# A real scrypt hash, checked for unknown e-mail addresses so both cases take as long.
_DUMMY_HASH = generate_password_hash("no-such-account-placeholder")


class WeakPassword(Exception):
    """The password is shorter than MIN_PASSWORD_LENGTH."""


class EmailTaken(Exception):
    """A staff account with this e-mail address exists already."""


class OwnAccount(Exception):
    """Admins cannot change the role of, or deactivate, their own account."""


def create_staff(email: str, password: str, role: Role | str, name: str = "",
                 actor: StaffUser | None = None) -> StaffUser:
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword()
    if db.session.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email)):
        raise EmailTaken()
    user = StaffUser(email=email, name=name.strip(), role=Role(role), active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log_action("staff.created", "staff", user.id, actor=actor, data={"role": str(Role(role))})
    return user


def change_role(user: StaffUser, role: Role | str, actor: StaffUser) -> None:
    if user.id == actor.id:
        raise OwnAccount()
    old, user.role = Role(user.role), Role(role)
    db.session.flush()
    log_action("staff.role_changed", "staff", user.id, actor=actor, data={"from": str(old), "to": str(Role(role))})


def set_active(user: StaffUser, active: bool, actor: StaffUser) -> None:
    if user.id == actor.id:
        raise OwnAccount()
    user.active = active
    db.session.flush()
    log_action("staff.activated" if active else "staff.deactivated", "staff", user.id, actor=actor,
               data={"active": active})


def log_out_everywhere(user: StaffUser, actor: StaffUser) -> int:
    """End every login of another account (an admin's "Overal uitloggen"); returns how many."""
    if user.id == actor.id:
        raise OwnAccount()
    ended = end_all_sessions(user)
    log_action("staff.logged_out_everywhere", "staff", user.id, actor=actor, data={"sessions": ended})
    return ended


def authenticate(email: str, password: str, ip: str, device_cookie: str | None = None
                 ) -> tuple[StaffUser | None, str | None]:
    """(the active account for these credentials or None, the known-device id of this browser
    for that account or None). A failure is recorded. Raises LoginThrottled before looking at
    the password when this attempt must wait (throttle.py)."""
    email = normalise_email(email)[:320]
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    device = throttle.known_device(device_cookie, user)
    throttle.check(email, ip, device)
    valid = user.check_password(password) if user else check_password_hash(_DUMMY_HASH, password)
    if user is None or not valid or not user.active:
        throttle.record_failure(email, ip, device)
        return None, device
    throttle.clear(email, device)
    log_action("staff.logged_in", "staff", user.id, actor=user, data={"known_device": device is not None})
    return user, device


def moderator_addresses() -> list[str]:
    """E-mail addresses of every active staff member who may moderate (moderator or higher)."""
    roles = [role.value for role in Role if role.rank >= Role.MODERATOR.rank]
    return list(db.session.scalars(
        select(StaffUser.email).where(StaffUser.active.is_(True), StaffUser.role.in_(roles))
        .order_by(StaffUser.email)))
