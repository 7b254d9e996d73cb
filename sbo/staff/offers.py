"""Waiting-list offers per edition (editor and up): every offer with its state, expiry and
history, the waiting bookings in order, and "make an offer by hand" to one of them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..catalogue.queries import edition_or_404
from ..enrolment import offers, queries
from ..enrolment.models import Booking
from ..extensions import db
from ..forms import SiteForm
from .access import bp, staff_required
from .models import Role


@bp.get("/edities/<int:edition_id>/aanbiedingen")
@staff_required(Role.EDITOR)
def edition_offers(edition_id: int, status: int = 200):
    edition = edition_or_404(edition_id)
    made = offers.history(edition)
    waiting = offers.candidates(edition)
    bookings = queries.bookings_by_id([booking_id for booking_id, _ in waiting] + [o.booking_id for o in made])
    return render_template("staff/offers.html", edition=edition, offers=made, waiting=waiting,
                           bookings=bookings, people=queries.waiting_people(bookings.keys()),
                           expires=offers.expiry(edition), form=SiteForm()), status


@bp.post("/edities/<int:edition_id>/aanbiedingen/<int:booking_id>")
@staff_required(Role.EDITOR)
def offer_by_hand(edition_id: int, booking_id: int):
    edition = edition_or_404(edition_id)
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        abort(404)
    if not SiteForm().validate_on_submit():
        abort(400)
    try:
        offer = offers.offer_by_hand(edition, booking, actor=current_user)
    except offers.NoSeatFree as error:
        db.session.rollback()
        flash(error.message, "error")
        return edition_offers(edition_id, status=409)
    db.session.commit()
    flash(f"{offer.seats} plaats(en) aangeboden aan de boeking van {booking.name}; we hebben een e-mail gestuurd.",
          "success")
    return redirect(url_for("staff.edition_offers", edition_id=edition.id), 303)
