"""The signals the domains send and receive (blinker, as Flask uses it).

The domain that acts sends (`edition_cancelled.send(edition)`); a domain that cares connects a
receiver in its own package (e.g. sbo/enrolment/receivers.py), so the acting domain never
imports the one that reacts. Receivers run inside the sender's transaction, after its flush:
they change state and flush, queue mail in the outbox, and never commit; the view (or command)
that called the service commits once, so a rollback undoes the reaction as well.

Connect at module import with `weak=False`; blinker keeps one connection per receiver, so a
module that is imported once (by create_app, however many apps the tests build) connects once.

`Signal.send` returns a list of (receiver, return value) pairs; `told(results)` adds up the
counts that receivers return.
"""
from __future__ import annotations

from typing import Any, Iterable

from blinker import Namespace

_signals = Namespace()

edition_created = _signals.signal("edition-created", doc="""\
Sent by catalogue.services.create_edition after a new edition is flushed.
sender: the Edition. No keyword arguments.
Receivers return the number of people they mailed about it (int), or None.""")

edition_cancelled = _signals.signal("edition-cancelled", doc="""\
Sent by catalogue.services.cancel_edition after an edition is marked cancelled (only when it
was not cancelled already).
sender: the Edition. No keyword arguments.
Receivers return the number of people they told about it (int), or None.""")

edition_seats_added = _signals.signal("edition-seats-added", doc="""\
Sent by catalogue.services.update_edition when staff raised an edition's capacity and asked for
the new seats to go to the waiting list (EditionData.offer_new_seats), after the flush.
sender: the Edition (its status already open again when seats are free). No keyword arguments.
Receivers return the number of people they offered a seat (int), or None.""")

comment_held = _signals.signal("comment-held", doc="""\
Sent by news.comments.post_comment when a new comment waits for moderation (its status is
pending, not approved and not spam).
sender: the Comment (flushed, with its held_reason). No keyword arguments.
Return values are ignored. The moderators' digest does not depend on it: `flask send-mail`
lists every pending comment the digest has not listed yet.""")


incompany_requested = _signals.signal("incompany-requested", doc="""\
Sent by incompany.services.submit_request after a new in-company request is flushed.
sender: the IncompanyRequest. No keyword arguments.
Return values are ignored (the staff area mails its notice to editors and admins).""")

registration_numbers_frozen = _signals.signal("registration-numbers-frozen", doc="""\
Asked by the enrolment domain before a participant changes their registration numbers on their
personal page: may they still? sender: the Enrolment. No keyword arguments.
Receivers return True when the numbers are frozen (the certificates domain: a certificate
went out, sbo/certificates/receivers.py); `frozen(results)` says whether any did.""")


def frozen(results: Iterable[tuple[Any, Any]]) -> bool:
    """Whether any receiver of registration_numbers_frozen answered True."""
    return any(value is True for _receiver, value in results)


def told(results: Iterable[tuple[Any, Any]]) -> int:
    """The sum of the counts the receivers returned (None counts as 0)."""
    return sum(value or 0 for _receiver, value in results)
