"""Demo certificates: every past demo edition with attendance gets the certificates the daily
job would have made and mailed the day after its last day. Running it twice changes nothing."""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from .. import clock
from ..attendance.models import Attendance
from ..catalogue.models import Edition, SessionDate
from ..extensions import db
from . import queries, services


def seed() -> int:
    today = clock.today()
    attended = select(SessionDate.edition_id).join(Attendance, Attendance.session_id == SessionDate.id)
    created = 0
    for edition in db.session.scalars(select(Edition).where(Edition.id.in_(attended)).order_by(Edition.id)):
        last = queries.last_day(edition)
        if last >= today:
            continue
        sent = clock.to_utc(last + timedelta(days=1), time(7, 0))
        for row in queries.overview(edition):
            if row.qualifies and row.certificate is None:
                certificate = services.issue(row.enrolment, now=sent)
                certificate.mailed_at = sent
                created += 1
    db.session.flush()
    return created
