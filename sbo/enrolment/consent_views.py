"""The booker's confirmation of a booking: the link in their mail opens a page with a button
(a POST: mail scanners that follow links confirm nothing); confirming mails the participants."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from ..extensions import db, limiter
from . import consent, links, queries, services, totals
from .consent import AlreadyConfirmed, HoldExpired
from .forms import ConfirmForm
from ..tokens import InvalidToken
from .views import FORM_LIMIT, bp, find_edition, link_problem, message_page


@bp.route("/aanbod/<slug>/inschrijven/<int:edition_id>/bevestigen/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def confirm_booking(slug: str, edition_id: int, token: str):
    edition = find_edition(slug, edition_id)
    try:
        booking = links.open_booking(token)
    except InvalidToken as error:
        return link_problem(error)
    if booking is None or booking.edition_id != edition.id:  # removed when its hold expired
        return message_page("Deze link is verlopen", HoldExpired.message, 410, edition)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            consent.confirm_booking(booking)
        except AlreadyConfirmed:
            db.session.rollback()
        except HoldExpired as error:
            db.session.rollback()
            return message_page("Deze link is verlopen", error.message, 410, edition)
        else:
            db.session.commit()
        return redirect(url_for(".confirm_booking", slug=slug, edition_id=edition_id, token=token), 303)
    enrolments = services.booking_enrolments(booking)
    return render_template("enrolment/confirm.html", booking=booking, edition=edition,
                           offering=edition.offering, enrolments=enrolments, form=form,
                           expired=not booking.is_confirmed and booking.hold_expires_at <= consent.utcnow(),
                           positions=queries.waiting_positions(enrolments),
                           quote=totals.booking_quote(booking, len(enrolments)))
