"""Personal data of attendance: on which days a participant was marked present (and left
early). Kept RETENTION_DAYS["attendance"] after the edition's start, long enough to make a
certificate again or report points late; then deleted. Runs before the enrolment provider
(`order`), which anonymises the addresses this one looks up."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from .. import clock
from ..catalogue.models import Edition, Offering, SessionDate
from ..enrolment.queries import enrolment_ids_of
from ..extensions import db
from ..personal_data import Plan, Provider, Rows, delete_where, register, retention, text
from .models import Attendance


@register
class AttendanceData(Provider):
    name = "attendance"
    tables = ("attendance",)
    kinds = ("attendance",)
    erased = {"attendance_deleted": "Verwijderde aanwezigheidsregistraties"}
    order = -1

    def purge(self, now: datetime) -> dict[str, int]:
        day = clock.today(now) - timedelta(days=retention("attendance").days)
        old = select(SessionDate.id).join(Edition).where(Edition.start_date < day).scalar_subquery()
        return {"attendance": delete_where(Attendance, Attendance.session_id.in_(old))}

    def export(self, email: str) -> Rows:
        rows = db.session.execute(
            select(Offering.title, SessionDate.day, Attendance.arrived_at, Attendance.left_early_at)
            .join(SessionDate, SessionDate.id == Attendance.session_id).join(Edition).join(Offering)
            .where(Attendance.enrolment_id.in_(enrolment_ids_of(email))).order_by(SessionDate.day))
        return {"Aanwezigheid": [{"opleiding": title, "dag": text(day), "aanwezig gemeld": text(arrived),
                                  "eerder vertrokken": text(left)} for title, day, arrived, left in rows]}

    def plan(self, email: str) -> Plan:
        count = db.session.scalar(select(func.count()).select_from(Attendance)
                                  .where(Attendance.enrolment_id.in_(enrolment_ids_of(email))))
        return Plan(actions=["Wat we bijhielden over je aanwezigheid wordt verwijderd."] if count else [])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        removed = delete_where(Attendance, Attendance.enrolment_id.in_(enrolment_ids_of(email)))
        db.session.flush()
        return {"attendance_deleted": removed}
