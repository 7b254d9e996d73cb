"""/beheer/privacy (admin only): a request to see or erase one's data that came by letter or
phone. Staff enter the address and get the same overview, export and erasure as /mijn-gegevens
(sbo.personal_data). The address travels in POST bodies only, and each step is written to the
audit log with counts, never the address."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import personal_data
from ..audit import log_action
from ..extensions import db
from .access import bp, staff_required
from .models import Role
from .privacy_forms import AddressForm, LookupForm, StaffEraseForm


def _overview(email: str, erase_form: StaffEraseForm | None = None):
    sections = personal_data.export(email)
    log_action("personal_data.viewed", "personal_data", None, actor=current_user,
               data={"via": "staff", "rows": sum(len(rows) for rows in sections.values())})
    db.session.commit()
    return render_template("staff/privacy.html", form=LookupForm(formdata=None, email=email), email=email,
                           sections=sections, plan=personal_data.plan(email),
                           address_form=AddressForm(formdata=None, email=email),
                           erase_form=erase_form or StaffEraseForm(formdata=None, email=email),
                           has_comments=bool(sections.get("Reacties")))


@bp.route("/privacy", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def privacy():
    form = LookupForm()
    if form.validate_on_submit():
        return _overview(form.email.data)
    status = 422 if form.is_submitted() else 200
    return render_template("staff/privacy.html", form=form, email=None), status


def _export(kind: str):
    form = AddressForm()
    if not form.validate_on_submit():
        return redirect(url_for("staff.privacy"), 303)
    email = form.email.data
    sections = personal_data.export(email)
    log_action("personal_data.exported", "personal_data", None, actor=current_user,
               data={"via": "staff", "format": kind, "rows": sum(len(rows) for rows in sections.values())})
    db.session.commit()
    if kind == "json":
        return Response(personal_data.as_json(email, sections), mimetype="application/json",
                        headers={"Content-Disposition": 'attachment; filename="persoonsgegevens.json"'})
    return Response(personal_data.as_csv(sections), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="persoonsgegevens.csv"'})


@bp.post("/privacy/gegevens.json")
@staff_required(Role.ADMIN)
def privacy_json():
    return _export("json")


@bp.post("/privacy/gegevens.csv")
@staff_required(Role.ADMIN)
def privacy_csv():
    return _export("csv")


@bp.post("/privacy/verwijderen")
@staff_required(Role.ADMIN)
def privacy_erase():
    form = StaffEraseForm()
    if not form.validate_on_submit():
        if form.email.data and not form.email.errors:
            return _overview(form.email.data, erase_form=form)
        return redirect(url_for("staff.privacy"), 303)
    counts = personal_data.erase(form.email.data, keep_comment_text=form.comment_text.data != "replace",
                                 via="staff", actor=current_user)
    db.session.commit()
    labels = personal_data.erased_labels()
    done = [f"{label}: {counts[kind]}" for kind, label in labels.items() if counts.get(kind)]
    flash("De gegevens zijn verwijderd. " + ("; ".join(done) if done else "Er was niets te verwijderen.")
          + " Dit staat in het logboek, zonder e-mailadres.", "success")
    return redirect(url_for("staff.privacy"), 303)
