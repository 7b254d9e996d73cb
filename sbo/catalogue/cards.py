"""Offering cards of the catalogue listing and the home page's upcoming editions, from plain rows
(issue 18).

A page of 24 cards loaded as ORM entities (offerings, their editions and themes) and drawn by
a Jinja macro per card cost ~2.5 ms: ~25,000 instance loads per 200 pages, a `url_for`, a Babel
date and two filters per card. Here one Core statement reads what a card shows, the card's
HTML is written once per memo miss (sbo/catalogue/queries.py keeps it under the content
generation), and only whether the shown edition is full is read for every request: seats
change without a new generation. The HTML is byte for byte what the macro wrote
(tests/catalogue/test_cards.py compares both on a varied catalogue).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import quote

from flask import current_app, url_for
from markupsafe import Markup, escape
from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..filters import dutch_date
from ..labels import label
from ..postgres import day_in_text
from . import pricing
from .models import Edition, EditionStatus, Offering, Venue

ONLINE = "online"
# werkzeug's converter quotes a path segment with these characters left as they are
PATH_SAFE = "!$&'()*+,/:;=@"

CARD = ('\n<li class="card offering-card">\n'
        '  <p class="offering-card-tags"><span class="tag{tag}">{type}</span></p>\n'
        '  <h3><a href="{url}">{title}</a></h3>\n'
        '  <p>{teaser}</p>\n'
        '  \n'
        '  <p class="meta next-date">\n'
        '    ')
NEXT = "Eerstvolgende: {day} · {place}"
MORE = "{more}\n    \n  </p>\n"
NONE = "Nog geen nieuwe data gepland\n  </p>\n"
TAIL = '  <p class="meta">{duration}{price}</p>\n</li>\n'
FULL = ' · <strong class="status-full">Vol</strong>'  # after the place of a full edition


@dataclass(frozen=True, slots=True)
class Card:
    """A card's HTML before and after the place where 'Vol' goes, and the edition it shows
    (None: no upcoming date), whose seats decide that."""
    head: str
    tail: str
    edition_id: int | None


def detail_url_prefix() -> str:
    """The offering page's URL without its slug (the proxy prefix included)."""
    return url_for("catalogue.detail", slug="-")[:-1]


def detail_url(prefix: str, slug: str) -> str:
    """url_for('catalogue.detail', slug=slug) from its prefix: one URL built per page, not one per card."""
    return prefix + quote(slug, safe=PATH_SAFE)


def place_text(online: bool, platform: str, name: str, city: str) -> str:
    """Edition.place from plain values: the venue's name and city when it has a venue, else its own."""
    if online:
        return f"Online ({platform})" if platform else "Online"
    return ", ".join(part for part in (name, city) if part)


def is_full(status: str, capacity: int, seats_taken: int) -> bool:
    """What seats_label calls 'Vol' of an edition that is not cancelled."""
    return status == EditionStatus.VOL or capacity - seats_taken <= 0


def _matching(edition, month: bool, place: bool) -> list:
    """An edition (alias) of the outer offering that is upcoming, not cancelled, in the filtered
    month and place: the conditions on its narrow index ix_edition_offering_start alone."""
    conditions = [edition.offering_id == Offering.id, edition.start_date >= bindparam("today"),
                  edition.status != EditionStatus.GEANNULEERD]
    if month:
        conditions += [edition.start_date >= bindparam("month_start"), edition.start_date < bindparam("month_end")]
    if place:
        conditions.append(case((edition.online.is_(True), ONLINE), else_=edition.city) == bindparam("place"))
    return conditions


CARD_COLUMNS = (Offering.id, Offering.slug, Offering.title, Offering.teaser, Offering.type, Offering.duration,
                Offering.price_cents, Offering.vat_status)
EDITION_COLUMNS = (Edition.id.label("edition_id"), Edition.start_date, Edition.online, Edition.online_platform,
                   Edition.venue, Edition.city, Edition.status, Edition.capacity, Edition.seats_taken,
                   Venue.name.label("venue_name"), Venue.city.label("venue_city"))


@cache
def _cards_statement(month: bool, place: bool, dialect: str) -> Select:
    """The offerings of a page, each with its first matching edition (NULLs when none) and the
    number of its matching editions (`editions`), first edition first. Built once per variant.

    SQLite: a row per offering, the first edition's id and the count read in the edition index
    alone (reading every matching edition's row cost 1.7x as much). PostgreSQL runs those
    subqueries per offering slower than it joins every matching edition (1.0 against 0.65 ms
    on the bench data): there, a row per matching edition, counted by a window."""
    if dialect == "sqlite":
        first, counted = aliased(Edition), aliased(Edition)
        first_id = (select(first.id).where(*_matching(first, month, place))
                    .order_by(first.start_date, first.id).limit(1).correlate(Offering).scalar_subquery())
        number = (select(func.count()).select_from(counted).where(*_matching(counted, month, place))
                  .correlate(Offering).scalar_subquery())
        return (select(*CARD_COLUMNS, number.label("editions"), *EDITION_COLUMNS)
                .select_from(Offering)
                .outerjoin(Edition, Edition.id == first_id)
                .outerjoin(Venue, Venue.id == Edition.venue_id)
                .where(Offering.id.in_(bindparam("ids", expanding=True))))
    return (select(*CARD_COLUMNS, func.count(Edition.id).over(partition_by=Offering.id).label("editions"),
                   *EDITION_COLUMNS)
            .select_from(Offering)
            .outerjoin(Edition, and_(*_matching(Edition, month, place)))
            .outerjoin(Venue, Venue.id == Edition.venue_id)
            .where(Offering.id.in_(bindparam("ids", expanding=True)))
            .order_by(Offering.id, Edition.start_date, Edition.id))


def load_cards(ids: list[int], today: date, month: str = "", place: str = "") -> tuple[list[Card], set[int]]:
    """The cards of offerings `ids` (in that order), each showing its first upcoming edition in
    `month` ('2027-03') and `place` (a city or 'online'), and the ids of the shown editions that
    are full now. One statement."""
    if not ids:
        return [], set()
    params: dict = {"ids": list(ids), "today": today}
    if month:
        year, number = (int(part) for part in month.split("-"))
        params["month_start"] = date(year, number, 1)
        params["month_end"] = date(year + number // 12, number % 12 + 1, 1)
    if place:
        params["place"] = place
    rows: dict = {}
    for row in db.session.execute(_cards_statement(bool(month), bool(place), db.engine.dialect.name), params):
        rows.setdefault(row.id, row)  # the first edition's row
    prefix = detail_url_prefix()
    days: dict[date, str] = {}
    prices: dict[tuple[int, str], str] = {}
    cards, full = [], set()
    for ident in ids:
        row = rows[ident]
        (_, slug, title, teaser, kind, duration, cents, vat, editions, edition_id, start, online, platform,
         venue, city, status, capacity, taken, venue_name, venue_city) = row  # unpacked: 4x cheaper than by name
        head = CARD.format(tag=" tag-congres" if kind == "congres" else "", type=escape(label(kind, "OfferingType")),
                           url=escape(detail_url(prefix, slug)), title=escape(title), teaser=escape(teaser))
        price = prices.get((cents, vat))
        if price is None:
            price = prices[(cents, vat)] = escape(pricing.price_text(row, cents))
        tail = TAIL.format(duration=f"{escape(duration)} · " if duration else "", price=price)
        if edition_id is None:
            cards.append(Card(head + NONE + tail, "", None))
            continue
        day = days.get(start)
        if day is None:
            day = days[start] = dutch_date(start)
        shown = place_text(online, platform, *((venue_name, venue_city) if venue_name is not None else (venue, city)))
        head += NEXT.format(day=day, place=escape(shown))
        more = f" (+{editions - 1} {'andere datum' if editions == 2 else 'andere data'})" if editions > 1 else ""
        cards.append(Card(head, MORE.format(more=more) + tail, edition_id))
        if is_full(status, capacity, taken):
            full.add(edition_id)
    return cards, full


@cache
def _full_statement() -> Select:
    return select(Edition.id).where(
        Edition.id.in_(bindparam("ids", expanding=True)),
        or_(Edition.status == EditionStatus.VOL, Edition.seats_taken >= Edition.capacity))


def full_editions(cards: list[Card]) -> set[int]:
    """The ids of the cards' shown editions that are full now: one statement (none without dates)."""
    ids = [card.edition_id for card in cards if card.edition_id is not None]
    if not ids:
        return set()
    return set(db.session.scalars(_full_statement(), {"ids": ids}))


def render(cards: list[Card], full: set[int]) -> Markup:
    """The cards' list items, with 'Vol' after the place of a full edition."""
    return Markup("".join([card.head + FULL + card.tail if card.edition_id in full else card.head + card.tail
                           for card in cards]))


def filters_html(filters, theme, facets: dict) -> Markup:
    """The catalogue's filter form with its facet counts (templates/catalogue/_filters.html): it
    depends on nothing else, so it is drawn once per memo miss (~250 escapes and four macro calls)."""
    return Markup(current_app.jinja_env.get_template("catalogue/_filters.html").render(
        filters=filters, theme=theme, facets=facets))


# ---------------------------------------------------------------- the home page

@dataclass(frozen=True, slots=True)
class Upcoming:
    """An upcoming edition on the home page, as its card shows it."""
    start_date: date
    day: str
    url: str
    title: str
    type: str
    type_label: str
    place: str
    seats: str


@cache
def _upcoming_statement() -> Select:
    today = day_in_text()
    return (select(Edition.start_date, Edition.online, Edition.online_platform, Edition.venue, Edition.city,
                   Edition.status, Edition.capacity, Edition.seats_taken,
                   Venue.name.label("venue_name"), Venue.city.label("venue_city"),
                   Offering.slug, Offering.title, Offering.type)
            .join(Offering, Offering.id == Edition.offering_id)
            .outerjoin(Venue, Venue.id == Edition.venue_id)
            .where(Offering.published.is_(True), Edition.start_date >= today,
                   Edition.status != EditionStatus.GEANNULEERD)
            .order_by(Edition.start_date, Offering.title).limit(bindparam("limit")))


def seats_text(status: str, capacity: int, seats_taken: int) -> str:
    """seats_label (sbo/catalogue/views.py) of an edition that is not cancelled."""
    if is_full(status, capacity, seats_taken):
        return EditionStatus.VOL.label
    left = capacity - seats_taken
    return f"Nog {left} {'plaats' if left == 1 else 'plaatsen'}"


def upcoming(today: date, limit: int = 6) -> list[Upcoming]:
    """The next `limit` editions that are not cancelled, of published offerings, by date and
    title, with their seats left now: one statement."""
    prefix = detail_url_prefix()
    days: dict[date, str] = {}
    found = []
    for row in db.session.execute(_upcoming_statement(), {"today": today, "limit": limit}):
        day = days.get(row.start_date)
        if day is None:
            day = days[row.start_date] = dutch_date(row.start_date)
        place = place_text(row.online, row.online_platform,
                           *((row.venue_name, row.venue_city) if row.venue_name is not None else (row.venue, row.city)))
        found.append(Upcoming(row.start_date, day, detail_url(prefix, row.slug), row.title, row.type,
                              label(row.type, "OfferingType"), place,
                              seats_text(row.status, row.capacity, row.seats_taken)))
    return found
