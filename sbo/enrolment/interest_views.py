"""'Houd mij op de hoogte' views: register, confirm (double opt-in), unsubscribe."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..catalogue.models import Offering
from ..extensions import csrf, db, limiter
from . import interest, links
from .forms import ConfirmForm, InterestForm
from .models import InterestStatus
from ..tokens import InvalidToken
from .views import FORM_LIMIT, bp, find_offering, link_problem, message_page


@bp.route("/aanbod/<slug>/interesse", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def interest_form(slug: str):
    offering = find_offering(slug)
    form = InterestForm()
    if form.validate_on_submit():
        try:
            interest.register_interest(offering, form.name.data, form.email.data,
                                       form.preferred_city.data or "", form.preferred_month.data or "")
            db.session.commit()
        except IntegrityError:  # the same address registered a moment ago: that one stands
            db.session.rollback()
        return redirect(url_for(".interest_sent", slug=slug), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("enrolment/interest.html", form=form, offering=offering), status


@bp.get("/aanbod/<slug>/interesse/verstuurd")
def interest_sent(slug: str):
    offering = find_offering(slug)
    return message_page("Bevestig je aanmelding",
                        "We hebben je een e-mail gestuurd. Klik op de link in die e-mail om je "
                        f"aanmelding voor {offering.title} te bevestigen. Pas daarna houden we je "
                        "op de hoogte.", 200, offering=offering)


@bp.route("/interesse/bevestigen/<token>", methods=["GET", "POST"])
def confirm_interest(token: str):
    """The link in the mail opens a page; only its button (a POST with a CSRF token) confirms,
    so a mail scanner that opens every link confirms nothing."""
    try:
        registration = links.open_registration("interest-confirm", token)
    except InvalidToken as error:
        return link_problem(error)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        interest.confirm_interest(registration)
        db.session.commit()
        return redirect(url_for(".interest_confirmed", slug=registration.offering.slug), 303)
    return render_template("enrolment/interest_confirm.html", registration=registration,
                           pending=interest.to_confirm(registration))


@bp.get("/aanbod/<slug>/interesse/bevestigd")
def interest_confirmed(slug: str):
    offering = find_offering(slug)
    return message_page("Je aanmelding is bevestigd",
                        "Zodra er een nieuwe datum is, sturen we je één e-mail. Afmelden kan "
                        "altijd via de link in die e-mail.", 200, offering=offering)


@bp.route("/interesse/afmelden/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    try:
        registration = links.open_registration("interest-unsubscribe", token)
    except InvalidToken as error:
        return link_problem(error)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        interest.unsubscribe(registration)
        db.session.commit()
        return redirect(url_for(".unsubscribed", slug=registration.offering.slug), 303)
    return render_template("enrolment/unsubscribe.html", registration=registration,
                           done=registration.status == InterestStatus.UNSUBSCRIBED)


@bp.post("/interesse/afmelden/<token>/direct")
@csrf.exempt
def unsubscribe_one_click(token: str):
    """RFC 8058 one-click unsubscribe, POSTed by the mail client (List-Unsubscribe-Post).
    No CSRF token can exist here; the secret token in the URL is the authorisation."""
    try:
        registration = links.open_registration("interest-unsubscribe", token)
    except InvalidToken:
        abort(404)
    interest.unsubscribe(registration)
    db.session.commit()
    return "Je bent afgemeld.", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/aanbod/<slug>/interesse/afgemeld")
def unsubscribed(slug: str):
    # also after the offering went offline: the person unsubscribed all the same
    offering = db.session.scalar(select(Offering).where(Offering.slug == slug))
    if offering is None:
        abort(404)
    return message_page("Je bent afgemeld",
                        "Je krijgt van ons geen berichten meer over nieuwe data van "
                        f"{offering.kind.this_noun}.", 200,
                        offering=offering if offering.published else None)
