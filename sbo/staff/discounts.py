"""An offering's discounts (editor and up): group and early-bird discounts for all its editions
or for one, listed, added and deleted on one page."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import clock
from ..audit import history
from ..catalogue import queries as catalogue
from ..catalogue.pricing import (DiscountData, DiscountKind, create_discount, delete_discount, euros,
                                offering_discounts)
from ..catalogue.models import Discount
from ..extensions import db
from .access import bp, staff_required
from .contact_forms import DiscountForm
from .models import Role


def _page(offering, form: DiscountForm, status: int = 200):
    rows = offering_discounts(offering)
    return render_template("staff/discounts.html", offering=offering, form=form, rows=rows,
                           editions={e.id: e for e in offering.editions}, today=clock.today(),
                           entries=history(("discount", [row.id for row in rows]))), status


def _form(offering) -> DiscountForm:
    form = DiscountForm()
    form.edition_id.choices = [SelectChoice("", "Alle edities")] + [
        SelectChoice(e.id, f"Editie van {e.start_date:%d-%m-%Y}, {e.place}") for e in offering.editions
        if e.start_date >= clock.today()]
    return form


@bp.route("/aanbod/<int:offering_id>/kortingen", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def discounts(offering_id: int):
    offering = catalogue.offering_with_editions(offering_id)
    form = _form(offering)
    if form.validate_on_submit():
        kind = DiscountKind(form.kind.data)
        create_discount(offering, DiscountData(
            kind=kind, percent=form.percentage, edition_id=form.edition_id.data,
            amount=euros(form.amount.cents) if form.amount.cents is not None else None,
            min_participants=form.min_participants.data, valid_until=form.until_day), actor=current_user)
        db.session.commit()
        flash(f"De {kind.label.lower()} is toegevoegd.", "success")
        return redirect(url_for("staff.discounts", offering_id=offering.id))
    return _page(offering, form, 422 if request.method == "POST" else 200)


@bp.post("/aanbod/<int:offering_id>/kortingen/<int:discount_id>/verwijderen")
@staff_required(Role.EDITOR)
def discount_delete(offering_id: int, discount_id: int):
    discount = db.session.get(Discount, discount_id)
    if discount is None or discount.offering_id != offering_id:
        abort(404)
    kind = DiscountKind(discount.kind)
    delete_discount(discount, actor=current_user)
    db.session.commit()
    flash(f"De {kind.label.lower()} is verwijderd.", "success")
    return redirect(url_for("staff.discounts", offering_id=offering_id))
