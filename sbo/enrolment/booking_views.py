"""Routes behind the personal link for changing dates and for the booker's overview:
rebooking (omboeken) to another date of the same offering, and sending a participant their
confirmation again. The booker may do both for every participant of their booking
(/inschrijving/<token>/deelnemer/<id>/…); a colleague's link only for themselves."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..catalogue.models import Edition
from ..extensions import db, limiter
from ..filters import dutch_date
from . import booker, rebooking, services, terms
from .forms import ConfirmForm, RebookForm
from .models import EnrolmentStatus
from .services import EnrolmentError
from .views import FORM_LIMIT, back_to, bp, open_participant, render_manage


def render_rebook(token, holder, enrolment, status: int = 200, error: str | None = None):
    return render_template("enrolment/rebook.html", token=token, holder=holder, enrolment=enrolment,
                           participant_id=None if enrolment is holder else enrolment.id,
                           edition=enrolment.edition, offering=enrolment.edition.offering,
                           targets=rebooking.targets(enrolment), rule=terms.rebook_rule(),
                           full=services.is_full, error=error, form=RebookForm(formdata=None)), status


@bp.route("/inschrijving/<token>/omboeken", methods=["GET", "POST"], defaults={"participant_id": None})
@bp.route("/inschrijving/<token>/deelnemer/<int:participant_id>/omboeken", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def rebook(token: str, participant_id: int | None):
    """GET: the other open dates of the offering, each with a button; POST: move there."""
    (holder, enrolment), problem = open_participant(token, participant_id)
    if problem:
        return problem
    try:
        rebooking.check(enrolment)
    except EnrolmentError as error:
        if request.method == "GET":
            return redirect(back_to(token, holder, enrolment))
        flash(error.message, "error")
        return render_manage(token, holder, enrolment, status=409)
    if request.method == "GET":
        return render_rebook(token, holder, enrolment)
    form = RebookForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return render_rebook(token, holder, enrolment, 422, "Kies een van de data hieronder.")
    target = db.session.get(Edition, form.edition_id.data)
    if target is None:
        return render_rebook(token, holder, enrolment, 422, "Kies een van de data hieronder.")
    old = enrolment.edition
    try:
        moved = rebooking.rebook(enrolment, target, join_waiting_list=form.join_waiting_list.data,
                                 by_booker=enrolment is not holder)
    except EnrolmentError as error:
        db.session.rollback()
        return render_rebook(token, holder, enrolment, 409, error.message)
    if enrolment is holder and not moved.is_booker:
        booker.tell_booker(moved, "rebooked", old=old)
    db.session.commit()
    where = dutch_date(target.start_date)
    who = "Je bent" if enrolment is holder else f"{moved.name} is"
    flash(f"{who} omgeboekt naar {where}." if moved.status == EnrolmentStatus.CONFIRMED
          else f"{who} omgeboekt naar de wachtlijst van {where}.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.post("/inschrijving/<token>/deelnemer/<int:participant_id>/bevestiging")
@limiter.limit(FORM_LIMIT)
def resend(token: str, participant_id: int):
    """The booker sends a participant (or themselves) their confirmation again; a colleague's
    link only reaches their own (links.open_participant)."""
    (holder, enrolment), problem = open_participant(token, participant_id)
    if problem:
        return problem
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if booker.resend_confirmation(enrolment):
        flash(f"We hebben {enrolment.name} de bevestiging opnieuw gestuurd, met een nieuwe link.", "success")
    else:
        flash(f"{enrolment.name} heeft kort geleden al een bevestiging gekregen, of staat niet meer "
              "ingeschreven. Probeer het later nog eens.", "error")
    db.session.commit()
    return redirect(url_for(".manage", token=token), 303)
