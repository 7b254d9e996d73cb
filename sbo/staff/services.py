"""Staff accounts and login throttling. Plain functions: they flush, the caller commits."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..mail import utcnow
from .audit import record
from .models import LoginAttempt, Role, StaffUser

MIN_PASSWORD_LENGTH = 10
# Failed logins within the window after which further attempts are refused.
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 20

# A real scrypt hash, checked for unknown e-mail addresses so both cases take as long.
_DUMMY_HASH = generate_password_hash("no-such-account-placeholder")


class WeakPassword(Exception):
    """The password is shorter than MIN_PASSWORD_LENGTH."""


class EmailTaken(Exception):
    """A staff account with this e-mail address exists already."""


class OwnAccount(Exception):
    """Admins cannot change the role of, or deactivate, their own account."""


class LoginThrottled(Exception):
    """Too many failed logins for this account or address; try again later."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


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
    record(actor, "staff.created", "staff", user.id, f"{email} als {Role(role).label.lower()}")
    return user


def change_role(user: StaffUser, role: Role | str, actor: StaffUser) -> None:
    if user.id == actor.id:
        raise OwnAccount()
    old, user.role = Role(user.role), Role(role)
    db.session.flush()
    record(actor, "staff.role_changed", "staff", user.id, f"{old.label} → {Role(role).label}")


def set_active(user: StaffUser, active: bool, actor: StaffUser) -> None:
    if user.id == actor.id:
        raise OwnAccount()
    user.active = active
    db.session.flush()
    record(actor, "staff.activated" if active else "staff.deactivated", "staff", user.id, user.email)


def check_throttle(email: str, ip: str) -> None:
    """Raise LoginThrottled when this account or address failed too often lately."""
    since = utcnow() - WINDOW
    email = normalise_email(email)
    per_account, per_ip = db.session.execute(
        select(func.count().filter(LoginAttempt.email == email),
               func.count().filter(LoginAttempt.ip == ip))
        .where(LoginAttempt.created_at >= since,
               or_(LoginAttempt.email == email, LoginAttempt.ip == ip))).one()
    if per_account >= MAX_FAILURES_PER_ACCOUNT or per_ip >= MAX_FAILURES_PER_IP:
        raise LoginThrottled()


def authenticate(email: str, password: str, ip: str) -> StaffUser | None:
    """The active account for these credentials, or None (a failure is recorded).
    Raises LoginThrottled before looking at the password when there were too many failures."""
    email = normalise_email(email)[:320]
    check_throttle(email, ip)
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    valid = user.check_password(password) if user else check_password_hash(_DUMMY_HASH, password)
    if user is None or not valid or not user.active:
        db.session.add(LoginAttempt(email=email, ip=ip[:45]))
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - WINDOW))
        db.session.flush()
        return None
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    record(user, "staff.logged_in", "staff", user.id)
    return user


def moderator_addresses() -> list[str]:
    """E-mail addresses of every active staff member who may moderate (moderator or higher)."""
    roles = [role.value for role in Role if role.rank >= Role.MODERATOR.rank]
    return list(db.session.scalars(
        select(StaffUser.email).where(StaffUser.active.is_(True), StaffUser.role.in_(roles))
        .order_by(StaffUser.email)))
