"""The e-mails of the enrolment domain, queued in the outbox of the caller's transaction
through sbo.mail.send_mail. Texts live in templates/enrolment/mail/*.txt; links are absolute (SITE_URL), so the same
code works in a request, a CLI command and a test. Each personal link is a new opaque token
(links.py), stored hashed in the caller's transaction with the mail that carries it."""
from __future__ import annotations

from ..catalogue.models import Edition
from ..mail import OutboxMessage, send_mail
from ..mail_throttle import may_mail
from ..urls import external_url
from ..qr import qr_png
from . import ics, links
from .passes import pass_url
from .models import Booking, Enrolment, EnrolmentStatus, InterestRegistration, Offer
from .terms import Cost, terms_lines
from .totals import booking_quote


def offering_url(edition: Edition) -> str:
    return external_url("catalogue.detail", slug=edition.offering.slug)


def manage_url(enrolment: Enrolment) -> str:
    return external_url("enrolment.manage",
                        token=links.enrolment_token(enrolment))


def confirm_booking_url(booking: Booking) -> str:
    return external_url("enrolment.confirm_booking", slug=booking.edition.offering.slug,
                        edition_id=booking.edition_id,
                        token=links.booking_token(booking))


def calendar_attachment(edition: Edition) -> tuple[str, str, bytes]:
    data = ics.edition_calendar(edition, url=offering_url(edition))
    return ics.filename(edition), "text/calendar", data


PASS_FILENAME = "qr-code-aanwezigheid.png"


def pass_attachment(enrolment: Enrolment) -> tuple[str, str, bytes]:
    """The participant's attendance pass (the QR code staff scan at the door), as a PNG."""
    return PASS_FILENAME, "image/png", qr_png(pass_url(enrolment))


def seat_attachments(enrolment: Enrolment, calendar: tuple[str, str, bytes] | None = None) -> list:
    """What a mail to a participant with a seat carries: the calendar file and their pass."""
    return [calendar or calendar_attachment(enrolment.edition), pass_attachment(enrolment)]


def enrolment_received(enrolment: Enrolment, booking: Booking, colleagues: list[Enrolment],
                       position: int | None, calendar: tuple[str, str, bytes] | None = None) -> OutboxMessage:
    """`calendar`: the edition's calendar_attachment when the caller made it already."""
    edition = enrolment.edition
    confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    title = edition.offering.title
    subject = (f"Bevestiging van je inschrijving: {title}" if confirmed
               else f"Je staat op de wachtlijst: {title}")
    booker = enrolment.email == booking.email  # gets the invoice details and the total
    return send_mail(enrolment.email, subject, "enrolment/mail/enrolment_received",
                     attachments=seat_attachments(enrolment, calendar) if confirmed else [],
                     quote=booking_quote(booking, 1 + len(colleagues)) if booker else None,
                     enrolment=enrolment, booking=booking, colleagues=colleagues, edition=edition,
                     position=position, manage_url=manage_url(enrolment),
                     offering_url=offering_url(edition), cancellation_terms=terms_lines())


def confirm_booking_request(booking: Booking, enrolments: list[Enrolment]) -> OutboxMessage:
    """The only mail before consent: to the booker's own address, asking them to confirm.
    What they typed is shown as data, quoted, never as the site's own words."""
    edition = booking.edition
    waiting = all(e.status == EnrolmentStatus.WAITING for e in enrolments)
    what = "je aanmelding voor de wachtlijst" if waiting else "je inschrijving"
    return send_mail(booking.email, f"Bevestig {what}: {edition.offering.title}",
                     "enrolment/mail/confirm_booking",
                     booking=booking, enrolments=enrolments, edition=edition, waiting=waiting,
                     confirm_url=confirm_booking_url(booking))


def offer_made(offer: Offer, people: list[Enrolment], reminder: bool = False) -> None:
    """To the booker (or, when their address was erased, the first person offered): the seats
    held for the booking, with a new link to accept or decline."""
    edition = offer.edition
    booking = offer.booking
    title = edition.offering.title
    subject = (f"Herinnering: je plaats wordt nog vastgehouden: {title}" if reminder
               else f"Er is een plaats voor je vrij: {title}")
    send_mail(booking.email or people[0].email, subject, "enrolment/mail/offer",
              offer=offer, booking=booking, people=people, edition=edition, reminder=reminder,
              first_name=booking.first_name if booking.email else people[0].first_name,
              offer_url=external_url("enrolment.offer", token=links.offer_token(offer)))


def offer_lapsed(offer: Offer, people: list[Enrolment]) -> None:
    """To the booker (or the first person offered, as offer_made): nobody answered in time, the
    seats went to the next in line; the people still wait for other dates or have left the list."""
    edition, booking = offer.edition, offer.booking
    send_mail(booking.email or people[0].email, f"Aangeboden plaats vervallen: {edition.offering.title}",
              "enrolment/mail/offer_lapsed", offer=offer, people=people, edition=edition,
              first_name=booking.first_name if booking.email else people[0].first_name,
              still_waiting=booking.wait_any_date, offering_url=offering_url(edition))


def promoted(enrolment: Enrolment) -> None:
    """An accepted offer: the participant is enrolled."""
    edition = enrolment.edition
    send_mail(enrolment.email, f"Je bent ingeschreven: {edition.offering.title}",
              "enrolment/mail/promoted", attachments=seat_attachments(enrolment),
              enrolment=enrolment, edition=edition, manage_url=manage_url(enrolment))


def cancelled(enrolment: Enrolment, by_staff: bool, cost: Cost | None = None,
              was_waiting: bool = False, by_booker: bool = False) -> None:
    """`cost`: what cancelling cost (terms.cancellation_cost, taken before the cancel)."""
    edition = enrolment.edition
    subject = (f"Je bent afgemeld voor de wachtlijst: {edition.offering.title}" if was_waiting
               else f"Je inschrijving is geannuleerd: {edition.offering.title}")
    send_mail(enrolment.email, subject, "enrolment/mail/cancelled",
              enrolment=enrolment, edition=edition, by_staff=by_staff, was_waiting=was_waiting,
              cost=cost or Cost(0, 0), organisation=enrolment.booking.organisation,
              by_booker=by_booker, booking=enrolment.booking, offering_url=offering_url(edition))


def edition_cancelled(enrolment: Enrolment, was_waiting: bool) -> None:
    edition = enrolment.edition
    send_mail(enrolment.email, f"Geannuleerd: {edition.offering.title} op {edition.start_date:%d-%m-%Y}",
              "enrolment/mail/edition_cancelled", enrolment=enrolment, edition=edition,
              was_waiting=was_waiting, offering_url=offering_url(edition))


def substituted(enrolment: Enrolment, previous_name: str, previous_email: str,
                previous_first_name: str, by_booker: bool = False) -> None:
    """The substitute's address was typed by the person handing over: one mail per period."""
    edition = enrolment.edition
    confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    subject = (f"Je neemt deel aan {edition.offering.title}" if confirmed
               else f"Je staat op de wachtlijst: {edition.offering.title}")
    if may_mail("substitute", enrolment.email):
        send_mail(enrolment.email, subject, "enrolment/mail/substitute_new",
                  attachments=seat_attachments(enrolment) if confirmed else [],
                  enrolment=enrolment, edition=edition, previous_name=previous_name,
                  manage_url=manage_url(enrolment))
    send_mail(previous_email, f"Je plaats is overgedragen: {edition.offering.title}",
              "enrolment/mail/substitute_old",
              enrolment=enrolment, edition=edition, previous_first_name=previous_first_name,
              by_booker=by_booker, booking=enrolment.booking)


def reminder(enrolment: Enrolment) -> None:
    edition = enrolment.edition
    send_mail(enrolment.email, f"Herinnering: {edition.offering.title} begint binnenkort",
              "enrolment/mail/reminder", attachments=seat_attachments(enrolment),
              enrolment=enrolment, edition=edition, manage_url=manage_url(enrolment),
              offering_url=offering_url(edition))


def unsubscribe_urls(registration: InterestRegistration) -> tuple[str, dict[str, str]]:
    """The unsubscribe page and the RFC 8058 one-click headers, both behind one new token."""
    token = links.interest_token("interest-unsubscribe", registration)
    one_click = external_url("enrolment.unsubscribe_one_click", token=token)
    return (external_url("enrolment.unsubscribe", token=token),
            {"List-Unsubscribe": f"<{one_click}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def interest_confirm(registration: InterestRegistration) -> None:
    confirm_url = external_url("enrolment.confirm_interest",
                               token=links.interest_token("interest-confirm", registration))
    send_mail(registration.email, f"Bevestig je aanmelding: {registration.offering.title}",
              "enrolment/mail/interest_confirm", registration=registration, confirm_url=confirm_url)


def new_edition(registration: InterestRegistration, edition: Edition) -> None:
    enrol_url = external_url("enrolment.enrol", slug=edition.offering.slug, edition_id=edition.id)
    unsubscribe_url, headers = unsubscribe_urls(registration)
    send_mail(registration.email, f"Nieuwe datum: {edition.offering.title}", "enrolment/mail/new_edition",
              headers=headers, registration=registration, edition=edition,
              enrol_url=enrol_url, unsubscribe_url=unsubscribe_url)


def rebooked(enrolment: Enrolment, old: Edition, position: int | None, by_staff: bool,
             by_booker: bool) -> None:
    """To the participant moved from `old` to enrolment.edition (a seat there, or `position`
    on its waiting list)."""
    edition = enrolment.edition
    confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    subject = (f"Omgeboekt: {edition.offering.title} op {edition.start_date:%d-%m-%Y}" if confirmed
               else f"Je staat op de wachtlijst: {edition.offering.title}")
    send_mail(enrolment.email, subject, "enrolment/mail/rebooked",
              attachments=seat_attachments(enrolment) if confirmed else [],
              enrolment=enrolment, edition=edition, old=old, position=position, by_staff=by_staff,
              by_booker=by_booker, booking=enrolment.booking, manage_url=manage_url(enrolment))


def booker_told(booking: Booking, colleague_name: str, change: str, edition: Edition,
                booker_url: str | None, **details) -> None:
    """To the booker: a colleague on their booking cancelled (`change` "cancelled"), handed
    their place over ("substituted", details: new_name) or moved ("rebooked", details: old)."""
    send_mail(booking.email, f"Wijziging in je boeking: {edition.offering.title}",
              "enrolment/mail/booker_told", booking=booking, colleague_name=colleague_name,
              change=change, edition=edition, booker_url=booker_url, **details)
