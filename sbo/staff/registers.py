"""Registers (NOvA, BOA-register, …) and the accreditations of an offering (editor and up)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..audit import history
from ..catalogue import queries as catalogue
from ..catalogue.accreditation import (RegisterData, RegisterNameTaken, accreditations_of, create_register,
                                       register_or_404, registers_by_name, registers_with_offering_counts,
                                       remove_accreditation, set_accreditation, update_register)
from ..extensions import db
from .access import bp, staff_required
from .models import Role
from .register_forms import AccreditationForm, RegisterForm

NAME_TAKEN = "Er is al een register met deze naam."


def _register_data(form: RegisterForm) -> RegisterData:
    return RegisterData(name=form.name.data, short_name=form.short_name.data,
                        number_pattern=form.number_pattern.data or "", number_hint=form.number_hint.data or "",
                        provider_details=form.provider_details.data or "")


@bp.get("/registers")
@staff_required(Role.EDITOR)
def registers():
    return render_template("staff/registers.html", rows=registers_with_offering_counts())


def _save_register(form: RegisterForm, save) -> bool:
    """Run the service and commit; a name in use becomes the message at the name field."""
    try:
        save()
    except RegisterNameTaken:
        db.session.rollback()
        form.name.errors.append(NAME_TAKEN)
        return False
    db.session.commit()
    return True


@bp.route("/registers/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def register_new():
    form = RegisterForm()
    if form.validate_on_submit() and _save_register(
            form, lambda: create_register(_register_data(form), actor=current_user)):
        flash(f"Het register ‘{form.name.data}’ is aangemaakt.", "success")
        return redirect(url_for("staff.registers"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/register_form.html", form=form, register=None), status


@bp.route("/registers/<int:register_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def register_edit(register_id: int):
    register = register_or_404(register_id)
    form = RegisterForm(obj=register)
    if form.validate_on_submit() and _save_register(
            form, lambda: update_register(register, _register_data(form), actor=current_user)):
        flash("Het register is bijgewerkt.", "success")
        return redirect(url_for("staff.registers"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/register_form.html", form=form, register=register,
                           entries=history(("register", [register.id]))), status


@bp.route("/aanbod/<int:offering_id>/accreditaties", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def accreditations(offering_id: int):
    offering = catalogue.offering_or_404(offering_id)
    form = AccreditationForm()
    form.register_id.choices = [SelectChoice(r.id, r.name) for r in registers_by_name()]
    if form.validate_on_submit():
        register = register_or_404(form.register_id.data)
        set_accreditation(offering, register, form.points.value, form.net_hours.value, actor=current_user)
        db.session.commit()
        flash(f"De accreditatie door {register.short_name} is opgeslagen.", "success")
        return redirect(url_for("staff.accreditations", offering_id=offering.id))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/accreditations.html", offering=offering, form=form,
                           rows=accreditations_of(offering.id)), status


@bp.post("/aanbod/<int:offering_id>/accreditaties/<int:register_id>/verwijderen")
@staff_required(Role.EDITOR)
def accreditation_remove(offering_id: int, register_id: int):
    offering = catalogue.offering_or_404(offering_id)
    accreditation = next((a for a in accreditations_of(offering.id) if a.register_id == register_id), None)
    if accreditation is not None:
        name = accreditation.register.short_name
        remove_accreditation(accreditation, actor=current_user)
        db.session.commit()
        flash(f"De accreditatie door {name} is verwijderd.", "success")
    return redirect(url_for("staff.accreditations", offering_id=offering.id))
