"""Demo attendance: a Bibob course that took place three weeks ago, with its participants
marked present (one missed the second day, one left the first day early) and some of their
NOvA and Register Integriteit numbers, so that points, certificates and evaluations have
something to show. Idempotent: nothing is added when the course already has a past edition."""
from __future__ import annotations

from datetime import date, datetime, time

from .. import clock
from ..catalogue.demo import past_edition
from ..enrolment.demo import book_past_edition
from ..enrolment.registration import registers_for, set_numbers
from ..extensions import db
from .models import Attendance

SLUG = "bibob-coordinator"
PARTICIPANTS = 9
# demo numbers in each register's format, for every other participant
NUMBERS = {"NOvA": "B{:05d}", "Register Integriteit": "RI-{:04d}"}


def _at(day: date, clock_time: time) -> datetime:
    return clock.to_utc(day, clock_time)


def seed(today: date | None = None) -> int:
    today = today or clock.today()
    edition = past_edition(SLUG, today, days_ago=28, sessions=2)
    if edition is None:
        return 0
    enrolments = book_past_edition(edition, PARTICIPANTS)
    registers = registers_for(edition)
    created = len(enrolments)
    for n, enrolment in enumerate(enrolments):
        for day_number, session in enumerate(edition.sessions):
            if n == 3 and day_number == 1:
                continue  # missed the second day
            left = _at(session.day, time(14, 15)) if n == 5 and day_number == 0 else None
            db.session.add(Attendance(enrolment_id=enrolment.id, session_id=session.id,
                                      arrived_at=_at(session.day, time(9, 10 + n)), left_early_at=left))
            created += 1
        if n % 2 == 0:
            set_numbers(enrolment, {r.id: NUMBERS[r.short_name].format(1200 + n * 37)
                                    for r in registers if r.short_name in NUMBERS}, registers)
    db.session.flush()
    return created
