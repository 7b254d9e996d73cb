"""Personal data of the staff domain: failed logins (e-mail, IP address), expired sessions and
reset links. Staff accounts themselves stay while the account exists."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_

from ..extensions import db
from ..personal_data import Provider, register, retention
from .models import LoginAttempt, PasswordReset, StaffSession


@register
class StaffData(Provider):
    name = "staff"
    tables = ("login_attempt", "staff_session", "password_reset", "staff_user")
    kinds = ("login_attempt", "staff_session")

    def purge(self, now: datetime) -> dict[str, int]:
        attempts = _delete(delete(LoginAttempt).where(LoginAttempt.created_at < now - retention("login_attempt")))
        cutoff = now - retention("staff_session")
        sessions = _delete(delete(StaffSession).where(StaffSession.expires_at < cutoff))
        sessions += _delete(delete(PasswordReset).where(
            or_(PasswordReset.expires_at < cutoff, PasswordReset.used_at < cutoff)))
        return {"login_attempt": attempts, "staff_session": sessions}


def _delete(statement) -> int:
    return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount or 0
