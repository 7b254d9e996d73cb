"""Catalogue rules: creating and changing offerings, their editions and themes.

Plain functions with explicit arguments; they flush and never commit (the view does). Each one
that staff use writes its own audit entry (sbo.audit.log_action; `actor` is the staff account,
None for the system). Other domains hear about new and cancelled editions through the signals
`edition_created` and `edition_cancelled` (sbo/signals.py), sent inside the caller's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from ..audit import log_action
from ..extensions import db
from ..slugs import check_slug, slugify, unique_slug
from ..signals import edition_cancelled, edition_created, edition_seats_added, told
from .contacts import set_offering_contact
from .models import Edition, EditionStatus, Offering, OfferingType, SessionDate, Theme, Venue
from .pricing import INCLUSIONS, VatStatus


class CapacityBelowSeatsTaken(Exception):
    """The capacity cannot be lower than the number of seats already taken."""

    def __init__(self, seats_taken: int):
        super().__init__(seats_taken)
        self.seats_taken = seats_taken


MIN_CAPACITY = 1


class CapacityTooLow(Exception):
    """An edition has at least MIN_CAPACITY places."""


class EditionCancelled(Exception):
    """A cancelled edition cannot be changed any more."""


@dataclass
class OfferingData:
    title: str
    type: OfferingType
    teaser: str
    price_cents: int
    slug: str = ""
    description: str = ""
    learning_outcomes: str = ""
    audience: str = ""
    duration: str = ""
    accreditation: str = ""
    published: bool = True
    theme_ids: tuple[int, ...] = ()
    vat_status: str = "excl"  # pricing.VatStatus
    included: tuple[str, ...] = ()  # keys of pricing.INCLUSIONS
    included_note: str = ""
    contact_person_id: int | None = None


# What an offering's audit entry lists as changed (besides its themes and contact person).
OFFERING_FIELDS = ("title", "slug", "type", "teaser", "description", "learning_outcomes", "audience",
                   "duration", "accreditation", "price_cents", "published", "vat_status", "included",
                   "included_note")


def _offering_state(offering: Offering) -> dict:
    state = {name: getattr(offering, name) for name in OFFERING_FIELDS}
    state["themes"] = sorted(t.id for t in offering.themes)
    state["contact"] = offering.contact.id if offering.contact else None
    return state


def _changes(before: dict, after: dict) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


def _log_offering(action: str, offering: Offering, actor, **data) -> None:
    log_action(action, "offering", offering.id, actor=actor, data={"title": offering.title, **data})


def _apply(offering: Offering, data: OfferingData) -> None:
    for name in ("title", "teaser", "description", "learning_outcomes", "audience",
                 "duration", "accreditation"):
        setattr(offering, name, getattr(data, name).strip())
    offering.type = OfferingType(data.type)
    offering.price_cents = data.price_cents
    offering.vat_status = VatStatus(data.vat_status).value
    offering.included = " ".join(key for key in INCLUSIONS if key in set(data.included))
    offering.included_note = data.included_note.strip()
    offering.published = data.published
    ids = set(data.theme_ids)
    offering.themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(ids)))) if ids else []


def create_offering(data: OfferingData, *, actor=None) -> Offering:
    """A new offering; the slug comes from the title when none is given."""
    if data.slug:
        check_slug(Offering, data.slug, None)
        slug = data.slug
    else:
        slug = unique_slug(Offering, slugify(data.title), 160)
    offering = Offering(slug=slug)
    _apply(offering, data)
    db.session.add(offering)
    db.session.flush()
    set_offering_contact(offering, data.contact_person_id)
    _log_offering("offering.created", offering, actor)
    return offering


def update_offering(offering: Offering, data: OfferingData, *, actor=None) -> bool:
    """Change an offering. The slug stays as it is unless a new one is given explicitly.
    Returns True when the change published or unpublished it."""
    before = _offering_state(offering)
    if data.slug and data.slug != offering.slug:
        check_slug(Offering, data.slug, offering.id)
        offering.slug = data.slug
    was_published = offering.published
    _apply(offering, data)
    db.session.flush()
    set_offering_contact(offering, data.contact_person_id)
    _log_offering("offering.updated", offering, actor, changed=_changes(before, _offering_state(offering)))
    if was_published != offering.published:
        _log_publication(offering, actor)
    return was_published != offering.published


def set_published(offering: Offering, published: bool, *, actor=None) -> bool:
    """Put an offering online or take it offline; False when it already was."""
    if offering.published == published:
        return False
    offering.published = published
    db.session.flush()
    _log_publication(offering, actor)
    return True


def _log_publication(offering: Offering, actor) -> None:
    _log_offering("offering.republished" if offering.published else "offering.unpublished", offering, actor)


@dataclass
class EditionData:
    days: list[date]
    start_time: time
    end_time: time
    capacity: int
    venue: str = ""
    city: str = ""
    street_address: str = ""
    postal_code: str = ""
    online: bool = False
    price_cents_override: int | None = None
    enrolment_deadline: date | None = None  # None: ENROLMENT_DEADLINE_DAYS before the start
    venue_id: int | None = None  # a Venue: its name and address win over the free-text fields
    online_platform: str = ""  # "Teams", "Zoom"
    # a higher capacity sends edition_seats_added: the enrolment domain offers the new seats to
    # the waiting list in order (off: staff offer them by hand, out of turn)
    offer_new_seats: bool = True


def _edition_state(edition: Edition) -> dict:
    """What an edition's audit entries hold: ids, dates, counts, the city (no street address)."""
    first = edition.sessions[0] if edition.sessions else None
    return {"offering_id": edition.offering_id,
            "dates": [day.isoformat() for day in sorted(s.day for s in edition.sessions)],
            "times": [first.start_time.isoformat(), first.end_time.isoformat()] if first else [],
            "venue": edition.venue, "city": edition.city, "street_address": edition.street_address,
            "postal_code": edition.postal_code, "online": edition.online, "capacity": edition.capacity,
            "venue_id": edition.venue_id, "online_platform": edition.online_platform,
            "price_cents_override": edition.price_cents_override,
            "enrolment_deadline": edition.enrolment_deadline.isoformat() if edition.enrolment_deadline else None}


def _edition_data(state: dict, **data) -> dict:
    return {**{key: state[key] for key in ("offering_id", "dates", "city", "online", "capacity")}, **data}


def _apply_edition(edition: Edition, data: EditionData) -> None:
    edition.start_date = min(data.days)
    edition.venue = data.venue.strip()
    edition.city = data.city.strip()
    edition.street_address = data.street_address.strip()
    edition.postal_code = data.postal_code.strip()
    edition.online = data.online
    edition.online_platform = data.online_platform.strip()
    with db.session.no_autoflush:  # the edition may be half set up
        edition.location = db.session.get(Venue, data.venue_id) if data.venue_id else None
    if edition.location is not None:  # the place facet and search read edition.city
        edition.city = edition.location.city
    edition.capacity = data.capacity
    edition.price_cents_override = data.price_cents_override
    edition.enrolment_deadline = data.enrolment_deadline
    existing = {s.day: s for s in edition.sessions}
    edition.sessions = [existing.get(day) or SessionDate(day=day) for day in sorted(data.days)]
    for session in edition.sessions:
        session.start_time, session.end_time = data.start_time, data.end_time


def create_edition(offering: Offering, data: EditionData, *, actor=None) -> tuple[Edition, int]:
    """A new open edition; sends `edition_created`. Returns the edition and how many people
    the receivers mailed about it (interested people, queued in this same transaction)."""
    if data.capacity < MIN_CAPACITY:
        raise CapacityTooLow()
    edition = Edition(offering=offering, seats_taken=0, status=EditionStatus.OPEN)
    _apply_edition(edition, data)
    db.session.add(edition)
    db.session.flush()
    mailed = told(edition_created.send(edition))
    log_action("edition.created", "edition", edition.id, actor=actor,
               data=_edition_data(_edition_state(edition), mailed=mailed))
    return edition, mailed


def update_edition(edition: Edition, data: EditionData, *, actor=None) -> int:
    """Change dates, place, capacity or price. The capacity never goes below the seats taken;
    an open edition whose seats are all taken becomes 'vol' and the other way round. Returns
    how many waiting people were offered one of the seats a higher capacity added (0 when none
    were, or data.offer_new_seats is off)."""
    if edition.status == EditionStatus.GEANNULEERD:
        raise EditionCancelled()
    # re-read seats_taken: enrolments change it with atomic UPDATEs behind our back
    db.session.refresh(edition, ["seats_taken"])
    if data.capacity < MIN_CAPACITY:
        raise CapacityTooLow()
    if data.capacity < edition.seats_taken:
        raise CapacityBelowSeatsTaken(edition.seats_taken)
    before = _edition_state(edition)
    raised = data.capacity > edition.capacity
    _apply_edition(edition, data)
    edition.status = EditionStatus.VOL if edition.seats_taken >= edition.capacity else EditionStatus.OPEN
    db.session.flush()
    after = _edition_state(edition)
    log_action("edition.updated", "edition", edition.id, actor=actor,
               data=_edition_data(after, changed=_changes(before, after)))
    if raised and data.offer_new_seats and edition.status == EditionStatus.OPEN:
        return told(edition_seats_added.send(edition))
    return 0


def cancel_edition(edition: Edition, *, actor=None) -> int | None:
    """Mark an edition cancelled and send `edition_cancelled` (the enrolment domain cancels the
    enrolments and tells the participants). Returns how many people the receivers told, or
    None when the edition already was cancelled (then nothing is sent)."""
    if edition.status == EditionStatus.GEANNULEERD:
        return None
    edition.status = EditionStatus.GEANNULEERD
    db.session.flush()
    notified = told(edition_cancelled.send(edition))
    log_action("edition.cancelled", "edition", edition.id, actor=actor,
               data={"offering_id": edition.offering_id, "start_date": edition.start_date.isoformat(),
                     "notified": notified})
    return notified


def create_theme(name: str, description: str, slug: str, *, actor=None) -> Theme:
    if slug:
        check_slug(Theme, slug, None)
    else:
        slug = unique_slug(Theme, slugify(name, 80), 80)
    theme = Theme(name=name.strip(), description=description.strip(), slug=slug)
    db.session.add(theme)
    db.session.flush()
    log_action("theme.created", "theme", theme.id, actor=actor, data={"name": theme.name})
    return theme


def update_theme(theme: Theme, name: str, description: str, slug: str, *, actor=None) -> None:
    before = {"name": theme.name, "description": theme.description, "slug": theme.slug}
    if slug and slug != theme.slug:
        check_slug(Theme, slug, theme.id)
        theme.slug = slug
    theme.name, theme.description = name.strip(), description.strip()
    db.session.flush()
    after = {"name": theme.name, "description": theme.description, "slug": theme.slug}
    log_action("theme.updated", "theme", theme.id, actor=actor,
               data={"name": theme.name, "changed": _changes(before, after)})
