"""The public offering page as plain data (issue 18): everything but the seats is read with plain
Core rows (only the columns shown), formatted once (dates, prices, discounts, URLs) and memoised
under the content generation (sbo/pagecache/memo.py); the seats and status of the editions are
read live on every request, in one statement. A warm page runs two statements (the generation
and the seats), a cold one eight (it was ten on every request, through ORM collections): the
contact joined to the offering, themes, trainers and accreditations in one statement, the
editions with their session days, venue and seats in another."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from flask import current_app, request, url_for
from markupsafe import Markup
from sqlalchemy import (Integer, String, bindparam, cast, literal, literal_column, null, select, type_coerce,
                        union_all)
from werkzeug.exceptions import NotFound

from .. import reads
from ..extensions import db
from ..filters import decimal_nl, dutch_date, dutch_time
from ..pagecache.memo import content_memo
from ..urls import Pattern
from . import pricing, queries, ratings
from .jsonld import AVAILABILITY, dumps_for_script, with_availability
from .jsonld import offering_data as jsonld_data
from .models import (Accreditation, Address, ContactPerson, Edition, EditionStatus, Hundredths, Offering,
                     OfferingType, Register, SessionDate, Theme, Venue, offering_contact, offering_theme)
from .programme import ProgrammeItem, programme_item_trainer
from .text import lines_list, paragraphs
from .trainers import Trainer, initials, offering_trainer

CANCELLED = EditionStatus.GEANNULEERD.value


@dataclass(frozen=True, slots=True)
class Session:
    iso: str      # '2030-04-10'
    label: str    # 'wo 10 april 2030'


@dataclass(frozen=True, slots=True)
class VenueDetails:
    name: str
    line: str
    route: str
    parking: str
    step_free: bool
    hearing_loop: bool
    map_url: str


@dataclass(frozen=True, slots=True)
class EditionPart:
    """What an edition row shows that does not change with its seats."""
    id: int
    start_iso: str
    start_label: str       # 'wo 10 april 2030' (one day)
    start_short: str       # '10 april 2030' (the hidden text of its buttons)
    sessions: tuple[Session, ...]  # more than one: the list of days
    time_range: Markup | None      # of the first session day
    closes_label: str      # '3 april 2030'
    closed_by_date: bool   # the enrolment deadline has passed (today is part of the memo key)
    place: str
    venue: VenueDetails | None
    price: str
    discounts: tuple[str, ...]
    enrol_url: str
    waiting_url: str


@dataclass(frozen=True, slots=True)
class TrainerCard:
    url: str
    name: str
    role: str
    initials: str
    photo_url: str


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    times: Markup
    title: str
    description: str
    trainers: tuple[tuple[str, str], ...]  # (url, name)


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    role: str
    phone: str
    email: str
    photo_url: str


@dataclass(frozen=True, slots=True)
class Related:
    type: str
    type_label: str
    url: str
    title: str
    teaser: str


@dataclass(frozen=True, slots=True)
class Page:
    id: int
    slug: str
    title: str
    teaser: str
    type: str
    type_label: str
    this_noun: str
    description: Markup
    outcomes: Markup
    audience: Markup
    duration: str
    themes: tuple[tuple[str, str], ...]  # (url, name)
    theme_names: str
    programme: tuple[tuple[int, tuple[ProgrammeEntry, ...]], ...]
    trainers: tuple[TrainerCard, ...]
    price: str
    included: str
    general_discounts: tuple[str, ...]
    rating: ratings.Rating | None
    accreditations: tuple[str, ...]  # 'NOvA: 2 punten'
    accreditation: str
    contact: Contact | None
    editions: tuple[EditionPart, ...]
    interest_url: str
    brochure_url: str
    incompany_url: str
    related: tuple[Related, ...]
    jsonld: object  # jsonld.offering_data with the availability left open
    jsonld_editions: tuple[int, ...]


@dataclass(slots=True)
class EditionRow:
    """An edition on the page: its memoised part and its live seats."""
    part: EditionPart
    status: str
    seats_left: int
    closed: bool
    bookable: bool


def detail(slug: str, today: date) -> tuple[Page, list[EditionRow], Markup]:
    """The page, its editions with their live seats, and its JSON-LD."""
    live: dict[int, object] = {}  # filled by _compute on a miss: no second read of the seats then
    page = content_memo("offering_page", (slug[:160], request.script_root),
                        lambda: _compute(slug[:160], today, live))
    if page is None:
        raise NotFound()
    if page.editions and not live:
        # a Core statement needs none of the ORM's execution steps (sbo.reads)
        live = {row.id: row for row in reads.rows(_SEATS, {"offering_id": page.id, "today": today})}
    rows, availability = [], {}
    for part in page.editions:
        seats = live.get(part.id)
        if seats is None:  # removed since the memo was made (the generation is read at most a second late)
            continue
        status, left = seats.status, max(seats.capacity - seats.seats_taken, 0)
        closed = status != CANCELLED and part.closed_by_date
        rows.append(EditionRow(part, status, left, closed,
                               status == EditionStatus.OPEN and left > 0 and not closed))
        shown = EditionStatus.VOL if status == EditionStatus.OPEN and left == 0 else EditionStatus(status)
        availability[part.id] = (AVAILABILITY[shown], status == CANCELLED)
    return page, rows, dumps_for_script(with_availability(page.jsonld, page.jsonld_editions, availability))


_SEATS = (select(Edition.id, Edition.status, Edition.capacity, Edition.seats_taken)
          .where(Edition.offering_id == bindparam("offering_id"), Edition.start_date >= bindparam("today")))

_OFFERING = (select(Offering.id, Offering.slug, Offering.title, Offering.type, Offering.teaser,
                    Offering.description, Offering.learning_outcomes, Offering.audience, Offering.duration,
                    Offering.price_cents, Offering.accreditation, Offering.vat_status, Offering.included,
                    Offering.included_note,
                    ContactPerson.id.label("contact_id"), ContactPerson.name.label("contact_name"),
                    ContactPerson.role.label("contact_role"), ContactPerson.email.label("contact_email"),
                    ContactPerson.phone.label("contact_phone"), ContactPerson.photo.label("contact_photo"))
             .outerjoin(offering_contact, offering_contact.c.offering_id == Offering.id)
             .outerjoin(ContactPerson, ContactPerson.id == offering_contact.c.contact_person_id)
             .where(Offering.slug == bindparam("slug"), Offering.published.is_(True)))

# the themes (kind 0), trainers (1) and accreditations (2) of an offering in one statement
_THEMES_TRAINERS_ACCREDITATIONS = union_all(
    select(literal(0).label("kind"), Theme.id, Theme.slug, Theme.name, cast(null(), String).label("role"),
           cast(null(), String).label("photo_name"), cast(null(), Integer).label("points"))
    .join(offering_theme, offering_theme.c.theme_id == Theme.id)
    .where(offering_theme.c.offering_id == bindparam("offering_id")),
    select(literal(1), Trainer.id, Trainer.slug, Trainer.name, Trainer.role, Trainer.photo_name,
           cast(null(), Integer))
    .join(offering_trainer, offering_trainer.c.trainer_id == Trainer.id)
    .where(offering_trainer.c.offering_id == bindparam("offering_id")),
    select(literal(2), Accreditation.id, cast(null(), String), Register.name, cast(null(), String),
           cast(null(), String),
           type_coerce(Accreditation.points, Integer))
    .join(Register, Register.id == Accreditation.register_id)
    .where(Accreditation.offering_id == bindparam("offering_id")),
).order_by(literal_column("kind"), literal_column("name"))

_PROGRAMME = (select(ProgrammeItem.id, ProgrammeItem.day, ProgrammeItem.start_time, ProgrammeItem.end_time,
                     ProgrammeItem.title, ProgrammeItem.description, Trainer.slug, Trainer.name)
              .outerjoin(programme_item_trainer, programme_item_trainer.c.item_id == ProgrammeItem.id)
              .outerjoin(Trainer, Trainer.id == programme_item_trainer.c.trainer_id)
              .where(ProgrammeItem.offering_id == bindparam("offering_id"))
              .order_by(ProgrammeItem.day, ProgrammeItem.position, ProgrammeItem.id, Trainer.name))

_EDITIONS = (select(Edition.id, Edition.start_date, Edition.venue, Edition.street_address, Edition.postal_code,
                    Edition.city, Edition.online, Edition.online_platform, Edition.price_cents_override,
                    Edition.enrolment_deadline, Edition.status, Edition.capacity, Edition.seats_taken,
                    Venue.id.label("venue_id"), Venue.name.label("venue_name"),
                    Venue.street_address.label("venue_street"), Venue.postal_code.label("venue_postal_code"),
                    Venue.city.label("venue_city"), Venue.route, Venue.parking, Venue.step_free,
                    Venue.hearing_loop, SessionDate.day, SessionDate.start_time, SessionDate.end_time)
             .outerjoin(Venue, Venue.id == Edition.venue_id)
             .outerjoin(SessionDate, SessionDate.edition_id == Edition.id)
             .where(Edition.offering_id == bindparam("offering_id"), Edition.start_date >= bindparam("today"))
             .order_by(Edition.start_date, Edition.id, SessionDate.day, SessionDate.id))

def _compute(slug: str, today: date, seats: dict) -> Page | None:
    """The page's memoised part (None: no such published offering); the editions' seats as read
    now go into `seats` (by edition id), not into the memo."""
    execute = db.session.execute
    offering = execute(_OFFERING, {"slug": slug}).first()
    if offering is None:
        return None
    key = {"offering_id": offering.id}
    themes, trainers, accreditations = [], [], []
    for row in execute(_THEMES_TRAINERS_ACCREDITATIONS, key):
        (themes, trainers, accreditations)[row.kind].append(row)
    kind = OfferingType(offering.type)

    programme = []
    for day, rows in groupby(execute(_PROGRAMME, key), key=lambda row: row.day):
        entries = []
        for _item, item_rows in groupby(rows, key=lambda row: row.id):
            item_rows = list(item_rows)
            first = item_rows[0]
            times = Markup("")
            if first.start_time:
                times = Markup('<span class="time-range">{}{}</span>').format(
                    dutch_time(first.start_time), f"–{dutch_time(first.end_time)}" if first.end_time else "")
            entries.append(ProgrammeEntry(times, first.title, first.description,
                                          tuple((url_for("catalogue.trainer", slug=row.slug), row.name)
                                                for row in item_rows if row.slug is not None)))
        programme.append((day, tuple(entries)))

    discounts = pricing.current_discounts(offering.id, today)
    editions = _editions(offering, today, discounts, seats)
    rating = ratings.of_offering(offering.id)
    accreditations.sort(key=lambda row: row.name.lower())  # as Jinja's sort did
    contact = None
    if offering.contact_id is not None:
        contact = Contact(offering.contact_name, offering.contact_role, offering.contact_phone,
                          offering.contact_email,
                          url_for("catalogue.contact_photo", filename=offering.contact_photo)
                          if offering.contact_photo else "")
    related = queries.related_offering_rows(offering.id, [theme.id for theme in themes])

    data, ids = jsonld_data(offering, [shown for _part, shown in editions], trainers, rating)
    return Page(
        id=offering.id, slug=offering.slug, title=offering.title, teaser=offering.teaser, type=offering.type,
        type_label=kind.label, this_noun=kind.this_noun,
        description=paragraphs(offering.description) if offering.description else Markup(""),
        outcomes=lines_list(offering.learning_outcomes) if offering.learning_outcomes else Markup(""),
        audience=paragraphs(offering.audience) if offering.audience else Markup(""),
        duration=offering.duration,
        themes=tuple((url_for("catalogue.index", thema=theme.slug), theme.name) for theme in themes),
        theme_names=", ".join(theme.name for theme in themes),
        programme=tuple(programme),
        trainers=tuple(TrainerCard(url_for("catalogue.trainer", slug=row.slug), row.name, row.role,
                                   initials(row.name),
                                   url_for("catalogue.trainer_photo", slug=row.slug, v=row.photo_name[:8])
                                   if row.photo_name else "") for row in trainers),
        price=pricing.price_text(offering, offering.price_cents), included=pricing.included_words(offering),
        general_discounts=tuple(pricing.discount_label(row) for row in discounts.get(None, [])),
        rating=rating,
        accreditations=tuple(_accreditation(row.name, Hundredths().process_result_value(row.points, None))
                             for row in accreditations),
        accreditation=offering.accreditation, contact=contact,
        editions=tuple(part for part, _row in editions),
        interest_url=url_for("enrolment.interest_form", slug=offering.slug),
        brochure_url=url_for("catalogue.brochure", slug=offering.slug),
        incompany_url=url_for("incompany.offering_request", slug=offering.slug),
        related=tuple(Related(row.type, OfferingType(row.type).label, url_for("catalogue.detail", slug=row.slug),
                              row.title, row.teaser) for row in related),
        jsonld=data, jsonld_editions=ids,
    )


def _accreditation(register: str, points) -> str:
    """'NOvA: 2,5 punten'."""
    return f"{register}: {decimal_nl(points)} {'punt' if points == 1 else 'punten'}"


def _editions(offering, today: date, discounts: dict, seats: dict) -> list[tuple[EditionPart, object]]:
    """The editions from `today` on with what they show, each with what the JSON-LD reads of it;
    their live seats (status, capacity, seats_taken) go into `seats`."""
    deadline_days = timedelta(days=int(current_app.config["ENROLMENT_DEADLINE_DAYS"]))
    labels: dict[tuple[date, str], str] = {}

    def label(day: date, fmt: str = "d MMMM y") -> str:
        found = labels.get((day, fmt))
        if found is None:
            found = labels[(day, fmt)] = dutch_date(day, fmt)
        return found

    enrol = Pattern("enrolment.enrol", "edition_id", slug=offering.slug)
    waiting = Pattern("enrolment.waiting_list", "edition_id", slug=offering.slug)
    found = []
    rows = db.session.execute(_EDITIONS, {"offering_id": offering.id, "today": today})
    for edition_id, group in groupby(rows, key=lambda row: row.id):
        group = list(group)
        row = seats[edition_id] = group[0]
        sessions = [r for r in group if r.day is not None]
        closes_on = min(row.enrolment_deadline or row.start_date - deadline_days, row.start_date - timedelta(days=1))
        if row.venue_id is not None:
            name, street, postal, city = row.venue_name, row.venue_street, row.venue_postal_code, row.venue_city
        else:
            name, street, postal, city = row.venue, row.street_address, row.postal_code, row.city
        if row.online:
            place = f"Online ({row.online_platform})" if row.online_platform else "Online"
        else:
            place = ", ".join(part for part in (name, city) if part)
        venue = None
        if row.venue_id is not None and not row.online:
            address = Address(name, street, postal, city)
            venue = VenueDetails(name, address.line, row.route, row.parking, row.step_free, row.hearing_loop,
                                 address.map_url)
        cents = row.price_cents_override if row.price_cents_override is not None else offering.price_cents
        first = sessions[0] if sessions else None
        part = EditionPart(
            id=edition_id, start_iso=row.start_date.isoformat(), start_label=label(row.start_date, "EEE d MMMM y"),
            start_short=label(row.start_date),
            sessions=tuple(Session(s.day.isoformat(), label(s.day, "EEE d MMMM y")) for s in sessions)
            if len(sessions) > 1 else (),
            time_range=Markup('<span class="time-range">{}–{}</span>').format(
                dutch_time(first.start_time), dutch_time(first.end_time)) if first else None,
            closes_label=label(closes_on), closed_by_date=today > closes_on, place=place, venue=venue,
            price=pricing.price_text(offering, cents),
            discounts=tuple(pricing.discount_label(d) for d in discounts.get(edition_id, [])),
            enrol_url=enrol(edition_id), waiting_url=waiting(edition_id))
        found.append((part, _JsonEdition(row, sessions, place, (name, street, postal, city), cents, closes_on)))
    return found


class _JsonEdition:
    """What jsonld.offering_data reads of an edition."""
    __slots__ = ("id", "online", "place", "address", "start_date", "sessions", "price", "closes_on")

    def __init__(self, row, sessions, place, address, cents, closes_on):
        self.id, self.online, self.place, self.start_date = row.id, row.online, place, row.start_date
        self.address, self.sessions, self.price, self.closes_on = address, sessions, cents, closes_on
