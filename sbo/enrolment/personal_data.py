"""Personal data of the enrolment domain: bookings, enrolments and interest registrations.

The purge removes bookings never confirmed (their hold expired), interest registrations never
confirmed or unsubscribed, and after an edition's start first the details nobody needs any more
(phone, job title, remarks) and, once the fiscal period is over, everything else: the booking
and its enrolments are anonymised, so the counts of past editions stay right."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, cast, delete, exists, func, literal, or_, select, update
from sqlalchemy.orm import joinedload

from .. import clock
from ..catalogue.models import Edition
from ..email_address import normalise_email
from ..extensions import db
from ..filters import dutch_date
from ..personal_data import Plan, Provider, Rows, register, retention, text
from .consent import expire_holds
from .links import revoke
from .models import (Booking, Enrolment, EnrolmentStatus, InterestNotification, InterestRegistration,
                     InterestStatus, Offer, OfferState, PersonalLink, RegistrationNumber)
from .services import can_change, cancel_enrolment
from .terms import cancellation_cost

ANONYMOUS = "Anoniem"


@register
class EnrolmentData(Provider):
    name = "enrolment"
    tables = ("booking", "enrolment", "interest_registration")
    kinds = ("interest_unconfirmed", "interest_unsubscribed", "enrolment_details", "enrolment_invoice")
    erased = {"enrolment_cancelled": "Geannuleerde inschrijvingen en wachtlijstplaatsen",
              "enrolment_anonymised": "Geanonimiseerde inschrijvingen",
              "booking_anonymised": "Geanonimiseerde boekingen",
              "booking_kept": "Bewaarde factuurgegevens (wettelijke bewaarplicht)",
              "interest_deleted": "Verwijderde aanmeldingen „Houd mij op de hoogte”",
              "link_revoked": "Ingetrokken persoonlijke links"}

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
                "Aangeboden plaatsen van de wachtlijst": export_offers(email),
                "Houd mij op de hoogte": export_interest(email)}


    def plan(self, email: str) -> Plan:
        return plan_erasure(email)

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        return erase_enrolment_data(email)


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


def export_offers(email: str) -> list[dict[str, str]]:
    """The seats offered to bookings the address made or waits in (offers are per booking)."""
    bookings = select(Enrolment.booking_id).where(func.lower(Enrolment.email) == email)
    offers = db.session.scalars(
        select(Offer).where(or_(Offer.booking_id.in_(bookings),
                                Offer.booking_id.in_(select(Booking.id).where(func.lower(Booking.email) == email))))
        .options(joinedload(Offer.edition).joinedload(Edition.offering)).order_by(Offer.id))
    return [{**_when(o.edition), "plaatsen": str(o.seats), "status": text(OfferState(o.state)),
             "aangeboden": text(o.created_at), "geldig_tot": text(o.expires_at), "afgesloten": text(o.closed_at)}
            for o in offers]


def export_interest(email: str) -> list[dict[str, str]]:
    registrations = db.session.scalars(
        select(InterestRegistration).where(func.lower(InterestRegistration.email) == email)
        .options(joinedload(InterestRegistration.offering)).order_by(InterestRegistration.id))
    return [{"opleiding": r.offering.title, "status": text(InterestStatus(r.status)), "naam": r.name,
             "e-mailadres": r.email, "voorkeur_plaats": r.preferred_city, "voorkeur_maand": r.preferred_month,
             "gemaakt": text(r.created_at), "afgemeld": text(r.unsubscribed_at)} for r in registrations]


# --- erasure (AVG art. 17) ------------------------------------------------------------------
# Enrolments in editions that have not started are cancelled through the cancel service (the
# seat goes to the waiting list), then anonymised like the purge does. A booking of an edition
# that has started is invoice data the law makes us keep (ENROLMENT_INVOICE retention, 7 years):
# it keeps name, address and invoice details, loses phone, job title and remarks, and is
# anonymised by the purge when its time is up. A booking of a future edition loses the
# booker's name and address; its invoice details stay while colleagues remain enrolled or a
# cancellation is charged.

ACTIVE = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.HELD, EnrolmentStatus.OFFERED, EnrolmentStatus.WAITING)


def _future(today):
    return select(Edition.id).where(Edition.start_date > today).scalar_subquery()


def _to_cancel(email: str, today) -> list[Enrolment]:
    """The address's active enrolments in future editions, and every active enrolment of a
    booking it made and never confirmed (its colleagues were never told)."""
    unconfirmed = select(Booking.id).where(func.lower(Booking.email) == email,
                                           Booking.confirmed_at.is_(None)).scalar_subquery()
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.edition_id.in_(_future(today)), Enrolment.status.in_(ACTIVE),
                                or_(func.lower(Enrolment.email) == email, Enrolment.booking_id.in_(unconfirmed)))
        .options(joinedload(Enrolment.edition).joinedload(Edition.offering), joinedload(Enrolment.booking))
        .order_by(Enrolment.id)))


def _bookings(email: str, started: bool, today) -> list[Booking]:
    editions = _future(today)
    return list(db.session.scalars(
        select(Booking).where(func.lower(Booking.email) == email,
                              Booking.edition_id.not_in(editions) if started else Booking.edition_id.in_(editions))
        .options(joinedload(Booking.edition).joinedload(Edition.offering)).order_by(Booking.id)))


def _what(edition: Edition) -> str:
    return f"{edition.offering.title} ({dutch_date(edition.start_date)})"


def kept_until(edition: Edition):
    """The day the purge anonymises the invoice data of a booking for `edition`."""
    return edition.start_date + timedelta(days=retention("enrolment_invoice").days + 1)


def plan_erasure(email: str) -> Plan:
    today = clock.today()
    plan = Plan()
    for enrolment in _to_cancel(email, today):
        if normalise_email(enrolment.email) != email:
            plan.actions.append(f"De inschrijving van {enrolment.name} voor {_what(enrolment.edition)} vervalt: "
                                "je hebt die boeking nooit bevestigd.")
        elif enrolment.status in (EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED):
            plan.actions.append(f"Je plaats op de wachtlijst voor {_what(enrolment.edition)} vervalt (kosteloos).")
        else:
            cost = cancellation_cost(enrolment, today)
            late = "" if can_change(enrolment, today) else " De termijn om zelf te annuleren is voorbij."
            plan.actions.append(f"Je inschrijving voor {_what(enrolment.edition)} wordt geannuleerd: {cost}.{late}")
    for booking in _bookings(email, False, today):
        plan.actions.append(f"Je naam en contactgegevens gaan uit je boeking voor {_what(booking.edition)}.")
        if db.session.scalar(select(exists().where(Enrolment.booking_id == booking.id,
                                                   Enrolment.status.in_(ACTIVE),
                                                   func.lower(Enrolment.email) != email))):
            plan.kept.append(f"Je collega's blijven ingeschreven voor {_what(booking.edition)}; de "
                             "factuurgegevens van je organisatie blijven bij die boeking voor de factuur.")
    for booking in _bookings(email, True, today):
        plan.kept.append(f"De factuurgegevens van je boeking voor {_what(booking.edition)} (naam, "
                         "e-mailadres, organisatie, factuuradres, inkoopnummer) moeten we volgens de "
                         f"belastingwet zeven jaar bewaren: tot {dutch_date(kept_until(booking.edition))}. "
                         "Daarna verwijderen we ze vanzelf. Telefoon, functie en opmerkingen halen we er nu uit.")
    past = db.session.scalar(select(func.count()).select_from(Enrolment).where(
        func.lower(Enrolment.email) == email, Enrolment.edition_id.not_in(_future(today))))
    if past:
        plan.actions.append("Je naam en e-mailadres bij afgelopen of geannuleerde deelnames worden verwijderd; "
                            "het aantal deelnemers blijft kloppen.")
    if db.session.scalar(select(func.count()).select_from(Enrolment).where(func.lower(Enrolment.email) == email)):
        plan.actions.append("De persoonlijke links in onze e-mails aan jou werken daarna niet meer.")
    for registration in db.session.scalars(select(InterestRegistration)
                                           .where(func.lower(InterestRegistration.email) == email)
                                           .options(joinedload(InterestRegistration.offering))):
        plan.actions.append(f"Je aanmelding „Houd mij op de hoogte” voor {registration.offering.title} "
                            "wordt verwijderd.")
    return plan


def erase_enrolment_data(email: str) -> dict[str, int]:
    today = clock.today()
    charged: set[int] = set()
    cancelled = 0
    for enrolment in _to_cancel(email, today):
        db.session.refresh(enrolment)
        if enrolment.status == EnrolmentStatus.CANCELLED:  # cancelled meanwhile
            continue
        if not cancellation_cost(enrolment, today).free:
            charged.add(enrolment.booking_id)
        cancel_enrolment(enrolment, by_staff=not can_change(enrolment, today), on=today)
        cancelled += 1
    links = _revoke_links(email)
    anonymised = _anonymise_enrolments(func.lower(Enrolment.email) == email)
    db.session.execute(update(Enrolment).where(func.lower(Enrolment.replaced_email) == email)
                       .values(replaced_email=None), execution_options={"synchronize_session": False})
    kept = _run(update(Booking).where(func.lower(Booking.email) == email,
                                      Booking.edition_id.not_in(_future(today)))
                .values(phone="", job_title="", remarks=""))
    future = select(Booking.id).where(func.lower(Booking.email) == email,
                                      Booking.edition_id.in_(_future(today))).scalar_subquery()
    still_enrolled = exists().where(Enrolment.booking_id == Booking.id, Enrolment.status.in_(ACTIVE))
    _run(update(Booking).where(Booking.id.in_(future), ~still_enrolled, Booking.id.not_in(charged))
         .values(organisation="", invoice_address="", invoice_postcode="", invoice_city="", po_number="",
                 cost_centre=""))
    bookings = _run(update(Booking).where(Booking.id.in_(future))
                    .values(first_name=ANONYMOUS, last_name="", email="", phone="", job_title="", remarks=""))
    interest = _delete_interest(func.lower(InterestRegistration.email) == email)
    db.session.flush()
    return {"enrolment_cancelled": cancelled, "enrolment_anonymised": anonymised,
            "booking_anonymised": bookings, "booking_kept": kept, "interest_deleted": interest,
            "link_revoked": links}


def _revoke_links(email: str) -> int:
    """The personal links in the mails to the address stop working (links.revoke), as do those
    of a place it handed over to a substitute."""
    def ids(column, condition):
        return list(db.session.scalars(select(column).where(condition)))
    removed = revoke(enrolment_ids=ids(Enrolment.id, func.lower(Enrolment.email) == email),
                     booking_ids=ids(Booking.id, func.lower(Booking.email) == email),
                     registration_ids=ids(InterestRegistration.id, func.lower(InterestRegistration.email) == email))
    handed_over = ids(Enrolment.id, func.lower(Enrolment.replaced_email) == email)
    if handed_over:
        removed += _run(delete(PersonalLink).where(PersonalLink.enrolment_id.in_(handed_over),
                                                   PersonalLink.handed_over_at.is_not(None)))
    return removed


def _run(statement) -> int:
    return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount or 0


def _anonymise_enrolments(condition) -> int:
    return _run(update(Enrolment).where(condition)
                .values(first_name=ANONYMOUS, last_name="", replaced_email=None,
                        email=literal("anoniem-") + cast(Enrolment.id, String)))


@register
class RegistrationNumberData(Provider):
    """Participants' numbers in professional registers: kept RETENTION_DAYS["registration_number"]
    after the edition's start (for points reported late), then deleted. Runs before
    EnrolmentData (`order`), which anonymises the addresses this one looks up."""
    name = "registration_number"
    tables = ("registration_number",)
    kinds = ("registration_number",)
    erased = {"registration_number_deleted": "Verwijderde registratienummers"}
    order = -1

    def purge(self, now: datetime) -> dict[str, int]:
        enrolments = select(Enrolment.id).where(
            Enrolment.edition_id.in_(_started_before(now, "registration_number"))).scalar_subquery()
        return {"registration_number": _run(delete(RegistrationNumber)
                                            .where(RegistrationNumber.enrolment_id.in_(enrolments)))}

    def export(self, email: str) -> Rows:
        rows = db.session.execute(
            select(Enrolment, RegistrationNumber).join(RegistrationNumber, RegistrationNumber.enrolment_id == Enrolment.id)
            .where(func.lower(Enrolment.email) == email)
            .options(joinedload(Enrolment.edition).joinedload(Edition.offering)).order_by(RegistrationNumber.id))
        return {"Registratienummers": [{**_when(enrolment.edition), "register": number.register.name,
                                        "nummer": number.number} for enrolment, number in rows]}

    def plan(self, email: str) -> Plan:
        return Plan(actions=["Je registratienummers bij beroepsregisters worden verwijderd."]
                    if self._ids(email) else [])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        removed = _run(delete(RegistrationNumber).where(RegistrationNumber.id.in_(self._ids(email))))
        db.session.flush()
        return {"registration_number_deleted": removed}

    @staticmethod
    def _ids(email: str) -> list[int]:
        return list(db.session.scalars(select(RegistrationNumber.id).join(
            Enrolment, Enrolment.id == RegistrationNumber.enrolment_id).where(func.lower(Enrolment.email) == email)))
