"""An edition's seat counter (edition.seats_taken), changed only by conditional UPDATEs, so
concurrent requests can never overbook. Used by services.py (enrolling, cancelling) and
offers.py (seats held for a waiting-list offer)."""
from __future__ import annotations

from sqlalchemy import update

from ..catalogue.models import Edition, EditionStatus
from ..extensions import db
from ..pagecache import may_show_late


def claim(edition_id: int, count: int) -> bool:
    """Take `count` seats at once if they are all free; atomic on SQLite and PostgreSQL."""
    result = db.session.execute(may_show_late(
        update(Edition)
        .where(Edition.id == edition_id,
               Edition.status == EditionStatus.OPEN,  # staff may close seats by setting "vol"
               Edition.seats_taken + count <= Edition.capacity)
        .values(seats_taken=Edition.seats_taken + count)
        .execution_options(synchronize_session=False)))
    return result.rowcount == 1


def release(edition_id: int, count: int = 1) -> None:
    db.session.execute(may_show_late(
        update(Edition).where(Edition.id == edition_id, Edition.seats_taken >= count)
        .values(seats_taken=Edition.seats_taken - count)
        .execution_options(synchronize_session=False)))
