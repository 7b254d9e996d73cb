"""Personal data of the staff domain: failed logins (e-mail, IP address), expired sessions and
reset links. Staff accounts themselves stay while the account exists."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select

from ..extensions import db
from ..personal_data import Plan, Provider, Rows, register, retention, text
from .models import LoginAttempt, PasswordReset, Role, StaffSession, StaffUser


@register
class StaffData(Provider):
    name = "staff"
    tables = ("login_attempt", "staff_session", "password_reset", "staff_user")
    kinds = ("login_attempt", "staff_session")
    erased = {"login_attempt": "Mislukte inlogpogingen"}

    def purge(self, now: datetime) -> dict[str, int]:
        attempts = _delete(delete(LoginAttempt).where(LoginAttempt.created_at < now - retention("login_attempt")))
        cutoff = now - retention("staff_session")
        sessions = _delete(delete(StaffSession).where(StaffSession.expires_at < cutoff))
        sessions += _delete(delete(PasswordReset).where(
            or_(PasswordReset.expires_at < cutoff, PasswordReset.used_at < cutoff)))
        return {"login_attempt": attempts, "staff_session": sessions}

    def export(self, email: str) -> Rows:
        accounts = db.session.scalars(select(StaffUser).where(func.lower(StaffUser.email) == email))
        attempts = db.session.scalars(select(LoginAttempt).where(func.lower(LoginAttempt.email) == email)
                                      .order_by(LoginAttempt.id))
        return {"Account als medewerker": [{"naam": u.name, "e-mailadres": u.email, "rol": text(Role(u.role)),
                                            "aangemaakt": text(u.created_at)} for u in accounts],
                "Mislukte inlogpogingen": [{"moment": text(a.created_at), "ip-adres": a.ip} for a in attempts]}


    def plan(self, email: str) -> Plan:
        plan = Plan()
        if db.session.scalar(select(func.count()).select_from(LoginAttempt)
                             .where(func.lower(LoginAttempt.email) == email)):
            plan.actions.append("Mislukte inlogpogingen met dit e-mailadres worden verwijderd.")
        if db.session.scalar(select(func.count()).select_from(StaffUser).where(func.lower(StaffUser.email) == email)):
            plan.kept.append("Je account als medewerker blijft zolang je bij ons werkt; een beheerder "
                             "verwijdert het als je vertrekt.")
        return plan

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        """Failed logins go; a staff account stays (an administrator removes it)."""
        return {"login_attempt": _delete(delete(LoginAttempt).where(func.lower(LoginAttempt.email) == email))}


def _delete(statement) -> int:
    return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount or 0
