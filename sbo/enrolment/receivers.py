"""How the enrolment domain reacts to the catalogue (signals in sbo/signals.py).

Connected once, at the import of this module (create_app imports it); weak=False because the
connection must outlive any caller that might hold the function. Each receiver runs in the
sender's transaction and returns how many people it mailed, for the sender's caller to report.
"""
from __future__ import annotations

from ..catalogue.models import Edition
from ..signals import edition_cancelled, edition_created, edition_seats_added
from .interest import notify_interested
from .services import cancel_enrolments, promote_waiting


def tell_interested(edition: Edition, **_kwargs) -> int:
    """A new edition: mail the people interested in its offering (queued in the outbox)."""
    return notify_interested(edition)


def cancel_participants(edition: Edition, **_kwargs) -> int:
    """A cancelled edition: cancel its enrolments, free the seats and tell the participants."""
    return cancel_enrolments(edition)


def offer_new_seats(edition: Edition, **_kwargs) -> int:
    """More seats: offer them to the waiting list in order (each booking is mailed its offer)."""
    return len(promote_waiting(edition))


edition_created.connect(tell_interested, weak=False)
edition_cancelled.connect(cancel_participants, weak=False)
edition_seats_added.connect(offer_new_seats, weak=False)
