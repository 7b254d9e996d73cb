"""Demo enrolments on whatever demo editions exist: a few participants on the first open
editions, and one small edition filled up with people on its waiting list. Idempotent (a demo
address already in an edition is skipped) and a no-op when there are no editions."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..catalogue.models import Edition, EditionStatus
from ..extensions import db
from ..mail import utcnow
from .models import Booking, Enrolment, EnrolmentStatus

PEOPLE = [
    ("Sanne", "de Vries", "Gemeente Utrecht", "Beleidsadviseur openbare orde"),
    ("Youssef", "El Amrani", "Veiligheidsregio Hollands Midden", "Crisiscoördinator"),
    ("Marieke", "Jansen", "Gemeente Zwolle", "Teamleider handhaving"),
    ("Pieter", "Bakker", "Provincie Gelderland", "Jurist"),
    ("Lotte", "Hendriks", "Gemeente Eindhoven", "Adviseur integrale veiligheid"),
    ("Daan", "Visser", "Politie Oost-Nederland", "Wijkagent"),
]


def _add(edition: Edition, person: tuple[str, str, str, str], status: EnrolmentStatus) -> int:
    first, last, organisation, job = person
    email = f"{first}.{last}".lower().replace(" ", "") + "@demo.sbo.example"
    exists = db.session.scalar(select(Enrolment.id).where(Enrolment.edition_id == edition.id,
                                                          Enrolment.email == email))
    if exists:
        return 0
    if status == EnrolmentStatus.CONFIRMED:
        if edition.seats_taken >= edition.capacity:
            return 0
        edition.seats_taken += 1
    booking = Booking(edition=edition, first_name=first, last_name=last, email=email,
                      organisation=organisation, job_title=job)
    db.session.add(booking)
    db.session.add(Enrolment(booking=booking, edition=edition, first_name=first, last_name=last,
                             email=email, status=status,
                             confirmed_at=utcnow() if status == EnrolmentStatus.CONFIRMED else None))
    db.session.flush()
    return 2


def seed() -> int:
    editions = db.session.scalars(
        select(Edition).where(Edition.status != EditionStatus.GEANNULEERD,
                              Edition.start_date > date.today())
        .order_by(Edition.start_date, Edition.id).limit(4)).all()
    if not editions:
        return 0
    created = 0
    for edition in editions[:3]:
        for person in PEOPLE[:3]:
            created += _add(edition, person, EnrolmentStatus.CONFIRMED)
    # the smallest of them shows a full edition with a waiting list
    small = min(editions, key=lambda e: e.capacity)
    if small.capacity <= 15:
        for index in range(small.capacity):
            first, last, organisation, job = PEOPLE[index % len(PEOPLE)]
            created += _add(small, (first, f"{last} {index + 1}", organisation, job),
                            EnrolmentStatus.CONFIRMED)
        for person in PEOPLE[3:5]:
            created += _add(small, person, EnrolmentStatus.WAITING)
    return created
