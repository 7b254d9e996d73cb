"""Enrolments per edition and interest registrations per offering (editor and up): lists,
cancelling an enrolment (which promotes the waiting list), moving one to another date, and
CSV exports for Excel."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit import log_action
from ..catalogue.models import Edition
from ..catalogue.queries import edition_or_404, offering_or_404
from ..enrolment import queries, rebooking
from ..enrolment.models import EnrolmentStatus, InterestStatus
from ..enrolment.services import EnrolmentError, EnrolmentNotActive, cancel_enrolment
from ..extensions import db
from ..filters import dutch_date
from .access import bp, staff_required
from .export import csv_response
from .forms import RebookForm
from .models import Role

PER_PAGE = 50


@bp.get("/edities/<int:edition_id>/inschrijvingen")
@staff_required(Role.EDITOR)
def enrolments(edition_id: int):
    edition = edition_or_404(edition_id)
    page = queries.participants(edition, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template("staff/enrolments.html", edition=edition, page=page,
                           bookings=queries.bookings_of(page.items), counts=queries.status_counts(edition),
                           positions=queries.waiting_positions(page.items),
                           page_url=lambda n: url_for("staff.enrolments", edition_id=edition.id, page=n))


@bp.route("/inschrijvingen/<int:enrolment_id>/annuleren", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def enrolment_cancel(enrolment_id: int):
    """GET asks for confirmation; POST cancels, gives the seat to the first person waiting."""
    enrolment = queries.enrolment_or_404(enrolment_id)
    back = url_for("staff.enrolments", edition_id=enrolment.edition_id)
    if request.method == "GET":
        if enrolment.status == EnrolmentStatus.CANCELLED:
            flash(f"De inschrijving van {enrolment.name} was al geannuleerd.", "info")
            return redirect(back)
        return render_template("staff/enrolment_cancel.html", enrolment=enrolment,
                               booking=enrolment.booking, edition=enrolment.edition)
    try:
        promoted = cancel_enrolment(enrolment, by_staff=True, actor=current_user)
    except EnrolmentNotActive:
        db.session.rollback()
        flash(f"De inschrijving van {enrolment.name} was al geannuleerd.", "info")
        return redirect(back)
    db.session.commit()
    message = f"De inschrijving van {enrolment.name} is geannuleerd; we hebben een bevestiging gemaild."
    if promoted:
        message += " De vrijgekomen plaats is aangeboden aan " + ", ".join(p.name for p in promoted) + " (gemaild)."
    flash(message, "success")
    return redirect(back)


@bp.route("/inschrijvingen/<int:enrolment_id>/omboeken", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def enrolment_rebook(enrolment_id: int):
    """Move a participant to another open date of the same offering (also after the cut-off
    for participants); the old seat goes to the waiting list. In the audit log."""
    enrolment = queries.enrolment_or_404(enrolment_id)
    back = url_for("staff.enrolments", edition_id=enrolment.edition_id)
    form = RebookForm()
    targets = rebooking.targets(enrolment)
    form.edition_id.choices = [(e.id, f"{dutch_date(e.start_date)}, {e.place or 'plaats volgt'} "
                                      f"({'vol' if e.seats_left <= 0 else f'nog {e.seats_left} vrij'})")
                               for e in targets]
    status = 200
    if form.validate_on_submit():
        name = enrolment.name
        try:
            moved = rebooking.rebook(enrolment, db.get_or_404(Edition, form.edition_id.data),
                                     join_waiting_list=form.join_waiting_list.data, by_staff=True,
                                     actor=current_user)
        except EnrolmentError as error:
            db.session.rollback()
            form.edition_id.errors.append(error.message)
            status = 409
        else:
            db.session.commit()
            where = "de wachtlijst van " if moved.status == EnrolmentStatus.WAITING else ""
            flash(f"{name} is omgeboekt naar {where}{dutch_date(moved.edition.start_date)} en is gemaild.",
                  "success")
            return redirect(back)
    elif form.is_submitted():
        status = 422
    return render_template("staff/enrolment_rebook.html", enrolment=enrolment, form=form,
                           targets=targets, edition=enrolment.edition, back=back), status


# One row per participant: first the participant's own data, then the booking they are part of
# ("Boeking: …"). Phone and job title were given by the booker for themselves only, so a
# colleague's row leaves them empty rather than repeating the booker's.
ENROLMENT_HEADER = ("Status", "Wachtlijstpositie", "Voornaam", "Achternaam", "E-mailadres",
                    "Telefoon", "Functie", "Ingeschreven op", "Geannuleerd op",
                    "Boeking: nummer", "Boeking: geboekt door", "Boeking: e-mailadres boeker",
                    "Boeking: organisatie", "Boeking: factuuradres", "Boeking: postcode",
                    "Boeking: plaats", "Boeking: ordernummer", "Boeking: kostenplaats",
                    "Boeking: opmerkingen")


def _enrolment_rows(edition: Edition):
    for enrolment, booking, position in queries.participant_export(edition):
        own = enrolment.is_booker
        yield (EnrolmentStatus(enrolment.status).label, position or "",
               enrolment.first_name, enrolment.last_name, enrolment.email,
               booking.phone if own else "", booking.job_title if own else "",
               enrolment.created_at, enrolment.cancelled_at,
               booking.id, booking.name, booking.email, booking.organisation,
               booking.invoice_address, booking.invoice_postcode, booking.invoice_city,
               booking.po_number, booking.cost_centre, booking.remarks)


@bp.get("/edities/<int:edition_id>/inschrijvingen.csv")
@staff_required(Role.EDITOR)
def enrolments_csv(edition_id: int):
    edition = edition_or_404(edition_id)
    rows = list(_enrolment_rows(edition))
    log_action("enrolments.exported", "edition", edition.id, actor=current_user,
               data={"offering_id": edition.offering_id, "rows": len(rows)})
    db.session.commit()
    filename = f"inschrijvingen-{edition.offering.slug[:60]}-{edition.start_date:%Y-%m-%d}.csv"
    return csv_response(filename, ENROLMENT_HEADER, rows)


@bp.get("/aanbod/<int:offering_id>/belangstelling")
@staff_required(Role.EDITOR)
def interest(offering_id: int):
    offering = offering_or_404(offering_id)
    page = queries.interest_registrations(offering.id, page=request.args.get("page", 1, type=int),
                                          per_page=PER_PAGE)
    return render_template("staff/interest.html", offering=offering, page=page,
                           counts=queries.interest_counts(offering),
                           statuses=list(InterestStatus), month=_month,
                           page_url=lambda n: url_for("staff.interest", offering_id=offering.id, page=n))


INTEREST_HEADER = ("Naam", "E-mailadres", "Status", "Voorkeursplaats", "Voorkeursmaand",
                   "Aangemeld op", "Bevestigd op", "Afgemeld op")


def _month(value: str) -> str:
    """'2027-03' → '03-2027' (the Dutch order)."""
    year, _, month = value.partition("-")
    return f"{month}-{year}" if month else value


@bp.get("/aanbod/<int:offering_id>/belangstelling.csv")
@staff_required(Role.EDITOR)
def interest_csv(offering_id: int):
    offering = offering_or_404(offering_id)
    rows = [(r.name, r.email, InterestStatus(r.status).label, r.preferred_city,
             _month(r.preferred_month), r.created_at, r.confirmed_at, r.unsubscribed_at)
            for r in queries.interest_export(offering)]
    log_action("interest.exported", "offering", offering.id, actor=current_user, data={"rows": len(rows)})
    db.session.commit()
    return csv_response(f"belangstelling-{offering.slug[:60]}.csv", INTEREST_HEADER, rows)
