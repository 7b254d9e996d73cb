"""Test data for certificates: a past edition with accreditations, attendance and numbers."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from sbo import clock
from sbo.attendance import services as attendance
from sbo.catalogue.models import Accreditation, Edition, Register
from sbo.enrolment.models import Enrolment, RegistrationNumber
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering


class Course(NamedTuple):
    edition: Edition
    nova: Register
    boa: Register
    anna: Enrolment  # all days, NOvA number given
    bert: Enrolment  # one of two days: does not qualify
    carla: Enrolment  # all days, no numbers


def register(name: str, short: str, pattern: str = r"\d{6}") -> Register:
    found = db.session.scalar(select(Register).where(Register.name == name))
    if found is not None:
        return found
    found = Register(name=name, short_name=short, number_pattern=pattern, number_hint="zes cijfers",
                     provider_details=f"SBO is bij {short} bekend als opleider 4711.")
    db.session.add(found)
    db.session.flush()
    return found


def past_course(ended_days_ago: int = 1, **offering) -> Course:
    """A two-day course (9:30–16:30) whose last day was `ended_days_ago` days ago, accredited by
    NOvA (8 points) and the BOA register (6 points)."""
    course = make_offering(title=offering.pop("title", "Bibob in de praktijk"), **offering)
    nova = register("Nederlandse Orde van Advocaten", "NOvA")
    boa = register("BOA-register", "BOA", r"BOA\d{4}")
    db.session.add_all([Accreditation(offering=course, register=nova, points=Decimal(8), net_hours=Decimal(14)),
                        Accreditation(offering=course, register=boa, points=Decimal(6), net_hours=Decimal(14))])
    start = clock.today() - timedelta(days=7 + ended_days_ago)
    edition = make_edition(course, days=2, start_date=start, city="Utrecht")
    anna = make_enrolment(edition, first_name="Anna", last_name="de Vries", email="anna@gemeente.example")
    bert = make_enrolment(edition, first_name="Bert", last_name="Jansen", email="bert@gemeente.example")
    carla = make_enrolment(edition, first_name="Carla", last_name="Bos", email="carla@gemeente.example")
    db.session.add(RegistrationNumber(enrolment_id=anna.id, register_id=nova.id, number="123456"))
    for session in edition.sessions:
        attendance.mark_arrived(anna, session)
        attendance.mark_arrived(carla, session)
    attendance.mark_arrived(bert, edition.sessions[0])
    db.session.flush()
    return Course(edition, nova, boa, anna, bert, carla)
