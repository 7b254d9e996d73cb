"""Catalogue tables: themes, offerings (courses, trainings, year programmes, congresses),
editions and their session dates, and the venues editions are held at."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer,
                        Numeric, String, Table, Text, Time, TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..pagecache import track_content
from ..clock import utcnow
from ..extensions import db
from ..labels import labelled


@labelled
class OfferingType(enum.StrEnum):
    CURSUS = "cursus"
    OPLEIDING = "opleiding"
    JAAROPLEIDING = "jaaropleiding"
    CONGRES = "congres"

    @property
    def label(self) -> str:
        return {"cursus": "Cursus", "opleiding": "Opleiding", "jaaropleiding": "Jaaropleiding",
                "congres": "Congres"}[self.value]

    @property
    def plural(self) -> str:
        return {"cursus": "Cursussen", "opleiding": "Opleidingen",
                "jaaropleiding": "Jaaropleidingen", "congres": "Congressen"}[self.value]

    @property
    def noun(self) -> str:
        """The word in running text: 'cursus', 'congres'."""
        return self.value

    @property
    def this_noun(self) -> str:
        """'deze cursus', 'dit congres' (het-words take 'dit')."""
        return f"{'dit' if self is OfferingType.CONGRES else 'deze'} {self.noun}"


@labelled
class EditionStatus(enum.StrEnum):
    OPEN = "open"
    VOL = "vol"
    GEANNULEERD = "geannuleerd"

    @property
    def label(self) -> str:
        return {"open": "Open", "vol": "Vol", "geannuleerd": "Geannuleerd"}[self.value]


offering_theme = Table(
    "offering_theme",
    db.metadata,
    Column("offering_id", ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Theme(db.Model):
    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")

    offerings: Mapped[list["Offering"]] = relationship(
        secondary=offering_theme, back_populates="themes", lazy="raise_on_sql", viewonly=True)

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


class Offering(db.Model):
    __tablename__ = "offering"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[OfferingType] = mapped_column(String(20), index=True)
    teaser: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    learning_outcomes: Mapped[str] = mapped_column(Text, default="")  # one outcome per line
    audience: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(120), default="")
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    accreditation: Mapped[str] = mapped_column(String(200), default="")
    # how the price reads (sbo.catalogue.pricing): "excl", "incl" or "vrijgesteld" (CRKBO)
    vat_status: Mapped[str] = mapped_column(String(12), default="excl")
    included: Mapped[str] = mapped_column(String(100), default="")  # keys of pricing.INCLUSIONS, space-separated
    included_note: Mapped[str] = mapped_column(String(200), default="")  # "en een boek naar keuze"
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Lower-case, diacritics-free copies for full-text search (kept by sbo.catalogue.search).
    search_title: Mapped[str] = mapped_column(Text, default="")
    search_body: Mapped[str] = mapped_column(Text, default="")
    # the start of the first upcoming, not cancelled edition; 9999-12-31 when there is none
    # (derived, kept by sbo/catalogue/facets.py: the catalogue's order without reading editions)
    next_start_date: Mapped[date] = mapped_column(Date, default=date(9999, 12, 31),
                                                  server_default="9999-12-31")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        secondary=offering_theme, back_populates="offerings", order_by="Theme.name")
    editions: Mapped[list["Edition"]] = relationship(
        back_populates="offering", order_by="Edition.start_date", cascade="all, delete-orphan")
    accreditations: Mapped[list["Accreditation"]] = relationship(
        back_populates="offering", order_by="Accreditation.id", cascade="all, delete-orphan")
    # at most one contact person (offering_contact's primary key is the offering)
    contact: Mapped["ContactPerson | None"] = relationship(secondary="offering_contact", uselist=False)
    # the programme per day and the trainers (sbo/catalogue/programme.py, trainers.py)
    programme_items: Mapped[list["ProgrammeItem"]] = relationship(
        back_populates="offering", order_by=lambda: [ProgrammeItem.day, ProgrammeItem.position, ProgrammeItem.id],
        cascade="all, delete-orphan")
    trainers: Mapped[list["Trainer"]] = relationship(
        secondary="offering_trainer", back_populates="offerings", order_by="Trainer.name")

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        # covering indexes of the catalogue listing (issue 18): the type facet and the page of
        # ids in title order read these instead of the wide offering rows
        Index("ix_offering_type_published", "type", "published"),
        Index("ix_offering_published_title", "published", "title"),
        # at 20,000 offerings (migration scale_0001): the facets' "published offerings"
        # subquery, and the staff list in title order
        Index("ix_offering_published_id", "published", "id"),
        Index("ix_offering_title_id", "title", "id"),
        # the catalogue in date order, a page at a time (issue 18, migration scale_0003); the
        # roll-over finds the offerings whose next date has passed in it too
        Index("ix_offering_published_next", "published", "next_start_date", "title", "id"),
        Index("ix_offering_published_type_next", "published", "type", "next_start_date", "title", "id"),
        Index("ix_offering_next_start_date", "next_start_date"),
    )

    @property
    def kind(self) -> OfferingType:
        """The type as an OfferingType (the column holds its plain value)."""
        return OfferingType(self.type)

    def __repr__(self) -> str:
        return f"<Offering {self.slug}>"


offering_contact = Table(
    "offering_contact",
    db.metadata,
    Column("offering_id", ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_person_id", ForeignKey("contact_person.id", ondelete="CASCADE"), nullable=False, index=True),
)


class ContactPerson(db.Model):
    """Whom a buyer can call about an offering, kept by staff (sbo.catalogue.contacts)."""
    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")  # "Opleidingsadviseur"
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    photo: Mapped[str] = mapped_column(String(80), default="")  # a stored file name in uploads/contacts
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ContactPerson {self.id}>"


class Discount(db.Model):
    """A discount staff set on an offering, or on one of its editions (which then wins over the
    offering's discount of the same kind): a group discount from `min_participants`, or an
    early-bird discount until `valid_until` (inclusive). Per person: a percentage or an amount."""
    __tablename__ = "discount"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # "group" or "early_bird"
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # euros per person
    min_participants: Mapped[int | None] = mapped_column(Integer)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("kind IN ('group', 'early_bird')", name="kind_known"),
        CheckConstraint("(percent IS NULL) <> (amount IS NULL)", name="percent_or_amount"),
        CheckConstraint("percent IS NULL OR (percent > 0 AND percent <= 100)", name="percent_in_range"),
        CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
        CheckConstraint("kind <> 'group' OR min_participants >= 2", name="group_has_minimum"),
        CheckConstraint("kind <> 'early_bird' OR valid_until IS NOT NULL", name="early_bird_has_date"),
    )


class Venue(db.Model):
    """A place editions are held at, kept by staff: the address, how to get there, and what it
    offers people who need step-free access or a hearing loop."""
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street_address: Mapped[str] = mapped_column(String(200), default="")  # "Jaarbeursplein 6"
    postal_code: Mapped[str] = mapped_column(String(10), default="")  # "3521 AL"
    city: Mapped[str] = mapped_column(String(100))
    route: Mapped[str] = mapped_column(Text, default="")  # by public transport, on foot
    parking: Mapped[str] = mapped_column(Text, default="")
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def address(self) -> "Address":
        return Address(self.name, self.street_address, self.postal_code, self.city)

    def __repr__(self) -> str:
        return f"<Venue {self.id} {self.name}>"


@dataclass(frozen=True)
class Address:
    """Where an edition is held: from its venue, or from the edition's own free-text fields."""
    name: str
    street_address: str
    postal_code: str
    city: str

    @property
    def line(self) -> str:
        """'Jaarbeursplein 6, 3521 AL Utrecht' (the parts that are known)."""
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street_address, town) if part)

    @property
    def map_url(self) -> str:
        """An OpenStreetMap search for the address: a plain link, nothing embedded."""
        query = self.line if self.street_address else ", ".join(p for p in (self.name, self.city) if p)
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


class Edition(db.Model):
    """One run of an offering: dates, place, seats. `seats_taken` counts confirmed and held
    participants and is only changed by atomic UPDATEs in the enrolment services."""
    __tablename__ = "edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    street_address: Mapped[str] = mapped_column(String(200), default="")  # "Jaarbeursplein 6"
    postal_code: Mapped[str] = mapped_column(String(10), default="")  # "3521 AL"
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    online_platform: Mapped[str] = mapped_column(String(60), default="")  # "Teams", "Zoom"
    # when set, the venue's name and address win over the free-text fields above
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="RESTRICT"), index=True)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[EditionStatus] = mapped_column(String(20), default=EditionStatus.OPEN, index=True)
    price_cents_override: Mapped[int | None] = mapped_column(Integer)
    # the last day to enrol; None: ENROLMENT_DEADLINE_DAYS before the start (see enrolment_closes_on)
    enrolment_deadline: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    offering: Mapped[Offering] = relationship(back_populates="editions")
    location: Mapped[Venue | None] = relationship(lazy="joined")
    sessions: Mapped[list["SessionDate"]] = relationship(
        back_populates="edition", order_by="SessionDate.day", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        # the next upcoming date of an offering (the catalogue's order) is one seek, and the
        # month and place facets read the upcoming editions without touching the table
        Index("ix_edition_offering_start", "offering_id", "start_date", "status", "online", "city"),
        # the staff dashboard counts the upcoming editions in this index alone (issue 18)
        Index("ix_edition_start_status", "start_date", "status"),
    )

    @property
    def price(self) -> int:
        return self.price_cents_override if self.price_cents_override is not None else self.offering.price_cents

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def enrolment_closes_on(self) -> date:
        """The last (Dutch) day one can enrol, inclusive: the edition's own deadline or
        ENROLMENT_DEADLINE_DAYS before the start, and never later than the day before it."""
        deadline = self.enrolment_deadline or self.start_date - timedelta(
            days=int(current_app.config["ENROLMENT_DEADLINE_DAYS"]))
        return min(deadline, self.start_date - timedelta(days=1))

    def enrolment_closed(self, on: date) -> bool:
        """The deadline has passed on the day `on`."""
        return on > self.enrolment_closes_on

    @property
    def address(self) -> Address:
        if self.location is not None:
            return self.location.address
        return Address(self.venue, self.street_address, self.postal_code, self.city)

    @property
    def place(self) -> str:
        """'Jaarbeurs Meeting Center, Utrecht', or 'Online (Teams)'."""
        if self.online:
            return f"Online ({self.online_platform})" if self.online_platform else "Online"
        address = self.address
        return ", ".join(part for part in (address.name, address.city) if part)

    @property
    def location_line(self) -> str:
        """The place for a calendar: the venue's name and full address when the edition has a
        venue, else the place as shown ('Hotel Zuid, Utrecht')."""
        if self.online or self.location is None:
            return self.place
        address = self.address
        return ", ".join(part for part in (address.name, address.line) if part)

    def __repr__(self) -> str:
        return f"<Edition {self.offering_id} {self.start_date}>"


class FacetCount(db.Model):
    """How many published offerings fall in a cell: kept by sbo/catalogue/facets.py (see there)."""
    __tablename__ = "catalogue_facet_count"

    theme_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    place: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_catalogue_facet_count_month_place", "month", "place"),)


class FacetSource(db.Model):
    """What an offering was counted with: its cells follow from these (`cells`)."""
    __tablename__ = "catalogue_facet_offering"

    offering_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published: Mapped[bool] = mapped_column(Boolean)
    type: Mapped[str] = mapped_column(String(20))
    theme_ids: Mapped[str] = mapped_column(Text, default="")  # "3 7"
    slots: Mapped[str] = mapped_column(Text, default="")  # "2027-03\tUtrecht\n2027-04\tonline"
    upcoming: Mapped[int] = mapped_column(Integer, default=0)  # upcoming editions


class CatalogueTotal(db.Model):
    """'published', 'unpublished' (offerings) and 'upcoming' (editions not cancelled)."""
    __tablename__ = "catalogue_total"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class SessionDate(db.Model):
    """One day of an edition (a course of five days has five rows)."""
    __tablename__ = "session_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time, default=time(9, 30))
    end_time: Mapped[time] = mapped_column(Time, default=time(16, 30))

    edition: Mapped[Edition] = relationship(back_populates="sessions")


class Hundredths(TypeDecorator):
    """An exact Decimal with two places (points, hours), stored as an integer number of
    hundredths: no float on SQLite, the same on PostgreSQL."""
    impl = Integer
    cache_ok = True
    STEP = Decimal("0.01")

    def process_bind_param(self, value, dialect):
        return None if value is None else int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(self.STEP)


def number_matches(pattern: str | None, number: str) -> bool:
    """Whether a registration number has a register's format (a regular expression the whole
    number must match; no pattern: anything goes)."""
    return not pattern or re.fullmatch(pattern, number) is not None


class Register(db.Model):
    """A professional register that awards permanent-education points (NOvA, BOA-register,
    Register Integriteit): how its registration numbers look, and how the provider is known
    to it (printed on certificates)."""
    __tablename__ = "register"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str] = mapped_column(String(40))
    # a regular expression a whole registration number must match ("" = anything)
    number_pattern: Mapped[str] = mapped_column(String(200), default="")
    number_hint: Mapped[str] = mapped_column(String(200), default="")  # "zes cijfers, bijv. 123456"
    provider_details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def number_valid(self, number: str) -> bool:
        return number_matches(self.number_pattern, number)

    def __repr__(self) -> str:
        return f"<Register {self.short_name}>"


class Accreditation(db.Model):
    """An offering accredited by a register: the points it awards and the net hours it counts."""
    __tablename__ = "accreditation"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"))
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id", ondelete="RESTRICT"), index=True)
    points: Mapped[Decimal] = mapped_column(Hundredths)
    net_hours: Mapped[Decimal] = mapped_column(Hundredths)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    offering: Mapped[Offering] = relationship(back_populates="accreditations")
    register: Mapped[Register] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("offering_id", "register_id", name="uq_accreditation_offering_register"),
        CheckConstraint("points >= 0 AND net_hours >= 0", name="accreditation_not_negative"),
    )


from . import search as _search  # noqa: E402  (keeps the search columns and index in step)
from .programme import ProgrammeItem, programme_item_trainer  # noqa: E402
from .trainers import Trainer, offering_trainer  # noqa: E402

_search.register(Offering)

# Every public catalogue page is drawn from these: a change makes the page cache stale.
track_content(Theme, Offering, Edition, SessionDate, Venue, ContactPerson, Discount, offering_theme,
              offering_contact, Register, Accreditation, ProgrammeItem, Trainer, offering_trainer,
              programme_item_trainer)
