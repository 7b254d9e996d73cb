"""The public request form: on /maatwerk, and from an offering's page at
/aanbod/<slug>/in-company (the request then names that offering)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from sqlalchemy import select

from ..catalogue.models import Offering
from ..extensions import db, limiter
from . import services
from .forms import IncompanyRequestForm

bp = Blueprint("incompany", __name__)
# every accepted form sends mail: limit how fast one address can make us send it
FORM_LIMIT = "10 per minute;60 per hour"


def _published_offering(slug: str) -> Offering:
    offering = db.session.scalar(select(Offering).where(Offering.slug == slug,
                                                        Offering.published.is_(True)))
    if offering is None:
        abort(404)
    return offering


def _request_form(offering: Offering | None):
    form = IncompanyRequestForm()
    if form.validate_on_submit():
        details = services.RequestDetails(
            organisation=form.organisation.data, contact_name=form.contact_name.data,
            email=form.email.data, phone=form.phone.data or "", participants=form.participants.data,
            preferred_period=form.preferred_period.data or "",
            preferred_place=form.preferred_place.data or "", question=form.question.data)
        services.submit_request(details, offering)
        db.session.commit()
        return redirect(url_for(".request_sent", slug=offering.slug) if offering
                        else url_for(".general_sent"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("incompany/request.html", form=form, offering=offering), status


@bp.route("/maatwerk", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def general_request():
    return _request_form(None)


@bp.route("/aanbod/<slug>/in-company", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def offering_request(slug: str):
    return _request_form(_published_offering(slug))


@bp.get("/maatwerk/verstuurd")
def general_sent():
    return render_template("incompany/sent.html", offering=None)


@bp.get("/aanbod/<slug>/in-company/verstuurd")
def request_sent(slug: str):
    return render_template("incompany/sent.html", offering=_published_offering(slug))
