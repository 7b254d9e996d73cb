"""Venues staff manage: the queries and the services (create, change, delete). Like the rest of the
catalogue's services they flush and never commit, and each writes an audit entry with the
venue's id, name and the names of the changed fields."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound

from ..audit import log_action
from ..extensions import db
from . import facets
from .models import Edition, Venue
from .records import assign


class VenueInUse(Exception):
    """A venue that editions use cannot be deleted; `editions` are those editions."""

    def __init__(self, editions: list[Edition]):
        super().__init__(len(editions))
        self.editions = editions


@dataclass
class VenueData:
    name: str
    city: str
    street_address: str = ""
    postal_code: str = ""
    route: str = ""
    parking: str = ""
    step_free: bool = False
    hearing_loop: bool = False


def venues_by_name() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name, Venue.city)))


def venues_with_edition_counts() -> list[tuple[Venue, int]]:
    """Every venue, by name, with the number of editions held there (cancelled ones too)."""
    counts = (select(func.count()).select_from(Edition).where(Edition.venue_id == Venue.id)
              .correlate(Venue).scalar_subquery())
    return [(venue, n) for venue, n in db.session.execute(
        select(Venue, counts.label("editions")).order_by(Venue.name, Venue.city))]


def venue_or_404(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise NotFound()
    return venue


def _apply(venue: Venue, data: VenueData) -> list[str]:
    """Set the fields; returns the names of those that changed."""
    return assign(venue, data)


def create_venue(data: VenueData, *, actor=None) -> Venue:
    venue = Venue()
    _apply(venue, data)
    db.session.add(venue)
    db.session.flush()
    log_action("venue.created", "venue", venue.id, actor=actor, data={"name": venue.name, "city": venue.city})
    return venue


def update_venue(venue: Venue, data: VenueData, *, actor=None) -> list[str]:
    """Change a venue; its editions take over a new city (the place facet and search read
    edition.city). Returns the names of the changed fields."""
    changed = _apply(venue, data)
    db.session.flush()
    if "city" in changed:
        # the place facet counts these offerings again (not the whole catalogue, as after a
        # bulk statement it cannot read)
        facets.note_offerings(db.session(), db.session.scalars(
            select(Edition.offering_id).where(Edition.venue_id == venue.id).distinct()).all())
        db.session.execute(update(Edition).where(Edition.venue_id == venue.id).values(city=venue.city)
                           .execution_options(sbo_facets="noted"))
    log_action("venue.updated", "venue", venue.id, actor=actor,
               data={"name": venue.name, "city": venue.city, "changed": changed})
    return changed


def delete_venue(venue: Venue, *, actor=None) -> None:
    """Delete a venue that no edition uses (cancelled ones count); VenueInUse otherwise."""
    editions = list(db.session.scalars(
        select(Edition).options(joinedload(Edition.offering)).where(Edition.venue_id == venue.id)
        .order_by(Edition.start_date, Edition.id)))
    if editions:
        raise VenueInUse(editions)
    venue_id = venue.id
    db.session.delete(venue)
    db.session.flush()
    log_action("venue.deleted", "venue", venue_id, actor=actor, data={})
