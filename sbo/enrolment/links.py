"""The personal links in the enrolment domain's mails: manage an enrolment, confirm a booking,
confirm or end an interest registration, accept or decline a waiting-list offer. Each mail gets its own random token
(sbo.tokens.opaque_token); only its hash is stored, in a PersonalLink row naming what it opens.
So a link reveals nothing (no address, no id), expires after its purpose's lifetime counted from
the mail it came in (as the signed links before it), and is revoked by deleting its row.

Revoking: a substitution marks the old holder's links handed over (they show "Je plaats is
overgedragen", 410); `revoke` removes every link to a row (an erasure, see personal_data.py).
A cancelled enrolment keeps its links: they show the cancellation.
"""
from __future__ import annotations

from sqlalchemy import delete, select, update

from .. import clock
from ..extensions import db
from ..tokens import (ExpiredToken, InvalidToken, link_expired, opaque_token, read_legacy_token,
                      token_hash)
from .models import Booking, Enrolment, InterestRegistration, Offer, PersonalLink


class HandedOver(InvalidToken):
    """The link's holder gave their place to a substitute; the link is theirs no more."""

    def __init__(self, enrolment: Enrolment):
        super().__init__()
        self.enrolment = enrolment


def _issue(purpose: str, **target: int) -> str:
    token = opaque_token(32)
    db.session.add(PersonalLink(purpose=purpose, token_hash=token_hash(token),
                                created_at=clock.utcnow(), **target))
    return token


def enrolment_token(enrolment: Enrolment) -> str:
    """A new link token for the manage page of `enrolment` (which must have an id)."""
    return _issue("enrolment", enrolment_id=enrolment.id)


def booking_token(booking: Booking) -> str:
    return _issue("booking-confirm", booking_id=booking.id)


def offer_token(offer: Offer) -> str:
    return _issue("offer", offer_id=offer.id)


def open_offer(token: str) -> Offer:
    """The offer behind an offer link; InvalidToken when unknown or revoked, ExpiredToken when old."""
    link = _find("offer", token)
    offer = db.session.get(Offer, link.offer_id) if link is not None and link.offer_id else None
    if offer is None:
        raise InvalidToken()
    return offer


def interest_token(purpose: str, registration: InterestRegistration) -> str:
    """`purpose`: "interest-confirm" or "interest-unsubscribe"."""
    return _issue(purpose, registration_id=registration.id)


def _find(purpose: str, token: str) -> PersonalLink | None:
    """The link behind `token`, None when it is not one of ours. ExpiredToken when too old."""
    link = db.session.scalar(select(PersonalLink).where(PersonalLink.token_hash == token_hash(token),
                                                        PersonalLink.purpose == purpose))
    if link is not None and link_expired(purpose, link.created_at):
        raise ExpiredToken()
    return link


def open_enrolment(token: str) -> Enrolment:
    """The enrolment behind a manage link; InvalidToken when it is unknown or revoked,
    ExpiredToken when too old, HandedOver when its holder gave the place to a substitute."""
    link = _find("enrolment", token)
    if link is None:
        return _legacy_enrolment(token)
    enrolment = db.session.get(Enrolment, link.enrolment_id) if link.enrolment_id else None
    if enrolment is None:
        raise InvalidToken()
    if link.handed_over_at is not None:
        raise HandedOver(enrolment)
    return enrolment


class NotYours(InvalidToken):
    """A link used for a participant it may not manage: the same answer as an unknown link."""


def open_participant(token: str, participant_id: int | None = None) -> tuple[Enrolment, Enrolment]:
    """(the holder of a manage link, the enrolment it acts on): the holder's own enrolment, or,
    with `participant_id`, another participant of the same booking when the holder is its
    booker. A colleague's link opens only the colleague's own enrolment (NotYours)."""
    holder = open_enrolment(token)
    if participant_id is None or participant_id == holder.id:
        return holder, holder
    participant = db.session.get(Enrolment, participant_id)
    if participant is None or participant.booking_id != holder.booking_id or not holder.is_booker:
        raise NotYours()
    return holder, participant


def open_booking(token: str) -> Booking | None:
    """The booking behind a confirmation link; None when it was removed (its hold expired)."""
    link = _find("booking-confirm", token)
    if link is None:
        booking_id, email = read_legacy_token("booking-confirm", token)
        booking = db.session.get(Booking, booking_id)
        return booking if booking is not None and booking.email == email else None
    return db.session.get(Booking, link.booking_id) if link.booking_id else None


def open_registration(purpose: str, token: str) -> InterestRegistration:
    link = _find(purpose, token)
    if link is None:
        registration_id, email = read_legacy_token(purpose, token)
        registration = db.session.get(InterestRegistration, registration_id)
        if registration is None or registration.email != email:
            raise InvalidToken()
        return registration
    registration = (db.session.get(InterestRegistration, link.registration_id)
                    if link.registration_id else None)
    if registration is None:
        raise InvalidToken()
    return registration


def _legacy_enrolment(token: str) -> Enrolment:
    enrolment_id, email = read_legacy_token("enrolment", token)
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is not None and enrolment.email != email and enrolment.replaced_email == email:
        raise HandedOver(enrolment)
    if enrolment is None or enrolment.email != email:
        raise InvalidToken()
    return enrolment


def hand_over(enrolment: Enrolment) -> None:
    """A substitute takes the place: the holder's links now say so; the links of whoever held
    it before them are revoked (only the last holder is told, as the page names the substitute)."""
    db.session.execute(delete(PersonalLink).where(PersonalLink.enrolment_id == enrolment.id,
                                                  PersonalLink.handed_over_at.is_not(None)))
    db.session.execute(update(PersonalLink).where(PersonalLink.enrolment_id == enrolment.id)
                       .values(handed_over_at=clock.utcnow()))


def revoke(*, enrolment_ids: list[int] = (), booking_ids: list[int] = (),
           registration_ids: list[int] = ()) -> int:
    """Delete every link to these rows (an erasure): they then say "Deze link klopt niet"."""
    conditions = [column.in_(ids) for column, ids in ((PersonalLink.enrolment_id, enrolment_ids),
                                                      (PersonalLink.booking_id, booking_ids),
                                                      (PersonalLink.registration_id, registration_ids))
                  if ids]
    if booking_ids:  # the offers made to these bookings
        conditions.append(PersonalLink.offer_id.in_(select(Offer.id).where(Offer.booking_id.in_(booking_ids))))
    removed = 0
    for condition in conditions:
        removed += db.session.execute(delete(PersonalLink).where(condition)).rowcount or 0
    return removed
