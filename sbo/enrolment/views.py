"""Enrolment views: the enrolment form, its confirmation, the calendar file, and the
personal page behind the link in the confirmation e-mail (cancel, send a substitute)."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   session, url_for)
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..pagecache import PRIVATE_NO_STORE, cache_page
from ..catalogue.models import Edition, EditionStatus, Offering
from ..extensions import commit_keeping_loaded, db, limiter
from .. import clock
from ..qr import qr_svg
from . import booker, ics, links, offers, queries, rebooking, registration, services, terms, totals
from .forms import ConfirmForm, EnrolmentForm, NumbersForm, ParticipantForm, SubstituteForm, WaitingListForm
from .mails import offering_url
from .passes import pass_url
from .links import HandedOver
from .models import Booking, Enrolment, EnrolmentStatus
from .services import (AlreadyEnrolled, DeadlinePassed, EditionClosed, EditionFull, EnrolmentError,
                       Participant, TooManyParticipants)
from ..tokens import ExpiredToken, InvalidToken

bp = Blueprint("enrolment", __name__)
# every accepted form sends mail: limit how fast one address can make us send it
FORM_LIMIT = "10 per minute;60 per hour"
PRIVATE_ENDPOINTS = {"enrolment.enrolled", "enrolment.manage", "enrolment.cancel",
                     "enrolment.substitute", "enrolment.rebook", "enrolment.resend", "enrolment.unsubscribe",
                     "enrolment.confirm_interest", "enrolment.enrolment_ics", "enrolment.registration_numbers"}


@bp.after_request
def personal_pages_are_not_cached(response):
    """Pages behind a personal link (any route with a <token>) or showing a booking stay out
    of every cache; the page cache never stores them (sbo/pagecache/)."""
    if request.endpoint in PRIVATE_ENDPOINTS or "token" in (request.view_args or {}):
        response.headers["Cache-Control"] = PRIVATE_NO_STORE
    return response



def find_edition(slug: str, edition_id: int) -> Edition:
    """The edition with its offering and its session dates, in one statement: every page of
    these routes shows the dates (templates/enrolment/_edition.html), and so does the mail an
    enrolment queues, which would otherwise load them in the middle of the POST, flushing the
    rows written so far first (issue 18)."""
    edition = db.session.get(Edition, edition_id,
                             options=[joinedload(Edition.offering), joinedload(Edition.sessions)])
    if edition is None or edition.offering.slug != slug or not edition.offering.published:
        abort(404)
    return edition


def find_offering(slug: str) -> Offering:
    offering = db.session.scalar(select(Offering).where(Offering.slug == slug,
                                                        Offering.published.is_(True)))
    if offering is None:
        abort(404)
    return offering


def message_page(title: str, message: str, status: int, edition: Edition | None = None,
                 offering: Offering | None = None, offer_interest: bool = False):
    return render_template("enrolment/message.html", title=title, message=message,
                           edition=edition, offering=offering or (edition.offering if edition else None),
                           offer_interest=offer_interest), status


def closed_page(edition: Edition, error: EditionClosed):
    """An edition that takes no enrolments; past its deadline, the interest form is offered."""
    return message_page("Inschrijven is niet mogelijk", error.message, 409, edition,
                        offer_interest=isinstance(error, DeadlinePassed))


def link_problem(error: InvalidToken):
    if isinstance(error, HandedOver):
        enrolment = error.enrolment
        return render_template("enrolment/handed_over.html", enrolment=enrolment,
                               edition=enrolment.edition, offering=enrolment.edition.offering), 410
    if isinstance(error, ExpiredToken):
        return message_page("Deze link is verlopen",
                            "De link in je e-mail is niet meer geldig. Neem contact met ons op als je "
                            "iets aan je inschrijving wilt wijzigen.", 410)
    return message_page("Deze link klopt niet",
                        "We herkennen deze link niet. Controleer of je de volledige link uit de "
                        "e-mail hebt gebruikt, of neem contact met ons op.", 404)


@bp.route("/aanbod/<slug>/inschrijven/<int:edition_id>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
@cache_page(timeout=300, per_request=True)  # the empty form, with each visitor's own token
def enrol(slug: str, edition_id: int):
    edition = find_edition(slug, edition_id)
    if request.method == "GET" and services.is_full(edition) and edition.status != EditionStatus.GEANNULEERD:
        return redirect(url_for(".waiting_list", slug=slug, edition_id=edition_id))
    return enrolment_form(edition, EnrolmentForm, waiting_list=False)


@bp.route("/aanbod/<slug>/wachtlijst/<int:edition_id>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def waiting_list(slug: str, edition_id: int):
    """The form for a full edition's waiting list (no 'waiting list if full' box: that is
    what it is for). A seat freed in the meantime is given, as on the enrolment form."""
    edition = find_edition(slug, edition_id)
    if request.method == "GET" and edition.status == EditionStatus.OPEN and not services.is_full(edition):
        return redirect(url_for(".enrol", slug=slug, edition_id=edition_id))
    return enrolment_form(edition, WaitingListForm, waiting_list=True,
                          cities=queries.upcoming_cities(edition.offering))


def enrolment_form(edition: Edition, form_class: type[EnrolmentForm], waiting_list: bool, **form_args):
    slug, edition_id = edition.offering.slug, edition.id
    try:
        services.ensure_open(edition)
    except EditionClosed as error:
        return closed_page(edition, error)
    status = 200
    form = registration.with_number_fields(form_class, ParticipantForm, registration.registers_for(edition))(**form_args)
    if form.validate_on_submit():
        participants = [Participant(form.first_name.data, form.last_name.data, form.email.data,
                                    registration.numbers_from(form))]
        participants += [Participant(row.first_name.data, row.last_name.data, row.email.data,
                                     registration.numbers_from(row))
                         for row in form.colleagues()]
        details = {key: getattr(form, key).data for key in services.BOOKING_FIELDS}
        if waiting_list and form.wait_any_date.data:
            details.update(wait_any_date=True, wait_city=form.wait_city.data, wait_month=form.wait_month.data)
        join = waiting_list or form.join_waiting_list.data
        try:
            booking = services.enrol(edition, details, participants, join)
        except EditionClosed as error:
            db.session.rollback()
            return closed_page(edition, error)
        except AlreadyEnrolled as error:
            db.session.rollback()
            field = next((f for f in [form.email, *(row.email for row in form.colleagues())]
                          if f.data == error.email), form.email)
            field.errors.append(error.message)
            status = 422
        except EditionFull as error:
            db.session.rollback()
            form.join_waiting_list.errors.append(error.message)
            status = 409
        except TooManyParticipants as error:  # the form checks this first
            db.session.rollback()
            form.participants.errors.append(error.message)
            status = 422
        else:
            commit_keeping_loaded()
            session["booking_id"] = booking.id
            return redirect(url_for(".enrolled", slug=slug, edition_id=edition_id), 303)
    elif form.is_submitted():
        status = 422
    endpoint = ".waiting_list" if waiting_list else ".enrol"
    most = form.max_colleagues + 1
    return render_template("enrolment/enrol.html", form=form, edition=edition,
                           offering=edition.offering, waiting_list=waiting_list,
                           quotes=totals.form_quotes(edition, most, clock.today()),
                           participant_count=min(1 + len(form.colleagues()), most),
                           cancellation_terms=terms.terms_lines(), number_fields=registration.number_fields,
                           action=url_for(endpoint, slug=slug, edition_id=edition_id)), status


@bp.get("/aanbod/<slug>/inschrijven/<int:edition_id>/bevestiging")
def enrolled(slug: str, edition_id: int):
    edition = find_edition(slug, edition_id)
    booking = db.session.get(Booking, session.get("booking_id") or 0)
    if booking is None or booking.edition_id != edition.id:
        return redirect(url_for(".enrol", slug=slug, edition_id=edition_id))
    enrolments = services.booking_enrolments(booking)
    positions = queries.waiting_positions(enrolments)
    return render_template("enrolment/enrolled.html", booking=booking, edition=edition,
                           offering=edition.offering, enrolments=enrolments, positions=positions,
                           quote=totals.booking_quote(booking, len(enrolments)))


@bp.get("/aanbod/<slug>/<int:edition_id>.ics")
def edition_ics(slug: str, edition_id: int):
    edition = find_edition(slug, edition_id)
    if edition.status == EditionStatus.GEANNULEERD:
        return message_page("Deze editie is geannuleerd", services.CANCELLED_MESSAGE, 410, edition)
    return edition_calendar_response(edition)


def edition_calendar_response(edition: Edition) -> Response:
    data = ics.edition_calendar(edition, url=offering_url(edition))
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{ics.filename(edition)}"'})


def render_manage(token: str, holder: Enrolment, enrolment: Enrolment | None = None,
                  form: SubstituteForm | None = None, status: int = 200,
                  numbers_form: NumbersForm | None = None):
    """The personal page of `enrolment` (default: the link holder's own). The booker's own page
    also lists every participant of the booking (the booker's overview). The attendance QR code
    and the registration numbers are shown only on one's own page."""
    enrolment = enrolment or holder
    own = enrolment is holder
    overview = booker.participants(holder.booking) if own and holder.is_booker else []
    if numbers_form is None:
        registers = registration.registers_for(enrolment.edition)
        numbers_form = registration.with_number_fields(NumbersForm, None, registers)(formdata=None)
        known = registration.numbers_of(enrolment.id)
        for field in registration.number_fields(numbers_form):
            field.data = known.get(int(field.short_name[len(registration.PREFIX):]))
    seated = own and enrolment.status == EnrolmentStatus.CONFIRMED
    return render_template("enrolment/manage.html", token=token, enrolment=enrolment, holder=holder,
                           participant_id=None if own else enrolment.id,
                           overview=overview if len(overview) > 1 else [],
                           positions=queries.waiting_positions(overview or [enrolment]),
                           changeable={p.id: services.can_change(p) for p in overview},
                           edition=enrolment.edition, offering=enrolment.edition.offering,
                           position=(offers.queue_position(enrolment.booking)
                                     if enrolment.booking.wait_any_date and enrolment.status == EnrolmentStatus.WAITING
                                     else queries.waiting_position(enrolment)),
                           can_change=services.can_change(enrolment),
                           can_rebook=bool(rebooking.targets(enrolment)),
                           cost=terms.cancellation_cost(enrolment),
                           form=form or SubstituteForm(formdata=None),
                           numbers_form=numbers_form, number_fields=registration.number_fields,
                           numbers_open=own and enrolment.status != EnrolmentStatus.CANCELLED
                           and registration.numbers_open(enrolment),
                           pass_qr=qr_svg(pass_url(enrolment), f"QR-code voor de aanwezigheid van {enrolment.name}")
                           if seated else None), status


@bp.post("/inschrijving/<token>/registratienummers")
def registration_numbers(token: str):
    """Add or correct one's registration numbers, until the certificates go out."""
    try:
        enrolment = links.open_enrolment(token)
    except InvalidToken as error:
        return link_problem(error)
    if enrolment.status == EnrolmentStatus.CANCELLED or not registration.numbers_open(enrolment):
        flash("Je registratienummers kun je niet meer wijzigen. Neem contact met ons op.", "error")
        return render_manage(token, enrolment, status=409)
    registers = registration.registers_for(enrolment.edition)
    form = registration.with_number_fields(NumbersForm, None, registers)()
    if not registers or not form.validate_on_submit():
        return render_manage(token, enrolment, numbers_form=form, status=422)
    registration.set_numbers(enrolment, registration.numbers_from(form), registers)
    db.session.commit()
    flash("Je registratienummers zijn opgeslagen.", "success")
    return redirect(url_for(".manage", token=token) + "#registratienummers", 303)


def open_participant(token: str, participant_id: int | None):
    """links.open_participant; a problem with the link becomes its page (the second value)."""
    try:
        return links.open_participant(token, participant_id), None
    except InvalidToken as error:
        return (None, None), link_problem(error)


@bp.get("/inschrijving/<token>", defaults={"participant_id": None})
@bp.get("/inschrijving/<token>/deelnemer/<int:participant_id>")
def manage(token: str, participant_id: int | None):
    (holder, enrolment), problem = open_participant(token, participant_id)
    return problem or render_manage(token, holder, enrolment)


def back_to(token: str, holder: Enrolment, enrolment: Enrolment) -> str:
    """The personal page of `enrolment` as the link holder reaches it."""
    participant_id = None if enrolment is holder else enrolment.id
    return url_for(".manage", token=token, participant_id=participant_id)


@bp.route("/inschrijving/<token>/annuleren", methods=["GET", "POST"], defaults={"participant_id": None})
@bp.route("/inschrijving/<token>/deelnemer/<int:participant_id>/annuleren", methods=["GET", "POST"])
def cancel(token: str, participant_id: int | None):
    """Step one (GET): the cancellation terms and what cancelling costs today.
    Step two (POST, with its CSRF token): cancel. The booker may do this for a colleague."""
    (holder, enrolment), problem = open_participant(token, participant_id)
    if problem:
        return problem
    if request.method == "GET":
        if enrolment.status == EnrolmentStatus.CANCELLED or not services.can_change(enrolment):
            return redirect(back_to(token, holder, enrolment))
        return render_template("enrolment/cancel.html", token=token, enrolment=enrolment,
                               participant_id=participant_id, holder=holder,
                               edition=enrolment.edition, offering=enrolment.edition.offering,
                               cost=terms.cancellation_cost(enrolment),
                               terms=terms.terms_lines(), form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cost = terms.cancellation_cost(enrolment)
    try:
        services.cancel_enrolment(enrolment, by_booker=enrolment is not holder)
    except EnrolmentError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_manage(token, holder, enrolment, status=409)
    if enrolment is holder and not holder.is_booker:
        booker.tell_booker(enrolment, "cancelled", cost=cost)
    db.session.commit()
    if enrolment is holder:
        flash("Je inschrijving is geannuleerd. We hebben je een bevestiging gestuurd.", "success")
    else:
        flash(f"De inschrijving van {enrolment.name} is geannuleerd. {enrolment.first_name} krijgt "
              "daarvan bericht.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.get("/inschrijving/<token>/agenda.ics")
def enrolment_ics(token: str):
    """The calendar file of one's own enrolment: only while it holds a seat."""
    try:
        enrolment = links.open_enrolment(token)
    except InvalidToken as error:
        return link_problem(error)
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        return message_page("Geen agenda-uitnodiging",
                            "Je hebt (nog) geen plaats bij deze editie, dus er is ook niets om in je "
                            "agenda te zetten.", 410, enrolment.edition)
    return edition_calendar_response(enrolment.edition)


@bp.post("/inschrijving/<token>/vervanger", defaults={"participant_id": None})
@bp.post("/inschrijving/<token>/deelnemer/<int:participant_id>/vervanger")
def substitute(token: str, participant_id: int | None):
    (holder, enrolment), problem = open_participant(token, participant_id)
    if problem:
        return problem
    form = SubstituteForm()
    if not form.validate_on_submit():
        return render_manage(token, holder, enrolment, form, 422)
    previous, was_booker = enrolment.name, holder.is_booker
    try:
        services.substitute(enrolment, form.first_name.data, form.last_name.data, form.email.data,
                            by_booker=enrolment is not holder)
    except AlreadyEnrolled as error:
        db.session.rollback()
        form.email.errors.append(error.message)
        return render_manage(token, holder, enrolment, form, 422)
    except EnrolmentError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_manage(token, holder, enrolment, status=409)
    if enrolment is holder and not was_booker:
        booker.tell_booker(enrolment, "substituted", name=previous, new_name=enrolment.name)
    db.session.commit()
    if enrolment is holder:
        return redirect(url_for(".substituted"), 303)
    flash(f"De plaats van {previous} is overgedragen aan {enrolment.name}. Beiden krijgen daarvan "
          "bericht.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.get("/inschrijving/overgedragen")
def substituted():
    return message_page("Je plaats is overgedragen",
                        "Je vervanger heeft een bevestiging met een eigen link ontvangen. "
                        "Jij krijgt ook een e-mail ter bevestiging.", 200)


from . import booking_views, consent_views, interest_views, offer_views  # noqa: E402,F401  (routes of the same blueprint)
