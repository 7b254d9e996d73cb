"""Managing venues (editor and up): the list, a new venue, changing one, deleting an unused one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit import history
from ..catalogue.venues import (VenueData, VenueInUse, create_venue, delete_venue, update_venue,
                                venue_or_404, venues_with_edition_counts)
from ..extensions import db
from .access import bp, staff_required
from .models import Role
from .venue_forms import VenueForm


def _venue_data(form: VenueForm) -> VenueData:
    return VenueData(name=form.name.data, city=form.city.data, street_address=form.street_address.data or "",
                     postal_code=form.postal_code.data or "", route=form.route.data or "",
                     parking=form.parking.data or "", step_free=form.step_free.data,
                     hearing_loop=form.hearing_loop.data)


@bp.get("/locaties")
@staff_required(Role.EDITOR)
def venues():
    return render_template("staff/venues.html", rows=venues_with_edition_counts())


@bp.route("/locaties/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def venue_new():
    form = VenueForm()
    if form.validate_on_submit():
        venue = create_venue(_venue_data(form), actor=current_user)
        db.session.commit()
        flash(f"De locatie ‘{venue.name}’ is aangemaakt.", "success")
        return redirect(url_for("staff.venues"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/venue_form.html", form=form, venue=None), status


@bp.route("/locaties/<int:venue_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def venue_edit(venue_id: int):
    venue = venue_or_404(venue_id)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        update_venue(venue, _venue_data(form), actor=current_user)
        db.session.commit()
        flash("De locatie is bijgewerkt.", "success")
        return redirect(url_for("staff.venues"))
    status = 422 if request.method == "POST" else 200
    return _edit_page(form, venue, status)


def _edit_page(form: VenueForm, venue, status: int, in_use=()):
    return render_template("staff/venue_form.html", form=form, venue=venue, in_use=in_use,
                           entries=history(("venue", [venue.id]))), status


@bp.post("/locaties/<int:venue_id>/verwijderen")
@staff_required(Role.EDITOR)
def venue_delete(venue_id: int):
    venue = venue_or_404(venue_id)
    name = venue.name
    try:
        delete_venue(venue, actor=current_user)
    except VenueInUse as error:
        db.session.rollback()
        return _edit_page(VenueForm(obj=venue), venue, 409, in_use=error.editions)
    db.session.commit()
    flash(f"De locatie ‘{name}’ is verwijderd.", "success")
    return redirect(url_for("staff.venues"))
