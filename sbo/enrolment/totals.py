"""What a booking costs: the catalogue's quote (sbo.catalogue.pricing) for the booking's
number of participants, on the day it was made (an early-bird discount is the booking date's)."""
from __future__ import annotations

from datetime import date

from .. import clock
from ..catalogue.models import Edition
from ..catalogue.pricing import Quote, discounts_for, quote
from ..pagecache.memo import content_memo
from .models import Booking


def booking_quote(booking: Booking, participants: int) -> Quote:
    return quote(booking.edition, participants, clock.today(booking.created_at))


def form_quotes(edition: Edition, most: int, on: date) -> tuple[Quote, ...]:
    """The totals the form can show: for 1 (the booker alone) up to `most` participants.
    Computed once per content generation and day (price, VAT status and discounts are tracked
    content; an early-bird discount ends with a day): every GET of the form shows them."""
    def compute() -> tuple[Quote, ...]:
        discounts = discounts_for(edition)
        return tuple(quote(edition, n, on, discounts) for n in range(1, most + 1))
    return content_memo("enrolment.form_quotes", (edition.id, most, on), compute)
