"""The page behind the link in an offer mail: the seats held for a waiting booking, with a
button to accept and a step to decline (POSTs with CSRF: mail scanners follow links, never
buttons). A closed offer says what became of it and where the person now stands."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from .. import clock
from ..extensions import db, limiter
from . import links, offers
from .forms import ConfirmForm
from .models import OfferState
from .offers import OfferClosed
from ..tokens import InvalidToken
from .views import FORM_LIMIT, bp, link_problem


def render_offer(token: str, offer, status: int = 200, deciding: bool = False):
    booking = offer.booking
    people = offers.offered_people(offer) if offer.is_open else []
    return render_template("enrolment/offer.html", token=token, offer=offer, booking=booking,
                           edition=offer.edition, offering=offer.edition.offering, people=people,
                           position=offers.queue_position(booking), deciding=deciding,
                           form=ConfirmForm()), status


def _open(token: str):
    offer = links.open_offer(token)
    if offer.is_open and offer.expires_at <= clock.utcnow():  # due, process-offers not run yet
        offers.process_offers()
        db.session.commit()
        db.session.refresh(offer)
    return offer


@bp.get("/wachtlijst/aanbod/<token>")
def offer(token: str):
    try:
        found = _open(token)
    except InvalidToken as error:
        return link_problem(error)
    return render_offer(token, found, 200 if found.is_open or found.state == OfferState.ACCEPTED else 410)


@bp.post("/wachtlijst/aanbod/<token>/aannemen")
@limiter.limit(FORM_LIMIT)
def offer_accept(token: str):
    return _answer(token, offers.accept, "Je hebt de plaats aangenomen: je bent ingeschreven. "
                   "We hebben je een bevestiging gemaild.")


def _answer(token: str, answer, done: str):
    """POST (with its CSRF token): accept or decline the offer behind `token`."""
    try:
        found = _open(token)
    except InvalidToken as error:
        return link_problem(error)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        answer(found)
    except OfferClosed as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_offer(token, found, 409)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".offer", token=token), 303)


@bp.route("/wachtlijst/aanbod/<token>/afslaan", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def offer_decline(token: str):
    """Step one (GET): are you sure? Step two (POST): decline."""
    if request.method == "POST":
        return _answer(token, offers.decline,
                       "Je hebt de plaats afgeslagen; we bieden hem de volgende op de wachtlijst aan.")
    try:
        found = _open(token)
    except InvalidToken as error:
        return link_problem(error)
    if not found.is_open:
        return redirect(url_for(".offer", token=token))
    return render_offer(token, found, deciding=True)
