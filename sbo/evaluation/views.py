"""The evaluation form behind a participant's personal link (/evaluatie/<token>)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from ..extensions import db
from ..pagecache import PRIVATE_NO_STORE
from . import queries, services
from .forms import EvaluationForm

bp = Blueprint("evaluation", __name__)


@bp.after_request
def not_indexed_nor_stored(response):
    """A personal link: no search engine, no shared cache."""
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = PRIVATE_NO_STORE
    return response


def _closed(invitation, error: services.EvaluationError):
    return render_template("evaluation/closed.html", invitation=invitation, message=error.message), error.status


@bp.route("/evaluatie/<token>", methods=["GET", "POST"])
def form(token: str):
    invitation = queries.by_token(token)
    if invitation is None:
        return render_template("evaluation/closed.html", invitation=None,
                               message="Deze link werkt niet (meer). Controleer of je de hele link uit de mail gebruikt."), 404
    if invitation.answered_at is not None:
        return _closed(invitation, services.AlreadyAnswered())
    form = EvaluationForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.submit(invitation, overall=form.overall.data, trainers=form.trainers.data,
                            content=form.content.data, recommend=form.recommend.data == "ja",
                            remark=form.remark.data)
        except services.EvaluationError as error:
            db.session.rollback()
            return _closed(invitation, error)
        db.session.commit()
        return redirect(url_for(".thanks", token=token), 303)
    if form.is_submitted():
        status = 422
    return render_template("evaluation/form.html", form=form, invitation=invitation,
                           offering=invitation.enrolment.edition.offering), status


@bp.get("/evaluatie/<token>/bedankt")
def thanks(token: str):
    invitation = queries.by_token(token)
    if invitation is None or invitation.answered_at is None:
        return redirect(url_for(".form", token=token), 303)
    return render_template("evaluation/thanks.html", offering=invitation.enrolment.edition.offering)
