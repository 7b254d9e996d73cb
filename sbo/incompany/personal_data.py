"""Personal data of in-company requests: the requester's organisation, name, address, phone
and question, and the staff's notes on the request.

A request is kept RETENTION_DAYS["incompany_request"] after its last change (a status, an owner,
a note): long enough to follow up a quote and a repeat of the training; then it is deleted with
its notes. An agreed training goes on in the administration, outside this site."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..personal_data import Provider, Rows, register, retention, text
from .models import IncompanyNote, IncompanyRequest, RequestStatus


@register
class IncompanyData(Provider):
    name = "incompany"
    tables = ("incompany_request", "incompany_note")
    kinds = ("incompany_request",)

    def purge(self, now: datetime) -> dict[str, int]:
        old = select(IncompanyRequest.id).where(
            IncompanyRequest.updated_at < now - retention("incompany_request")).scalar_subquery()
        db.session.execute(delete(IncompanyNote).where(IncompanyNote.request_id.in_(old)),
                           execution_options={"synchronize_session": False})
        removed = db.session.execute(delete(IncompanyRequest).where(IncompanyRequest.id.in_(old)),
                                     execution_options={"synchronize_session": False}).rowcount
        db.session.flush()
        return {"incompany_request": removed or 0}

    def export(self, email: str) -> Rows:
        return {"In-company-aanvragen": export_requests(email)}


def export_requests(email: str) -> list[dict[str, str]]:
    requests = db.session.scalars(
        select(IncompanyRequest).where(func.lower(IncompanyRequest.email) == email)
        .options(joinedload(IncompanyRequest.offering)).order_by(IncompanyRequest.id))
    return [{"opleiding": r.offering.title if r.offering else "Maatwerk",
             "organisatie": r.organisation, "contactpersoon": r.contact_name, "e-mailadres": r.email,
             "telefoon": r.phone, "deelnemers": text(r.participants), "periode": r.preferred_period,
             "plaats": r.preferred_place, "vraag": r.question, "status": text(RequestStatus(r.status)),
             "gemaakt": text(r.created_at)} for r in requests]
