"""What the staff queue reads: requests by status (paginated, never all at once), one request
with its notes, the counts per status, and the rows of the CSV export."""
from __future__ import annotations

from collections.abc import Iterator

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import IncompanyNote, IncompanyRequest, RequestStatus


def _listed(status: RequestStatus | None):
    query = (select(IncompanyRequest)
             .options(joinedload(IncompanyRequest.offering), joinedload(IncompanyRequest.owner))
             .order_by(IncompanyRequest.created_at.desc(), IncompanyRequest.id.desc()))
    return query.where(IncompanyRequest.status == status) if status else query


def requests(status: RequestStatus | None = None, page: int = 1, per_page: int = 50):
    """A page of requests, newest first; `status` None: every status."""
    return db.paginate(_listed(status), page=page, per_page=per_page, error_out=False)


def status_counts() -> dict[str, int]:
    return dict(db.session.execute(
        select(IncompanyRequest.status, func.count()).group_by(IncompanyRequest.status)).all())


def request_or_404(request_id: int) -> IncompanyRequest:
    request = db.session.get(IncompanyRequest, request_id,
                             options=[joinedload(IncompanyRequest.offering), joinedload(IncompanyRequest.owner)])
    if request is None:
        abort(404)
    return request


def notes_of(request: IncompanyRequest) -> list[IncompanyNote]:
    return list(db.session.scalars(
        select(IncompanyNote).options(joinedload(IncompanyNote.author))
        .where(IncompanyNote.request_id == request.id)
        .order_by(IncompanyNote.created_at, IncompanyNote.id)))


def export(status: RequestStatus | None = None, batch: int = 500) -> Iterator[IncompanyRequest]:
    """Every request (of `status`), oldest first, read in batches."""
    query = _listed(status).order_by(None).order_by(IncompanyRequest.id)
    last_id = 0
    while True:
        rows = db.session.scalars(query.where(IncompanyRequest.id > last_id).limit(batch)).unique().all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
