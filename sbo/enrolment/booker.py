"""The booker's overview: the participant who filled in a booking sees and manages all of its
participants from their own link; each colleague's link manages only themselves
(links.open_participant decides). Here: telling the booker when a colleague changes their own
place, and sending a participant their confirmation again."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..mail_throttle import may_mail
from . import mails
from .models import Booking, Enrolment, EnrolmentStatus
from .queries import waiting_position


def participants(booking: Booking) -> list[Enrolment]:
    """Everyone on the booking, the booker first, then in order of enrolling."""
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.booking_id == booking.id)
                                    .order_by(Enrolment.id)).all()
    return sorted(enrolments, key=lambda e: not e.is_booker)


def tell_booker(colleague: Enrolment, change: str, *, name: str | None = None, **details) -> None:
    """A colleague (not the booker) changed their own place: mail the booker what happened,
    with a fresh link to their overview when they still hold a place on the booking.
    `name`: the colleague's name before the change (a substitution replaces it)."""
    booking = colleague.booking
    booker = next((e for e in participants(booking) if e.is_booker), None)
    booker_url = mails.manage_url(booker) if booker is not None else None
    mails.booker_told(booking, name or colleague.name, change, colleague.edition, booker_url, **details)


def resend_confirmation(enrolment: Enrolment) -> bool:
    """Send the participant their confirmation again, with a new personal link. At most once
    per period per address (mail_throttle); False when it was not sent for that reason."""
    if enrolment.status == EnrolmentStatus.CANCELLED or not may_mail("enrolment-resend", enrolment.email):
        return False
    mails.enrolment_received(enrolment, enrolment.booking, [], waiting_position(enrolment))
    return True
