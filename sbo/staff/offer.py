"""Managing the offer (editor and up): offerings, their editions, themes."""
from __future__ import annotations

from datetime import time
from functools import cache

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, select
from wtforms.fields.choices import SelectChoice
from sqlalchemy.exc import IntegrityError

from ..audit import history
from ..catalogue import queries as catalogue
from ..catalogue.models import CatalogueTotal, Edition, EditionStatus, Offering, OfferingType, Theme
from ..catalogue.contacts import contacts_by_name
from ..catalogue.venues import venues_by_name
from ..catalogue.services import (CapacityBelowSeatsTaken, EditionCancelled, EditionData,
                                  OfferingData, cancel_edition, create_edition,
                                  create_offering, create_theme, set_published,
                                  update_edition, update_offering, update_theme)
from .. import reads
from ..extensions import db
from ..filters import counted, noun
from ..labels import label
from ..security import int_arg
from ..paging import RowsPage, Seek, SeekLinks, page_order, page_window, past_cursor, seek_from_args
from ..text import contains_text
from .access import bp, staff_required
from ..urls import Pattern
from .lists import LAST_PAGE, PageUrls, esc
from .forms import EditionForm, OfferingForm, ThemeForm, cents_to_text
from .models import Role
from .saving import commit_unless_slug_taken

PER_PAGE = 25



def _theme_choices(form: OfferingForm) -> None:
    form.themes.choices = [SelectChoice(t.id, t.name) for t in catalogue.themes_by_name()]
    form.contact_person_id.choices = [SelectChoice("", "Geen contactpersoon")] + [
        SelectChoice(c.id, f"{c.name}, {c.role}" if c.role else c.name) for c in contacts_by_name()]


def _offering_data(form: OfferingForm) -> OfferingData:
    return OfferingData(
        title=form.title.data, slug=form.slug.data or "", type=OfferingType(form.type.data),
        teaser=form.teaser.data, description=form.description.data or "",
        learning_outcomes=form.learning_outcomes.data or "", audience=form.audience.data or "",
        duration=form.duration.data or "", accreditation=form.accreditation.data or "",
        price_cents=form.price.cents or 0, published=form.published.data,
        theme_ids=tuple(form.themes.data or ()), vat_status=form.vat_status.data,
        included=tuple(form.included.data or ()), included_note=form.included_note.data or "",
        contact_person_id=form.contact_person_id.data)


def _kept_total():
    """All offerings, from the catalogue's kept totals (sbo/catalogue/facets.py)."""
    published, unpublished = (
        func.coalesce(select(CatalogueTotal.n).where(CatalogueTotal.key == key).scalar_subquery(), 0)
        for key in ("published", "unpublished"))
    return published + unpublished


_BY_TITLE = ("title", "id")  # the index (title, id)


def _offerings_statement(search: str | None, in_order: bool = True, cursor: bool = False) -> Select:
    """A page of offerings by title (chosen over the ids in the index (title, id)) with the
    number of their editions that are not cancelled and the number of offerings found: without
    a search, all of them, from the catalogue's kept totals (sbo/catalogue/facets.py) rather
    than counted on every request (on PostgreSQL 0.24 ms of the page's 0.57 at 2,000). Binds
    limit and offset, and cursor with `cursor`: the page is cut past that offering; not
    `in_order`, from the index read backwards (a page counted from the end of the list, or one
    before the cursor; sbo.paging). The rows come by title."""
    offerings = Offering.__table__
    found = [contains_text(search, Offering.title, Offering.slug)] if search else []
    ids = select(Offering.id).where(*found)
    if cursor:
        ids = ids.where(past_cursor(offerings, _BY_TITLE, False, in_order))
    ids = (ids.order_by(*page_order(offerings, _BY_TITLE, False, in_order))
           .limit(bindparam("limit")).offset(bindparam("offset")))
    editions = (select(func.count()).select_from(Edition)
                .where(Edition.offering_id == Offering.id, Edition.status != EditionStatus.GEANNULEERD)
                .correlate(Offering).scalar_subquery())
    if search:
        total = select(func.count()).select_from(Offering).where(*found).scalar_subquery()
    else:
        total = _kept_total()
    return (select(Offering.id, Offering.title, Offering.slug, Offering.type, Offering.published,  # as _offering_rows unpacks them
                   editions.label("editions"), total.label("total"))
            .where(Offering.id.in_(ids.scalar_subquery())).order_by(Offering.title, Offering.id))


@cache
def _all_offerings_statement(in_order: bool = True, cursor: bool = False) -> Select:
    return _offerings_statement(None, in_order, cursor)  # built once, bound per call


@cache
def _total_statement() -> Select:
    return select(_kept_total().label("total"))


def _offerings_page(q: str, page_no: int, seek: Seek | None) -> list:
    """The page's rows: with OFFSET, or from where its link said it starts (sbo.paging; a page
    of a search is not counted from the end)."""
    window = page_window(seek, page_no, PER_PAGE, None if q else lambda: reads.first(_total_statement()).total)
    with_cursor = window.cursor is not None
    statement = (_offerings_statement(q, window.in_order, with_cursor) if q
                 else _all_offerings_statement(window.in_order, with_cursor))
    rows = reads.rows(statement, window.params())
    if not rows and seek is not None:  # the offering it started from is gone: with OFFSET
        return _offerings_page(q, page_no, None)
    return rows


# each type's label, escaped once (label() makes its enum member on every call)
_TYPE_TEXT = {kind.value: esc(label(kind)) for kind in OfferingType}


def _offering_rows(rows, edit_url: Pattern) -> Markup:
    """The rows of the staff offerings table: what the template loop drew
    (tests/staff/test_list_rows.py), without its per-row url_for() and filter calls, the rows
    unpacked (a Row's attribute costs ~0.3 µs)."""
    out = []
    for i, title, slug, kind, published, editions, _total in rows:
        title, url = esc(title), esc(edit_url(i))
        status = ('<span class="status status-open">Gepubliceerd</span>' if published
                  else '<span class="status status-geannuleerd">Offline</span>')
        out.append(f'''
    <tr>
      <td data-label="Titel"><a href="{url}">{title}</a><br><span class="muted">/{esc(slug)}</span></td>
      <td data-label="Soort">{_TYPE_TEXT[kind]}</td>
      <td data-label="Status">{status}</td>
      <td data-label="Edities" class="num">{editions}</td>
      <td><a class="button button-small button-secondary" href="{url}">Bewerken<span class="visually-hidden"> {title}</span></a></td>
    </tr>
  ''')
    return Markup("".join(out))


@bp.get("/aanbod")
@staff_required(Role.EDITOR)
def offerings():
    """One statement: the page of offerings, their edition counts and the total (two for a page
    counted from the end of the list)."""
    q = request.args.get("q", "").strip()[:100]
    page_no = int_arg("page", maximum=LAST_PAGE)
    rows = _offerings_page(q, page_no, seek_from_args(request.args, page_no, PER_PAGE))
    page = RowsPage(rows, rows[0].total if rows else 0, page_no, PER_PAGE)
    return render_template("staff/offerings.html", page=page, q=q,
                           rows_html=_offering_rows(rows, Pattern("staff.offering_edit", "offering_id")),
                           page_url=PageUrls("staff.offerings", seek=SeekLinks.of_page(page, from_end=not q),
                                             q=q or None))


@bp.route("/aanbod/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def offering_new():
    form = OfferingForm()
    _theme_choices(form)
    if form.validate_on_submit():
        def save() -> Offering:
            return create_offering(_offering_data(form), actor=current_user)

        offering = commit_unless_slug_taken(form, save)
        if offering:
            flash(f"‘{offering.title}’ is aangemaakt. Voeg nu een editie toe.", "success")
            return redirect(url_for("staff.offering_edit", offering_id=offering.id))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/offering_form.html", form=form, offering=None), status


@bp.route("/aanbod/<int:offering_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def offering_edit(offering_id: int):
    offering = catalogue.offering_with_editions(offering_id)
    form = OfferingForm(obj=offering)
    _theme_choices(form)
    if request.method == "GET":
        form.themes.data = [t.id for t in offering.themes]
        form.price.data = cents_to_text(offering.price_cents)
        form.type.data = offering.type
        form.included.data = offering.included.split()
        form.contact_person_id.data = offering.contact.id if offering.contact else None
    if form.validate_on_submit():
        def save() -> bool:
            update_offering(offering, _offering_data(form), actor=current_user)
            return True

        if commit_unless_slug_taken(form, save):
            flash("De wijzigingen zijn opgeslagen.", "success")
            return redirect(url_for("staff.offering_edit", offering_id=offering.id))
    status = 422 if request.method == "POST" else 200
    edition_ids = [e.id for e in offering.editions]
    return render_template("staff/offering_form.html", form=form, offering=offering,
                           entries=history(("offering", [offering.id]), ("edition", edition_ids))), status


@bp.post("/aanbod/<int:offering_id>/publicatie")
@staff_required(Role.EDITOR)
def offering_publish(offering_id: int):
    offering = catalogue.offering_or_404(offering_id)
    publish = request.form.get("publiceren") == "1"
    set_published(offering, publish, actor=current_user)
    db.session.commit()
    flash(f"‘{offering.title}’ staat weer online." if publish else f"‘{offering.title}’ is offline gehaald.",
          "success")
    return redirect(url_for("staff.offering_edit", offering_id=offering.id))


def _edition_data(form: EditionForm) -> EditionData:
    return EditionData(days=form.days, start_time=form.start_time.data, end_time=form.end_time.data,
                       capacity=form.capacity.data, venue=form.venue.data or "", city=form.city.data or "",
                       street_address=form.street_address.data or "", postal_code=form.postal_code.data or "",
                       online=form.online.data, price_cents_override=form.price_override.cents,
                       enrolment_deadline=form.deadline_day,
                       venue_id=form.venue_id.data, online_platform=form.online_platform.data or "",
                       offer_new_seats=form.offer_new_seats.data)


def _venue_choices(form: EditionForm) -> None:
    form.venue_id.choices = [SelectChoice("", "Geen: vul de locatie hieronder in")] + [
        SelectChoice(v.id, f"{v.name}, {v.city}") for v in venues_by_name()]


@bp.route("/aanbod/<int:offering_id>/edities/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edition_new(offering_id: int):
    offering = catalogue.offering_or_404(offering_id)
    form = EditionForm()
    _venue_choices(form)
    if request.method == "GET":
        form.start_time.data, form.end_time.data = time(9, 30), time(16, 30)
    if form.validate_on_submit():
        edition, mailed = create_edition(offering, _edition_data(form),  # interest mails: edition_created
                                         actor=current_user)
        db.session.commit()
        flash(f"De editie van {edition.start_date:%d-%m-%Y} is toegevoegd."
              + (f" {counted(mailed, 'geïnteresseerde')} {noun(mailed, 'krijgt', 'krijgen')} een bericht."
                 if mailed else ""), "success")
        return redirect(url_for("staff.offering_edit", offering_id=offering.id) + "#edities")
    status = 422 if request.method == "POST" else 200
    return render_template("staff/edition_form.html", form=form, offering=offering, edition=None), status


@bp.route("/edities/<int:edition_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edition_edit(edition_id: int):
    edition = catalogue.edition_or_404(edition_id)
    form = EditionForm(obj=edition)
    _venue_choices(form)
    if request.method == "GET":
        form.dates.data = "\n".join(s.day.strftime("%d-%m-%Y") for s in edition.sessions)
        first = edition.sessions[0] if edition.sessions else None
        form.start_time.data = first.start_time if first else time(9, 30)
        form.end_time.data = first.end_time if first else time(16, 30)
        form.price_override.data = cents_to_text(edition.price_cents_override)
        form.deadline.data = edition.enrolment_deadline.strftime("%d-%m-%Y") if edition.enrolment_deadline else ""
    if form.validate_on_submit():
        try:
            offered = update_edition(edition, _edition_data(form), actor=current_user)
            db.session.commit()
        except CapacityBelowSeatsTaken as error:
            db.session.rollback()
            form.capacity.errors.append(
                f"Er {noun(error.seats_taken, 'is', 'zijn')} al {counted(error.seats_taken, 'plaats')} bezet; "
                "het aantal plaatsen kan niet lager.")
        except IntegrityError:  # seats were taken between our check and the commit
            db.session.rollback()
            form.capacity.errors.append("Er zijn intussen plaatsen bezet; kies een hoger aantal plaatsen.")
        except EditionCancelled:
            db.session.rollback()
            form.dates.errors.append("Deze editie is geannuleerd en kan niet meer worden gewijzigd.")
        else:
            flash("De editie is bijgewerkt."
                  + (f" {counted(offered, 'wachtende')} {noun(offered, 'krijgt', 'krijgen')} een plaats "
                     "aangeboden en een e-mail." if offered else ""), "success")
            return redirect(url_for("staff.offering_edit", offering_id=edition.offering_id) + "#edities")
    status = 422 if request.method == "POST" else 200
    return render_template("staff/edition_form.html", form=form, offering=edition.offering, edition=edition,
                           entries=history(("edition", [edition.id]))), status


@bp.post("/edities/<int:edition_id>/annuleren")
@staff_required(Role.EDITOR)
def edition_cancel(edition_id: int):
    edition = catalogue.edition_or_404(edition_id)
    if edition.status == EditionStatus.GEANNULEERD:
        flash("Deze editie was al geannuleerd.", "info")
        return redirect(url_for("staff.offering_edit", offering_id=edition.offering_id) + "#edities")
    # edition_cancelled: the enrolments are cancelled and the participants' mails queued
    told = cancel_edition(edition, actor=current_user) or 0
    db.session.commit()
    flash(f"De editie van {edition.start_date:%d-%m-%Y} is geannuleerd."
          + (f" {counted(told, 'deelnemer')} {noun(told, 'krijgt', 'krijgen')} een bericht." if told else ""),
          "success")
    return redirect(url_for("staff.offering_edit", offering_id=edition.offering_id) + "#edities")


@bp.get("/themas")
@staff_required(Role.EDITOR)
def themes():
    return render_template("staff/themes.html", rows=catalogue.themes_with_offering_counts())


@bp.route("/themas/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def theme_new():
    form = ThemeForm()
    if form.validate_on_submit():
        def save() -> Theme:
            return create_theme(form.name.data, form.description.data or "", form.slug.data or "",
                                actor=current_user)

        theme = commit_unless_slug_taken(form, save)
        if theme:
            flash(f"Het thema ‘{theme.name}’ is aangemaakt.", "success")
            return redirect(url_for("staff.themes"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/theme_form.html", form=form, theme=None), status


@bp.route("/themas/<int:theme_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def theme_edit(theme_id: int):
    theme = catalogue.theme_or_404(theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        def save() -> bool:
            update_theme(theme, form.name.data, form.description.data or "", form.slug.data or "",
                         actor=current_user)
            return True

        if commit_unless_slug_taken(form, save):
            flash("Het thema is bijgewerkt.", "success")
            return redirect(url_for("staff.themes"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/theme_form.html", form=form, theme=theme,
                           entries=history(("theme", [theme.id]))), status
