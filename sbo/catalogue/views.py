"""Catalogue views: the filterable catalogue and the offering page (home and about: sbo/site)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, url_for
from markupsafe import Markup
from sqlalchemy import select

from .. import clock
from ..pagecache import cache_page
from ..extensions import db
from . import contacts, offering_page, pricing, queries, text
from .models import EditionStatus, Offering

bp = Blueprint("catalogue", __name__)


@bp.app_template_filter("seats_label")
def seats_label(edition) -> str:
    """'Nog 4 plaatsen', 'Nog 1 plaats', 'Vol' or 'Geannuleerd'."""
    if edition.status == EditionStatus.GEANNULEERD:
        return EditionStatus.GEANNULEERD.label
    left = edition.seats_left
    if edition.status == EditionStatus.VOL or left <= 0:
        return EditionStatus.VOL.label
    return f"Nog {left} {'plaats' if left == 1 else 'plaatsen'}"


@bp.app_template_filter("tijdvak")
def time_range(session) -> Markup:
    """'09:30–16:30' of a session day, kept on one line (it broke as '09:30–/16:30' at 360 px)."""
    from ..filters import dutch_time

    return Markup('<span class="time-range">{}–{}</span>').format(
        dutch_time(session.start_time), dutch_time(session.end_time))


bp.add_app_template_filter(text.paragraphs, "paragraphs")
bp.add_app_template_filter(text.lines_list, "lines_list")


@bp.app_template_filter("prijs_btw")
def price_with_vat(offering, cents: int | None = None) -> str:
    """'€ 1.295,00 vrijgesteld van btw': the offering's price, or an edition's (`cents`)."""
    return pricing.price_text(offering, offering.price_cents if cents is None else cents)


@bp.app_template_filter("prijsregel")
def price_line(offering, cents: int | None = None) -> str:
    """'€ 1.295,00 vrijgesteld van btw · incl. lunch en lesmateriaal'."""
    return pricing.price_line(offering, cents)


# the rest of how a buyer reads a price, for the templates
bp.add_app_template_filter(pricing.included_words, "inbegrepen")
bp.add_app_template_filter(pricing.discount_label, "korting")
bp.add_app_template_filter(pricing.money, "bedrag")


# Pages hold today's date in their cache key.
CATALOGUE_TIMEOUT = 300


@bp.get("/aanbod")
@cache_page(timeout=CATALOGUE_TIMEOUT)
def index():
    filters = queries.Filters.from_args(request.args)
    canonical = filters.params()
    if sorted(key for key, _value in request.args.items(multi=True)) != sorted(canonical):
        # a submitted filter form carries empty fields (and the default order): send the
        # visitor to the clean URL, the one that is shared and bookmarked
        return redirect(url_for("catalogue.index", **canonical))
    result = queries.listing(filters, per_page=current_app.config["CATALOGUE_PER_PAGE"])

    first_page = url_for("catalogue.index", **filters.params(page=1))
    joiner = "&" if "?" in first_page else "?"

    def page_url(n: int) -> str:
        """url_for('catalogue.index', **filters.params(page=n)) from one URL: `pagina` is the
        last parameter, and a whole number needs no quoting."""
        return first_page if n == 1 else f"{first_page}{joiner}pagina={n}"

    active = [(label, url_for("catalogue.index", **filters.params(**{name: "", "page": 1})))
              for name, label in queries.active_filters(filters, result.theme)]
    return render_template(
        "catalogue/index.html", filters=filters, listing=result, page=result.page,
        page_url=page_url, active=active, today=clock.today(),
        reset_url=url_for("catalogue.index"),
    )


@bp.get("/aanbod/<slug>")
@cache_page(timeout=CATALOGUE_TIMEOUT)
def detail(slug: str):
    page, editions, jsonld = offering_page.detail(slug, clock.today())
    return render_template("catalogue/detail.html", offering=page, editions=editions, jsonld=jsonld)


@bp.get("/contactpersonen/foto/<filename>")
def contact_photo(filename: str):
    """A contact person's photo, by its stored (random) name; only the types we store."""
    stem, _, kind = filename.partition(".")
    if kind not in contacts.MIME_TYPES or not stem.isalnum():
        abort(404)
    response = send_from_directory(contacts.photo_folder(), filename, mimetype=contacts.MIME_TYPES[kind],
                                   max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def sitemap_urls() -> Iterable[tuple[str, date | datetime | None]]:
    """The page of every public offering with its last change, for the sitemap (sbo/site)."""
    rows = db.session.execute(
        select(Offering.slug, Offering.updated_at).where(Offering.published.is_(True)).order_by(Offering.slug))
    for slug, updated in rows:
        yield url_for("catalogue.detail", slug=slug), updated


from . import brochure, trainer_views  # noqa: E402,F401  (the brochure and trainer pages, on this blueprint)
