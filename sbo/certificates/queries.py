"""Reads about certificates that other packages need (staff screens, the personal page, the
registration-number form)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import exists, func, select

from ..attendance import queries as attendance
from ..catalogue.models import Edition, Register, SessionDate
from ..enrolment.models import Enrolment, EnrolmentStatus
from ..extensions import db
from .models import Certificate

CODE_RE = re.compile(r"[A-Z2-7]{24}")


def normalise_code(code: str) -> str | None:
    """The stored form of a code as typed or scanned ("abcd-efgh …" → "ABCDEFGH…"), None when
    it cannot be one (so a malformed guess never reaches the database)."""
    plain = re.sub(r"[\s-]", "", code or "").upper()
    return plain if CODE_RE.fullmatch(plain) else None


def display_code(code: str) -> str:
    """"ABCD-EFGH-…": six groups of four, as printed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def by_code(code: str) -> Certificate | None:
    plain = normalise_code(code)
    if plain is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == plain))


def of_enrolment(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment_id))


def issued_for(enrolment_id: int) -> bool:
    """Whether the participant's certificate went out (issued, even if withdrawn later): from
    then on the participant can no longer change their registration numbers."""
    return bool(db.session.scalar(select(exists().where(Certificate.enrolment_id == enrolment_id))))


def certificate_or_404(certificate_id: int) -> Certificate:
    return db.get_or_404(Certificate, certificate_id)


def last_day(edition: Edition) -> date:
    return max((s.day for s in edition.sessions), default=edition.start_date)


def editions_ended(since: date, before: date) -> list[int]:
    """The ids of editions whose last day is on or after `since` and before `before`."""
    last = func.max(SessionDate.day)
    return list(db.session.scalars(select(SessionDate.edition_id).group_by(SessionDate.edition_id)
                                   .having(last >= since, last < before)))


class Row(NamedTuple):
    enrolment: Enrolment
    hours: Decimal
    qualifies: bool
    certificate: Certificate | None


def overview(edition: Edition) -> list[Row]:
    """Every confirmed participant of an edition: net hours, whether they qualify, their certificate."""
    enrolments = db.session.scalars(select(Enrolment).where(
        Enrolment.edition_id == edition.id, Enrolment.status == EnrolmentStatus.CONFIRMED)
        .order_by(Enrolment.last_name, Enrolment.first_name, Enrolment.id)).all()
    qualifying = attendance.attended_enrolment_ids(edition.id)
    certificates = {c.enrolment_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.enrolment_id.in_([e.id for e in enrolments])))}
    return [Row(e, attendance.net_hours(e), e.id in qualifying, certificates.get(e.id)) for e in enrolments]


class PointsRow(NamedTuple):
    enrolment: Enrolment
    number: str | None
    points: Decimal


def points_of(edition: Edition, register: Register) -> list[PointsRow]:
    """Per participant who qualifies, the points `register` awards and their number in it."""
    rows = []
    for enrolment in db.session.scalars(select(Enrolment).where(
            Enrolment.id.in_(attendance.attended_enrolment_ids(edition.id)))
            .order_by(Enrolment.last_name, Enrolment.first_name, Enrolment.id)):
        for earned in attendance.points(enrolment):
            if earned.register.id == register.id:
                rows.append(PointsRow(enrolment, earned.registration_number, earned.points))
    return rows


def registers_of(edition: Edition) -> list[Register]:
    """The registers that accredit the edition's offering, by name."""
    return sorted((a.register for a in edition.offering.accreditations), key=lambda r: r.name)
