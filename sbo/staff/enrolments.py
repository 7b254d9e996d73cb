"""Enrolments per edition and interest registrations per offering (editor and up): lists,
cancelling an enrolment (which promotes the waiting list), moving one to another date, and
CSV exports for Excel."""
from __future__ import annotations

from functools import cache

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import CompoundSelect, bindparam, case, cast, func, literal, null, select, true, union_all

from ..audit import log_action
from ..catalogue.models import Edition, Offering, Venue
from ..catalogue.queries import edition_or_404, offering_or_404
from ..enrolment import queries, rebooking
from ..enrolment.models import Booking, Enrolment, EnrolmentStatus, InterestStatus
from ..enrolment.queries import STATUS_ORDER
from ..enrolment.services import EnrolmentError, EnrolmentNotActive, cancel_enrolment
from .. import reads
from ..extensions import db
from ..filters import dutch_date
from ..labels import label
from .access import bp, staff_required
from .export import csv_response
from .forms import RebookForm
from ..urls import Pattern
from ..security import int_arg
from ..paging import RowsPage
from .lists import LAST_PAGE, DateTimes, Days, PageUrls, esc
from .models import Role

PER_PAGE = 50


# The order of an edition's participants (as sbo.enrolment.queries.participant_export()): confirmed,
# held, offered, then waiting (in order), then cancelled; by id within each.
_ORDER = case(STATUS_ORDER, value=Enrolment.status)
_STATUS_CLASS = {"confirmed": "open", "held": "vol", "offered": "vol", "waiting": "vol"}


@cache
def _participants_statement() -> CompoundSelect:
    """The edition's heading row (with its offering's title, its venue's name and city and its
    number of enrolments per status), then a page of its enrolments with what the list shows
    of their booking: one statement (binds edition_id, limit, offset). Each row has the columns
    of both, the other's empty: the heading is not repeated on 50 rows (on SQLite ~140 µs of
    ~470). No row when the edition does not exist. A waiting enrolment's place on the waiting
    list follows from the counts (_waiting_places)."""
    of_edition = Enrolment.edition_id == bindparam("edition_id")
    counts = (select(*[func.count().filter(Enrolment.status == status.value).label(f"n_{status.value}")
                       for status in EnrolmentStatus]).where(of_edition).subquery())
    heading = [Edition.id.label("edition_id"), Edition.offering_id, Edition.start_date,
               Edition.status.label("edition_status"), Edition.capacity, Edition.seats_taken, Edition.online,
               Edition.online_platform, Edition.venue_id, Edition.venue, Edition.city,
               Venue.name.label("venue_name"), Venue.city.label("venue_city"), Offering.title, *counts.c]
    row = [Enrolment.id, Enrolment.first_name, Enrolment.last_name, Enrolment.email, Enrolment.status,
           Enrolment.created_at, Enrolment.cancelled_at, Booking.organisation, Booking.po_number,
           Booking.confirmed_at, Booking.hold_expires_at, Booking.wait_any_date]  # _participant_rows unpacks these, then rank

    def empty(columns: list) -> list:  # typed, so that the first select's types read both
        return [cast(null(), column.type).label(column.key) for column in columns]

    # the page is cut in the index (edition_id, status, id) before any enrolment or booking is read
    page = (select(Enrolment.id.label("enrolment_id"), _ORDER.label("rank")).where(of_edition)
            .order_by("rank", Enrolment.id).limit(bindparam("limit")).offset(bindparam("offset")).subquery())
    first = (select(*heading, *empty(row), literal(-1).label("rank"))
             .select_from(Edition).join(Offering, Offering.id == Edition.offering_id)
             .outerjoin(Venue, Venue.id == Edition.venue_id).join(counts, true())
             .where(Edition.id == bindparam("edition_id")))
    rows = (select(*empty(heading), *row, page.c.rank)
            .select_from(page).join(Enrolment, Enrolment.id == page.c.enrolment_id)
            .join(Booking, Booking.id == Enrolment.booking_id))
    both = union_all(first, rows)
    return both.order_by(both.selected_columns.rank, both.selected_columns.id)


def _page(edition_id: int, offset: int, limit: int = PER_PAGE) -> tuple:
    """(the heading row, the page's rows), or (None, []) when the edition does not exist."""
    rows = reads.rows(_participants_statement(), {"edition_id": edition_id, "limit": limit, "offset": offset})
    return (rows[0], rows[1:]) if rows else (None, [])


def _place(row) -> str:
    """Edition.place of the statement's row: 'Jaarbeurs Meeting Center, Utrecht' (its venue's,
    else its own free-text place), or 'Online (Teams)' (tests/staff/test_list_rows.py)."""
    if row.online:
        return f"Online ({row.online_platform})" if row.online_platform else "Online"
    name, city = (row.venue_name, row.venue_city) if row.venue_id is not None else (row.venue, row.city)
    return ", ".join(part for part in (name, city) if part)


# the statuses listed before the waiting list (STATUS_ORDER)
_AHEAD_OF_WAITING = [f"n_{status.value}" for status, rank in STATUS_ORDER.items()
                     if rank < STATUS_ORDER[EnrolmentStatus.WAITING]]


def _waiting_places(heading, rows, offset: int) -> list[int | None]:
    """Each row's place on the waiting list (None when it is not waiting). The list is in the
    order (rank, id) and every waiting enrolment comes after all the confirmed, held and offered
    ones, counted in the same statement (the heading): the row at `offset` + n of the whole list
    is number `offset` + n + 1 - those (no numbering of all the enrolments)."""
    first = offset + 1 - sum(getattr(heading, name) for name in _AHEAD_OF_WAITING)
    return [first + n if row.status == "waiting" else None for n, row in enumerate(rows)]


# each status's label, escaped once (label() makes its enum member on every call)
_STATUS_TEXT = {status.value: esc(label(status)) for status in EnrolmentStatus}


def _status_html(status: str, hold_expires_at, wait_any_date: bool, place: int | None, when: DateTimes) -> str:
    """What the enrolment_status() macro (templates/enrolment/_status.html) draws."""
    text = _STATUS_TEXT[status]
    if status == "held":
        return f"{text} (vastgehouden tot {esc(when(hold_expires_at))})"
    if status == "offered":
        return f"{text} (wacht op antwoord)" + (", wacht op elke datum" if wait_any_date else "")
    if place:
        return f"{text}, plaats {place}"
    return text


def _participant_rows(heading, rows, offset: int) -> Markup:
    """The rows of the participant table (the page from `offset` on): what the template loop drew
    apart from whitespace (a line a cell without indentation; tests/staff/test_list_rows.py),
    each day written once, the rows unpacked (a Row's attribute costs ~0.3 µs; 12 a row)."""
    cancel_url = Pattern("staff.enrolment_cancel", "enrolment_id")
    rebook_url = Pattern("staff.enrolment_rebook", "enrolment_id")
    days, moments = Days(), DateTimes()

    def day(moment) -> str:
        return esc(days(moment))

    out = []
    for (*_, i, first_name, last_name, email, status, created_at, cancelled_at, organisation, po_number,
         confirmed_at, hold_expires_at, wait_any_date, _rank), place in zip(rows, _waiting_places(heading, rows, offset)):
        name = esc(f"{first_name} {last_name}")
        organisation = esc(organisation or "–")
        if po_number:
            organisation += f'<br><span class="muted">Inkoopnr. {esc(po_number)}</span>'
        when = day(created_at)
        if cancelled_at:
            when += f'<br><span class="muted">geannuleerd {day(cancelled_at)}</span>'
        actions = ""
        if status != "cancelled":
            actions = (f'<a class="button button-small button-secondary" href="{esc(cancel_url(i))}">'
                       f'Annuleren<span class="visually-hidden"> {name}</span></a>')
            if confirmed_at is not None:
                actions += (f'<a class="button button-small button-secondary" href="{esc(rebook_url(i))}">'
                            f'Omboeken<span class="visually-hidden"> {name}</span></a>')
        out.append(
            f'<tr>\n<td data-label="Status"><span class="status status-{_STATUS_CLASS.get(status, "geannuleerd")}">'
            f'{_status_html(status, hold_expires_at, wait_any_date, place, moments)}</span></td>\n'
            f'<td data-label="Deelnemer">{name}<br><span class="muted">{esc(email)}</span></td>\n'
            f'<td data-label="Organisatie">{organisation}</td>\n'
            f'<td data-label="Ingeschreven">{when}</td>\n'
            f'<td><div class="staff-row-actions">{actions}</div></td>\n</tr>\n')
    return Markup("".join(out))


@bp.get("/edities/<int:edition_id>/inschrijvingen")
@staff_required(Role.EDITOR)
def enrolments(edition_id: int):
    """One statement: the edition's heading, its counts per status and the page of participants
    with their bookings."""
    page_no = int_arg("page", maximum=LAST_PAGE)
    offset = (page_no - 1) * PER_PAGE
    heading, rows = _page(edition_id, offset)
    if heading is None:
        abort(404)
    counts = {status.value: getattr(heading, f"n_{status.value}") for status in EnrolmentStatus}
    page = RowsPage(rows, sum(counts.values()), page_no, PER_PAGE)
    return render_template("staff/enrolments.html", edition=heading, place=_place(heading), page=page,
                           counts=counts, rows_html=_participant_rows(heading, rows, offset),
                           page_url=PageUrls("staff.enrolments", edition_id=edition_id))


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
