"""Test data for evaluations: a past edition with participants who attended and one who did not."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple

from sbo import clock
from sbo.attendance import services as attendance
from sbo.catalogue.models import Edition, Offering
from sbo.enrolment.models import Enrolment
from sbo.evaluation import queries
from sbo.evaluation.models import EvaluationInvitation
from sbo.extensions import db
from sbo.tokens import opaque_token
from tests.factories import make_edition, make_enrolment, make_offering

LINK_RE = re.compile(r"http://localhost(/evaluatie/\S+)")
ANSWERS = {"overall": "8", "trainers": "9", "content": "7", "recommend": "ja", "remark": "Goede casussen."}


class Course(NamedTuple):
    offering: Offering
    edition: Edition
    attended: list[Enrolment]
    absent: Enrolment  # enrolled and confirmed, but there on no day


def past_course(attendees: int = 2, ended_days_ago: int = 1, offering: Offering | None = None) -> Course:
    """A two-day course (a week apart) whose last day was `ended_days_ago` days ago."""
    offering = offering or make_offering(title="Integriteit in de praktijk", slug="integriteit-in-de-praktijk")
    edition = make_edition(offering, days=2, start_date=clock.today() - timedelta(days=7 + ended_days_ago))
    attended = [make_enrolment(edition, first_name=f"Deelnemer{n}", last_name="Aanwezig",
                               email=f"aanwezig{n}.{edition.id}@gemeente.example") for n in range(attendees)]
    absent = make_enrolment(edition, first_name="Bert", last_name="Afwezig", email=f"afwezig.{edition.id}@gemeente.example")
    for enrolment in attended:
        for session in edition.sessions:
            attendance.mark_arrived(enrolment, session)
    db.session.flush()
    return Course(offering, edition, attended, absent)


def link_for(enrolment: Enrolment) -> str:
    """A personal evaluation link made directly (as send-evaluations would, without the attendance check)."""
    invitation = EvaluationInvitation(enrolment_id=enrolment.id, key=opaque_token())
    db.session.add(invitation)
    db.session.flush()
    return f"/evaluatie/{queries.link_token(invitation)}"
