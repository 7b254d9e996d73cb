"""Personal data of the enrolment domain: bookings, enrolments and interest registrations.

The purge removes bookings never confirmed (their hold expired), interest registrations never
confirmed or unsubscribed, and after an edition's start first the details nobody needs any more
(phone, job title, remarks) and, once the fiscal period is over, everything else: the booking
and its enrolments are anonymised, so the counts of past editions stay right."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, cast, delete, func, literal, or_, select, update
from sqlalchemy.orm import joinedload

from .. import clock
from ..catalogue.models import Edition
from ..email_address import normalise_email
from ..extensions import db
from ..personal_data import Provider, Rows, register, retention, text
from .consent import expire_holds
from .models import (Booking, Enrolment, EnrolmentStatus, InterestNotification, InterestRegistration,
                     InterestStatus)

ANONYMOUS = "Anoniem"


@register
class EnrolmentData(Provider):
    name = "enrolment"
    tables = ("booking", "enrolment", "interest_registration")
    kinds = ("interest_unconfirmed", "interest_unsubscribed", "enrolment_details", "enrolment_invoice")

    def purge(self, now: datetime) -> dict[str, int]:
        return {
            "booking_hold": _expire_all_holds(now),
            "interest_unconfirmed": _delete_interest(
                InterestRegistration.status == InterestStatus.PENDING,
                InterestRegistration.created_at < now - retention("interest_unconfirmed")),
            "interest_unsubscribed": _delete_interest(
                InterestRegistration.status == InterestStatus.UNSUBSCRIBED,
                InterestRegistration.unsubscribed_at < now - retention("interest_unsubscribed")),
            "enrolment_details": forget_details(_started_before(now, "enrolment_details")),
            "enrolment_invoice": anonymise_bookings(_started_before(now, "enrolment_invoice")),
        }

    def export(self, email: str) -> Rows:
        return {"Boekingen": export_bookings(email),
                "Inschrijvingen en wachtlijstplaatsen": export_enrolments(email),
                "Houd mij op de hoogte": export_interest(email)}


def _expire_all_holds(now: datetime) -> int:
    """Bookings whose hold ran out (normally removed by send-mail --loop or expire-holds)."""
    total = 0
    while removed := expire_holds(now=now):
        total += removed
    return total


def _delete_interest(*conditions) -> int:
    ids = select(InterestRegistration.id).where(*conditions).scalar_subquery()
    db.session.execute(delete(InterestNotification).where(InterestNotification.registration_id.in_(ids)),
                       execution_options={"synchronize_session": False})
    result = db.session.execute(delete(InterestRegistration).where(*conditions),
                                execution_options={"synchronize_session": False})
    return result.rowcount or 0


def _started_before(now: datetime, kind: str):
    """The ids of editions that started more than the period of `kind` ago (Dutch date)."""
    day = clock.today(now) - timedelta(days=retention(kind).days)
    return select(Edition.id).where(Edition.start_date < day).scalar_subquery()


def forget_details(editions) -> int:
    """Empty phone, job title and remarks of the bookings for `editions`."""
    result = db.session.execute(
        update(Booking).where(Booking.edition_id.in_(editions),
                              or_(Booking.phone != "", Booking.job_title != "", Booking.remarks != ""))
        .values(phone="", job_title="", remarks=""),
        execution_options={"synchronize_session": False})
    return result.rowcount or 0


def anonymise_bookings(editions) -> int:
    """Anonymise the bookings for `editions` and their enrolments; statuses and counts stay.
    An enrolment's e-mail becomes "anoniem-<id>" (one edition holds each address once)."""
    result = db.session.execute(
        update(Booking).where(Booking.edition_id.in_(editions), Booking.email != "")
        .values(first_name=ANONYMOUS, last_name="", email="", phone="", organisation="", job_title="",
                invoice_address="", invoice_postcode="", invoice_city="", po_number="", cost_centre="",
                remarks=""),
        execution_options={"synchronize_session": False})
    db.session.execute(
        update(Enrolment).where(Enrolment.edition_id.in_(editions), Enrolment.first_name != ANONYMOUS)
        .values(first_name=ANONYMOUS, last_name="", replaced_email=None,
                email=literal("anoniem-") + cast(Enrolment.id, String)),
        execution_options={"synchronize_session": False})
    return result.rowcount or 0


def _when(edition: Edition) -> dict[str, str]:
    return {"opleiding": edition.offering.title, "startdatum": text(edition.start_date)}


def export_bookings(email: str) -> list[dict[str, str]]:
    bookings = db.session.scalars(
        select(Booking).where(func.lower(Booking.email) == email)
        .options(joinedload(Booking.edition).joinedload(Edition.offering)).order_by(Booking.id))
    return [{**_when(b.edition), "voornaam": b.first_name, "achternaam": b.last_name,
             "e-mailadres": b.email, "telefoon": b.phone, "organisatie": b.organisation,
             "functie": b.job_title, "factuuradres": b.invoice_address, "postcode": b.invoice_postcode,
             "plaats": b.invoice_city, "inkoopnummer": b.po_number, "kostenplaats": b.cost_centre,
             "opmerkingen": b.remarks, "gemaakt": text(b.created_at), "bevestigd": text(b.confirmed_at)}
            for b in bookings]


def export_enrolments(email: str) -> list[dict[str, str]]:
    enrolments = db.session.scalars(
        select(Enrolment).where(or_(func.lower(Enrolment.email) == email,
                                    func.lower(Enrolment.replaced_email) == email))
        .options(joinedload(Enrolment.edition).joinedload(Edition.offering),
                 joinedload(Enrolment.booking)).order_by(Enrolment.id))
    rows = []
    for e in enrolments:
        if normalise_email(e.email) == email:
            role = "geboekt" if normalise_email(e.booking.email) == email else f"ingeschreven door {e.booking.name}"
        else:
            role = f"plaats overgedragen aan {e.name}"
        rows.append({**_when(e.edition), "status": text(EnrolmentStatus(e.status)), "hoe": role,
                     "voornaam": e.first_name, "achternaam": e.last_name, "e-mailadres": e.email,
                     "gemaakt": text(e.created_at), "geannuleerd": text(e.cancelled_at)})
    return rows


def export_interest(email: str) -> list[dict[str, str]]:
    registrations = db.session.scalars(
        select(InterestRegistration).where(func.lower(InterestRegistration.email) == email)
        .options(joinedload(InterestRegistration.offering)).order_by(InterestRegistration.id))
    return [{"opleiding": r.offering.title, "status": text(InterestStatus(r.status)), "naam": r.name,
             "e-mailadres": r.email, "voorkeur_plaats": r.preferred_city, "voorkeur_maand": r.preferred_month,
             "gemaakt": text(r.created_at), "afgemeld": text(r.unsubscribed_at)} for r in registrations]
