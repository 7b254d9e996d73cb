"""Enrolment tables: bookings (who booked, invoice details), one enrolment per participant,
and registrations of interest in an offering (with the notifications sent about new editions)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Edition, Offering, Register
from ..clock import utcnow
from ..email_address import normalise_email
from ..extensions import db
from ..labels import labelled


def first_word(name: str | None) -> str:
    """'Anna de Vries' -> 'Anna': the first name, to greet someone by."""
    return (name or "").split(maxsplit=1)[0] if (name or "").strip() else ""


@labelled
class EnrolmentStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    # a seat held for a booking whose booker has not yet clicked the confirmation link;
    # held seats are taken seats (edition.seats_taken counts them) until the hold expires
    HELD = "held"
    # a waiting person was offered a freed seat (offers.py): the seat is held for them until
    # they accept, decline or the offer lapses
    OFFERED = "offered"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"confirmed": "Bevestigd", "held": "Onbevestigd", "offered": "Plaats aangeboden",
                "waiting": "Wachtlijst",
                "cancelled": "Geannuleerd"}[self.value]


# the statuses that occupy one of the edition's seats (edition.seats_taken counts them)
SEATED = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.HELD, EnrolmentStatus.OFFERED)


class Booking(db.Model):
    """One submitted enrolment form: the booker, the invoice details, and the participants."""
    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(30), default="")
    organisation: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    invoice_address: Mapped[str] = mapped_column(String(200), default="")
    invoice_postcode: Mapped[str] = mapped_column(String(10), default="")
    invoice_city: Mapped[str] = mapped_column(String(100), default="")
    po_number: Mapped[str] = mapped_column(String(60), default="")
    cost_centre: Mapped[str] = mapped_column(String(60), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Consent: a booking holds its seats (enrolments "held") until the booker clicks the link
    # mailed to their address; nobody else is mailed before that. Unconfirmed bookings are
    # removed at hold_expires_at (services.expire_holds) and their seats freed.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    hold_expires_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # A waiting booking may wait for any date of the offering (optionally only in one city or
    # one month "2027-03"): a seat freed in any matching edition is offered to it (offers.py),
    # and it moves to that edition when it is offered.
    wait_any_date: Mapped[bool] = mapped_column(default=False)
    wait_city: Mapped[str] = mapped_column(String(100), default="")
    wait_month: Mapped[str] = mapped_column(String(7), default="")

    edition: Mapped[Edition] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Enrolment(db.Model):
    """One participant in one edition. A confirmed or held enrolment occupies one of the
    edition's seats (counted in edition.seats_taken); waiting enrolments are served in id order."""
    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    # indexed by the unique constraint and the (edition, status) index below
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    status: Mapped[EnrolmentStatus] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by_staff: Mapped[bool] = mapped_column(default=False)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    # set when a substitute took over the seat: who held it before
    replaced_email: Mapped[str | None] = mapped_column(String(320))

    booking: Mapped[Booking] = relationship()
    edition: Mapped[Edition] = relationship()

    __table_args__ = (
        UniqueConstraint("edition_id", "email", name="uq_enrolment_edition_email"),
        Index("ix_enrolment_edition_status", "edition_id", "status", "id"),  # waiting list order
        Index("ix_enrolment_reminder_due", "status", "reminder_sent_at"),
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_booker(self) -> bool:
        """The participant who filled in the booking (its address is the booking's): their link
        shows and manages the whole booking. A substitute for the booker is not the booker."""
        return normalise_email(self.email) == normalise_email(self.booking.email)

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.status}>"


@labelled
class InterestStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the double opt-in click
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"

    @property
    def label(self) -> str:
        return {"pending": "Nog niet bevestigd", "active": "Actief", "unsubscribed": "Afgemeld"}[self.value]


class InterestRegistration(db.Model):
    """'Houd mij op de hoogte' for one offering: mailed when a new edition is added."""
    __tablename__ = "interest_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    preferred_city: Mapped[str] = mapped_column(String(100), default="")
    preferred_month: Mapped[str] = mapped_column(String(7), default="")  # "2027-03"
    status: Mapped[InterestStatus] = mapped_column(String(12), default=InterestStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime)

    offering: Mapped[Offering] = relationship()

    __table_args__ = (UniqueConstraint("offering_id", "email", name="uq_interest_offering_email"),)

    @property
    def first_name(self) -> str:
        """The form asks one name; mails greet by its first word ("Beste Anna,")."""
        return first_word(self.name)


class InterestNotification(db.Model):
    """Records that one interested person was mailed about one edition (at most once)."""
    __tablename__ = "interest_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("interest_registration.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("registration_id", "edition_id",
                                       name="uq_interest_notification_registration_edition"),)


@labelled
class OfferState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"  # the people it was for cancelled, or the edition was cancelled

    @property
    def label(self) -> str:
        return {"open": "Open", "accepted": "Aangenomen", "declined": "Afgeslagen",
                "lapsed": "Verlopen", "withdrawn": "Ingetrokken"}[self.value]


class Offer(db.Model):
    """Freed seats offered to a waiting booking (all its waiting people at once), held for it
    until it accepts, declines or the offer lapses (offers.py). Rows stay as the history."""
    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    seats: Mapped[int] = mapped_column()
    state: Mapped[OfferState] = mapped_column(String(12), default=OfferState.OPEN)
    by_staff: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    booking: Mapped[Booking] = relationship()
    edition: Mapped[Edition] = relationship()

    __table_args__ = (
        Index("ix_offer_edition_state", "edition_id", "state"),
        Index("ix_offer_state_expires", "state", "expires_at"),
    )

    @property
    def is_open(self) -> bool:
        return self.state == OfferState.OPEN


class PersonalLink(db.Model):
    """One personal link sent in a mail (sbo/enrolment/links.py): only the hash of its random
    token is kept, with what it opens. Deleting the row revokes the link. When the row it
    opened is deleted the target becomes NULL: the link then says what happened (a booking
    whose hold expired) or that it is unknown, as before."""
    __tablename__ = "personal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(24))  # a key of sbo.tokens.MAX_AGE_KEYS
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment.id", ondelete="SET NULL"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("interest_registration.id", ondelete="SET NULL"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offer.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # set when the enrolment's holder gave the place to a substitute: the link shows that (410)
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime)


class RegistrationNumber(db.Model):
    """A participant's number in a register that accredits the offering (for their PE points)."""
    __tablename__ = "registration_number"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"))
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    register: Mapped[Register] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("enrolment_id", "register_id",
                                       name="uq_registration_number_enrolment_register"),)
