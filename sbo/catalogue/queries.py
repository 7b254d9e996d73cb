"""Read-side queries of the catalogue: the filtered listing, its facet counts, home page blocks,
and the lists the staff area manages the offer with.

Every function issues a fixed number of statements whatever the size of the catalogue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, distinct, extract, func, literal_column, select, union_all
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from flask import request
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from .. import clock
from ..extensions import db
from ..pagecache.memo import content_memo
from . import cards
from . import facets as kept
from . import search
from .facets import FacetCount
from .models import (Edition, EditionStatus, Offering, OfferingType, ProgrammeItem, Theme, Trainer, offering_theme,
                     offering_trainer)

MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
SORTS = ("datum", "titel", "relevantie")
ONLINE = "online"


@dataclass(frozen=True)
class Filters:
    """The query string of /aanbod, validated. Unknown values raise NotFound (→ Dutch 404)."""
    type: str = ""
    theme: str = ""
    month: str = ""
    city: str = ""
    q: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> "Filters":
        def value(name: str, limit: int = 100) -> str:
            return (args.get(name) or "").replace("\x00", "").strip()[:limit]

        kind = value("type")
        if kind and kind not in OfferingType._value2member_map_:
            raise NotFound()
        month = value("maand")
        if month:
            found = MONTH_RE.fullmatch(month)
            if not found or not (1 <= int(found[2]) <= 12) or not (2000 <= int(found[1]) <= 2100):
                raise NotFound()
        sort = value("sorteer")
        if sort and sort not in SORTS:
            raise NotFound()
        page_text = value("pagina") or "1"
        if not re.fullmatch(r"[0-9]{1,6}", page_text) or int(page_text) < 1:
            raise NotFound()
        q = value("q", 2000)
        if sort == ("relevantie" if search.terms(q) else "datum"):
            sort = ""  # the default order needs no parameter
        return cls(type=kind, theme=value("thema"), month=month, city=value("plaats"),
                   q=q, sort=sort, page=int(page_text))

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevantie" if search.terms(self.q) else "datum"

    def params(self, **changes) -> dict[str, str | int]:
        """Query-string parameters (Dutch names) of these filters with `changes` applied."""
        values = replace(self, **changes) if changes else self
        pairs = {"q": values.q, "type": values.type, "thema": values.theme, "maand": values.month,
                 "plaats": values.city, "sorteer": values.sort,
                 "pagina": values.page if values.page > 1 else ""}
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class ThemeRef:
    """The chosen theme of a listing (plain data: it is memoised with the page)."""
    id: int
    slug: str
    name: str


@dataclass
class Listing:
    page: object  # flask_sqlalchemy Pagination of offering ids
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    theme: ThemeRef | None = None
    # the page's offering cards (sbo/catalogue/cards.py): each shows its first upcoming edition
    # that passes the month and place filters, not merely the next one
    cards: list[cards.Card] = field(default_factory=list)
    full: set[int] = field(default_factory=set)  # the shown editions that are full now
    filters_html: Markup = Markup()  # the filter form (templates/catalogue/_filters.html)

    @property
    def cards_html(self) -> Markup:
        return cards.render(self.cards, self.full)


def month_label(month: str) -> str:
    """'2027-03' -> 'maart 2027' (Dutch month names are lower case, also in a filter): Babel's
    'MMMM y', written with its month names without Babel (~40 µs a month, a dozen a facet list)."""
    from ..filters import month_name

    return month_name(month)


def active_filters(f: Filters, theme: ThemeRef | None) -> list[tuple[str, str]]:
    """(field name, label) of each filter in use, for the removable filter chips."""
    active = []
    if f.type:
        active.append(("type", OfferingType(f.type).plural))
    if theme is not None:
        active.append(("theme", theme.name))
    if f.month:
        active.append(("month", month_label(f.month)))
    if f.city:
        active.append(("city", "Online" if f.city == ONLINE else f.city))
    if f.q:
        active.append(("q", f"“{f.q[:60]}”"))
    return active


def upcoming_edition_clause(today: date):
    return and_(Edition.start_date >= today, Edition.status != EditionStatus.GEANNULEERD)


def _place_key():
    return case((Edition.online.is_(True), ONLINE), else_=Edition.city)


def _month_key() -> list:
    """The month of an edition's start date, to group by: SQLite stores a date as ISO text, and
    its prefix '2027-03' costs half of two STRFTIME calls per edition; on PostgreSQL year and
    month numbers sort faster than to_char's text (both measured on the bench data, issue 18)."""
    if db.engine.dialect.name == "sqlite":
        return [func.substr(Edition.start_date, 1, 7)]
    return [extract("year", Edition.start_date), extract("month", Edition.start_date)]


def _month_text(*parts) -> str:
    return parts[0] if len(parts) == 1 else f"{int(parts[0]):04d}-{int(parts[1]):02d}"


def _conditions(f: Filters, theme: ThemeRef | None, matches, today: date, skip: tuple[str, ...] = ()) -> list:
    """WHERE clauses on `offering` for published offerings passing every filter except those in
    `skip`. Plain clauses on the offering row (no `id IN (SELECT id FROM offering ...)`), so the
    unfiltered catalogue reads the narrow indexes only, never the wide offering rows."""
    clauses = [Offering.published.is_(True)]
    if f.type and "type" not in skip:
        clauses.append(Offering.type == f.type)
    if theme is not None and "theme" not in skip:
        clauses.append(Offering.id.in_(
            select(offering_theme.c.offering_id).where(offering_theme.c.theme_id == theme.id)))
    edition_filters = [upcoming_edition_clause(today)]
    if f.month and "month" not in skip:
        edition_filters += _month_range(f.month)
    if f.city and "city" not in skip:
        edition_filters.append(_place_key() == f.city)
    if len(edition_filters) > 1:
        clauses.append(Offering.id.in_(select(Edition.offering_id).where(*edition_filters)))
    if matches is not None:
        clauses.append(Offering.id.in_(select(matches.c.id)))
    return clauses


def listing(f: Filters, per_page: int, today: date | None = None) -> Listing:
    """One page of the catalogue. The theme, the facet counts (and the filter form drawn from
    them), the ids of the page and its cards are memoised under the content generation (one memo: one read of the generation); whether a
    card's edition is full is read fresh each time (seats change without a new generation): one
    statement on a memo hit. The cards hold URLs: the proxy prefix is part of the key."""
    today = today or clock.today()
    computed: list[set[int]] = []

    def compute():
        theme = None
        if f.theme:
            row = db.session.execute(select(Theme.id, Theme.slug, Theme.name).where(Theme.slug == f.theme)).first()
            if row is None:
                raise NotFound()
            theme = ThemeRef(*row)
        found_facets, page = _page_ids(f, theme, per_page, today)
        shown, full = cards.load_cards(page.items, today, f.month, f.city)
        computed.append(full)  # read with the cards: no second statement on a miss
        return theme, found_facets, page, shown, cards.filters_html(f, theme, found_facets)

    theme, found_facets, page, shown, form = content_memo(
        "catalogue.listing", (f, per_page, today, request.script_root), compute)
    if f.page > 1 and not page.items:
        raise NotFound()
    full = computed[0] if computed else cards.full_editions(shown)
    return Listing(page=page, facets=found_facets, theme=theme, cards=shown, full=full, filters_html=form)


def _page_ids(f: Filters, theme: ThemeRef | None, per_page: int, today: date):
    """(facets, a Pagination of offering ids). The page is chosen over ids and sort keys only
    (narrow indexes), the date order by the kept `offering.next_start_date`; the total comes from
    the type facet (the filtered offerings counted per type), not from a COUNT query. Without a
    search term the facets are read from the kept counts (sbo/catalogue/facets.py): no statement
    reads the editions, whatever their number."""
    kept.roll_over(today)  # an index probe; once a day it counts the offerings again whose date passed
    matches = search.matches(f.q, db.engine.dialect.name)
    if matches is None:
        found_facets, total = kept_facets(f, theme)
    else:
        found_facets, total = facets(f, theme, matches, today)
    query = select(Offering.id).where(*_conditions(f, theme, matches, today))
    sort = f.effective_sort
    if sort == "relevantie" and matches is not None:
        query = (query.join(matches, matches.c.id == Offering.id)
                 .order_by(matches.c.title_hit.desc(), matches.c.score.desc(), Offering.title))
    elif sort == "titel":
        query = query.order_by(Offering.title, Offering.id)
    else:
        # offerings without an upcoming edition have 9999-12-31 (facets.NO_DATE): last
        query = query.order_by(Offering.next_start_date, Offering.title, Offering.id)
    page = db.paginate(query, page=f.page, per_page=per_page, error_out=False, count=False)
    page.total = total
    return found_facets, page


def _facet_options(type_counts: dict, theme_rows, month_rows, city_rows) -> dict[str, list[tuple[str, str, int]]]:
    return {
        "type": [(t.value, t.plural, type_counts[t.value]) for t in OfferingType if type_counts.get(t.value)],
        "theme": [(slug, name, n) for slug, name, n in theme_rows],
        "month": [(month, month_label(month), n) for month, n in month_rows],
        "city": [(c, "Online" if c == ONLINE else c, n) for c, n in city_rows],
    }


@cache
def _kept_facets_statement(by_type: bool):
    """The statement of `kept_facets`, built once per variant (with or without a type filter):
    its values are bound parameters, so SQLAlchemy's statement cache key is computed once too."""
    cells = FacetCount.__table__.c
    theme_id, month, place = bindparam("theme_id"), bindparam("month"), bindparam("place")
    parts = []
    for facet, conditions in (
            ("type", [cells.theme_id == theme_id, cells.month == month, cells.place == place]),
            ("theme", [cells.theme_id != kept.ANY_THEME, cells.month == month, cells.place == place]),
            ("month", [cells.theme_id == theme_id, cells.month != kept.ANY, cells.place == place]),
            ("city", [cells.theme_id == theme_id, cells.month == month, cells.place != kept.ANY])):
        if by_type and facet != "type":
            conditions.append(cells.type == bindparam("type"))
        parts.append(select(literal_column(f"'{facet}'").label("facet"), cells.type, cells.theme_id, cells.month,
                            cells.place, cells.n).where(*conditions, cells.n > 0))
    found = union_all(*parts).subquery()
    return (select(found.c.facet, found.c.type, Theme.slug, Theme.name, found.c.month, found.c.place, found.c.n)
            .outerjoin(Theme, Theme.id == found.c.theme_id)
            .order_by(found.c.facet, Theme.name, found.c.place, found.c.month))


def kept_facets(f: Filters, theme: ThemeRef | None) -> tuple[dict[str, list[tuple[str, str, int]]], int]:
    """`facets` without a search term, from the kept counts: one statement reading the cells
    of the four facets (each with the other filters applied), a few hundred rows at most."""
    by_type = bool(f.type)
    params = {"theme_id": theme.id if theme is not None else kept.ANY_THEME, "month": f.month, "place": f.city}
    if by_type:
        params["type"] = f.type
    rows = db.session.execute(_kept_facets_statement(by_type), params).all()
    type_counts: dict[str, int] = {}
    themes: dict[tuple[str, str], int] = {}  # in the order of their names
    months: dict[str, int] = {}
    places: dict[str, int] = {}
    for facet, kind, slug, name, row_month, row_place, n in rows:
        if facet == "type":
            type_counts[kind] = type_counts.get(kind, 0) + n
        elif facet == "theme" and slug is not None:
            themes[(slug, name)] = themes.get((slug, name), 0) + n
        elif facet == "month":
            months[row_month] = months.get(row_month, 0) + n
        elif facet == "city":
            places[row_place] = places.get(row_place, 0) + n
    total = type_counts.get(f.type, 0) if f.type else sum(type_counts.values())
    return _facet_options(type_counts, [(slug, name, n) for (slug, name), n in themes.items()],
                          list(months.items()), list(places.items())), total


def _month_range(month: str) -> list:
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return [Edition.start_date >= first, Edition.start_date < following]


def facets(f: Filters, theme: ThemeRef | None, matches,
           today: date) -> tuple[dict[str, list[tuple[str, str, int]]], int]:
    """Options with counts, (value, label, count), each computed with the other filters applied,
    and the number of offerings passing every filter (from the type counts): one grouped query
    per facet. With a search term (the matches are few); without one `kept_facets` gives the
    same from the kept counts. Month and place apply to the same edition, as in the listing: the
    count of a month with a place chosen is what choosing that month too lists."""
    type_counts = dict(db.session.execute(
        select(Offering.type, func.count()).where(*_conditions(f, theme, matches, today, ("type",)))
        .group_by(Offering.type)).all())
    total = type_counts.get(f.type, 0) if f.type else sum(type_counts.values())
    counted = _offerings_per_theme(select(Offering.id).where(*_conditions(f, theme, matches, today, ("theme",))))
    theme_rows = db.session.execute(
        select(Theme.slug, Theme.name, counted.c.n).join(counted, counted.c.theme_id == Theme.id)
        .order_by(Theme.name)).all()

    others = select(Offering.id).where(*_conditions(f, theme, matches, today, ("month", "city")))
    month = _month_key()
    place = _place_key()
    month_rows = [(_month_text(*row[:-1]), row[-1]) for row in db.session.execute(
        select(*month, func.count(distinct(Edition.offering_id)))
        .where(upcoming_edition_clause(today), *([place == f.city] if f.city else []),
               Edition.offering_id.in_(others))
        .group_by(*month).order_by(*month))]
    city_rows = db.session.execute(
        select(place, func.count(distinct(Edition.offering_id)))
        .where(upcoming_edition_clause(today), place != "", *(_month_range(f.month) if f.month else []),
               Edition.offering_id.in_(others))
        .group_by(place).order_by(place)).all()
    return _facet_options(type_counts, theme_rows, month_rows, city_rows), total


def _offerings_per_theme(offering_ids: Select):
    """(theme_id, n) of the offerings in `offering_ids`: counted in the offering_theme index alone
    (joining the offering rows to test `published` read every wide row: 4 ms on the bench data)."""
    return (select(offering_theme.c.theme_id, func.count().label("n"))
            .where(offering_theme.c.offering_id.in_(offering_ids))
            .group_by(offering_theme.c.theme_id).subquery())


def theme_counts() -> list[tuple[str, str, int]]:
    """(slug, name, number of published offerings) of every theme, by name: one query of the
    kept counts (sbo/catalogue/facets.py). The home page memoises its tiles drawn from them."""
    cells = FacetCount.__table__.c
    counted = (select(cells.theme_id, func.sum(cells.n).label("n"))
               .where(cells.month == kept.ANY, cells.place == kept.ANY, cells.theme_id != kept.ANY_THEME)
               .group_by(cells.theme_id).subquery())
    return [(slug, name, int(n)) for slug, name, n in db.session.execute(
        select(Theme.slug, Theme.name, func.coalesce(counted.c.n, 0))
        .outerjoin(counted, counted.c.theme_id == Theme.id).order_by(Theme.name))]


def published_offering(slug: str) -> Offering:
    offering = db.session.scalar(
        select(Offering).where(Offering.slug == slug[:160], Offering.published.is_(True))
        .options(selectinload(Offering.editions).selectinload(Edition.sessions),
                 selectinload(Offering.themes), selectinload(Offering.trainers),
                 selectinload(Offering.accreditations),
                 selectinload(Offering.programme_items).selectinload(ProgrammeItem.trainers)))
    if offering is None:
        raise NotFound()
    return offering


def related_offerings(offering: Offering, limit: int = 3) -> list[Offering]:
    theme_ids = [theme.id for theme in offering.themes]
    if not theme_ids:
        return []
    shared = (select(offering_theme.c.offering_id)
              .where(offering_theme.c.theme_id.in_(theme_ids)))
    return list(db.session.scalars(
        select(Offering).where(Offering.published.is_(True), Offering.id != offering.id,
                               Offering.id.in_(shared))
        .order_by(Offering.title).limit(limit)))


@cache
def _related_rows_statement() -> Select:
    shared = (select(offering_theme.c.offering_id)
              .where(offering_theme.c.theme_id.in_(bindparam("theme_ids", expanding=True))))
    return (select(Offering.id, Offering.slug, Offering.title, Offering.type, Offering.teaser)
            .where(Offering.published.is_(True), Offering.id != bindparam("offering_id"),
                   Offering.id.in_(shared))
            .order_by(Offering.title).limit(bindparam("limit")))


def related_offering_rows(offering_id: int, theme_ids: list[int], limit: int = 3) -> list:
    """related_offerings() as rows of what a card shows (id, slug, title, type, teaser)."""
    if not theme_ids:
        return []
    return db.session.execute(_related_rows_statement(), {
        "theme_ids": theme_ids, "offering_id": offering_id, "limit": limit}).all()


# ---------------------------------------------------------------- the staff area

def _get_or_404(model, ident: int):
    found = db.session.get(model, ident)
    if found is None:
        raise NotFound()
    return found


def offering_or_404(offering_id: int) -> Offering:
    return _get_or_404(Offering, offering_id)


def edition_or_404(edition_id: int) -> Edition:
    return _get_or_404(Edition, edition_id)


def theme_or_404(theme_id: int) -> Theme:
    return _get_or_404(Theme, theme_id)


def offering_with_editions(offering_id: int) -> Offering:
    """The offering with its editions (and their sessions) and themes loaded, published or not."""
    offering = db.session.scalar(select(Offering).where(Offering.id == offering_id).options(
        selectinload(Offering.editions).selectinload(Edition.sessions), selectinload(Offering.themes)))
    if offering is None:
        raise NotFound()
    return offering


def offering_choices() -> list[tuple[int, str, bool]]:
    """(id, title, published) of every offering, by title: the options of a select."""
    return [tuple(row) for row in db.session.execute(
        select(Offering.id, Offering.title, Offering.published).order_by(Offering.title, Offering.id))]


def themes_by_name() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def themes_with_offering_counts() -> list[tuple[Theme, int]]:
    """Every theme, by name, with its number of offerings, published or not."""
    counts = (select(func.count()).select_from(offering_theme)
              .where(offering_theme.c.theme_id == Theme.id).correlate(Theme).scalar_subquery())
    return [(theme, n) for theme, n in db.session.execute(
        select(Theme, counts.label("offerings")).order_by(Theme.name))]


def offer_counts(today: date | None = None) -> dict[str, int]:
    """Offerings published and unpublished, and upcoming editions that are not cancelled: read
    from the kept totals (sbo/catalogue/facets.py; counting the upcoming editions read 66,000
    index entries at 100x, issue 18), after counting again the offerings whose date passed."""
    kept.roll_over(today)
    totals = kept.offer_totals()
    return {key: totals.get(key, 0) for key in ("published", "unpublished", "upcoming")}


def public_trainer(slug: str) -> Trainer:
    """A trainer by slug with the published offerings they teach (and their editions)."""
    trainer = db.session.scalar(select(Trainer).where(Trainer.slug == slug[:120]).options(
        selectinload(Trainer.offerings).selectinload(Offering.editions)))
    if trainer is None:
        raise NotFound()
    return trainer


def public_trainers() -> list[Trainer]:
    """Every trainer who teaches at least one published offering, by name."""
    teaching = (select(offering_trainer.c.trainer_id).join(Offering, Offering.id == offering_trainer.c.offering_id)
                .where(Offering.published.is_(True)))
    return list(db.session.scalars(select(Trainer).where(Trainer.id.in_(teaching)).order_by(Trainer.name)))
