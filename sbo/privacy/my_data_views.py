"""/mijn-gegevens: ask for a link, follow it, see and export what is held for the address."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, current_app, redirect, render_template, request, session, url_for

from .. import clock, personal_data
from ..extensions import db, limiter
from . import services
from .forms import ConfirmForm, EraseForm, MyDataForm
from .views import bp

SESSION_KEY = "my_data"
ERASED_KEY = "my_data_erased"  # the counts of an erasure, for the page after it (no personal data)
LIMIT = "5 per minute;20 per hour"
PRIVATE = "private, no-store"
PRIVATE_ENDPOINTS = {"privacy.my_data_link", "privacy.my_data_overview", "privacy.my_data_json",
                     "privacy.my_data_csv", "privacy.my_data_erase", "privacy.my_data_erased"}


@bp.after_request
def personal_pages_are_not_cached(response):
    if request.endpoint in PRIVATE_ENDPOINTS:
        response.headers["Cache-Control"] = PRIVATE
    return response


@bp.route("/mijn-gegevens", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def my_data():
    form = MyDataForm()
    if form.validate_on_submit():
        services.request_link(form.email.data)
        db.session.commit()
        return redirect(url_for(".my_data_sent"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/my_data.html", form=form), status


@bp.get("/mijn-gegevens/verstuurd")
def my_data_sent():
    return render_template("privacy/my_data_sent.html",
                           minutes=current_app.config["MY_DATA_LINK_MINUTES"])


@bp.route("/mijn-gegevens/link/<token>", methods=["GET", "POST"])
def my_data_link(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        email = services.use_link(token)
        db.session.commit()
        if email is not None:
            until = clock.utcnow() + timedelta(minutes=int(current_app.config["MY_DATA_SESSION_MINUTES"]))
            session[SESSION_KEY] = {"email": email, "until": until.isoformat()}
            return redirect(url_for(".my_data_overview"), 303)
    elif request.method == "GET" and services.find_request(token) is not None:
        return render_template("privacy/my_data_link.html", form=form)
    return render_template("privacy/my_data_expired.html"), 410


def _email() -> str | None:
    """The address whose link was followed in this session, while the overview is open."""
    held = session.get(SESSION_KEY) or {}
    try:
        if clock.utcnow() < datetime.fromisoformat(held["until"]):
            return held["email"]
    except (KeyError, TypeError, ValueError):
        pass
    session.pop(SESSION_KEY, None)
    return None


@bp.get("/mijn-gegevens/overzicht")
def my_data_overview():
    email = _email()
    if email is None:
        return redirect(url_for(".my_data"), 303)
    return render_template("privacy/my_data_overview.html", email=email,
                           sections=personal_data.export(email), form=ConfirmForm())


@bp.get("/mijn-gegevens/gegevens.json")
def my_data_json():
    email = _email()
    if email is None:
        return redirect(url_for(".my_data"), 303)
    return Response(personal_data.as_json(email, personal_data.export(email)), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-sbo.json"'})


@bp.get("/mijn-gegevens/gegevens.csv")
def my_data_csv():
    email = _email()
    if email is None:
        return redirect(url_for(".my_data"), 303)
    return Response(personal_data.as_csv(personal_data.export(email)), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-sbo.csv"'})


@bp.post("/mijn-gegevens/sluiten")
def my_data_close():
    if ConfirmForm().validate_on_submit():
        session.pop(SESSION_KEY, None)
    return redirect(url_for(".my_data"), 303)


@bp.route("/mijn-gegevens/verwijderen", methods=["GET", "POST"])
def my_data_erase():
    """The erase step: what will happen (cancellations and their cost, what is kept and why)
    and the choice about comment texts; pressing the button erases, once."""
    email = _email()
    if email is None:
        return redirect(url_for(".my_data"), 303)
    form = EraseForm()
    if form.validate_on_submit():
        counts = personal_data.erase(email, keep_comment_text=form.keep_comment_text, via="link")
        db.session.commit()
        session.pop(SESSION_KEY, None)
        session[ERASED_KEY] = {kind: count for kind, count in counts.items() if count}
        return redirect(url_for(".my_data_erased"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/my_data_erase.html", email=email, plan=personal_data.plan(email),
                           has_comments=bool(personal_data.export(email).get("Reacties")),
                           form=form), status


@bp.get("/mijn-gegevens/verwijderd")
def my_data_erased():
    counts = session.get(ERASED_KEY)
    if counts is None:
        return redirect(url_for(".my_data"), 303)
    labels = personal_data.erased_labels()
    return render_template("privacy/my_data_erased.html",
                           done=[(label, counts[kind]) for kind, label in labels.items()
                                 if counts.get(kind) and kind != "booking_kept"],
                           kept=counts.get("booking_kept", 0))
