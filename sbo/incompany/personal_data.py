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
from ..personal_data import Plan, Provider, Rows, register, retention, text
from .models import IncompanyNote, IncompanyRequest, RequestStatus


@register
class IncompanyData(Provider):
    name = "incompany"
    tables = ("incompany_request", "incompany_note")
    kinds = ("incompany_request",)
    erased = {"incompany_requests": "Verwijderde in-company-aanvragen"}

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

    def plan(self, email: str) -> Plan:
        count = len(_request_ids(email))
        if not count:
            return Plan()
        which = "Je in-company-aanvraag wordt" if count == 1 else f"Je {count} in-company-aanvragen worden"
        return Plan(actions=[f"{which} verwijderd, met de notities die we erbij maakten."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        """Delete the address's requests and their notes (a quote that led to a training lives on
        in the administration, outside this site)."""
        ids = _request_ids(email)
        if ids:
            db.session.execute(delete(IncompanyNote).where(IncompanyNote.request_id.in_(ids)),
                               execution_options={"synchronize_session": False})
            db.session.execute(delete(IncompanyRequest).where(IncompanyRequest.id.in_(ids)),
                               execution_options={"synchronize_session": False})
            db.session.flush()
        return {"incompany_requests": len(ids)}


def _request_ids(email: str) -> list[int]:
    return list(db.session.scalars(select(IncompanyRequest.id).where(func.lower(IncompanyRequest.email) == email)))


def export_requests(email: str) -> list[dict[str, str]]:
    requests = db.session.scalars(
        select(IncompanyRequest).where(func.lower(IncompanyRequest.email) == email)
        .options(joinedload(IncompanyRequest.offering)).order_by(IncompanyRequest.id))
    return [{"opleiding": r.offering.title if r.offering else "Maatwerk",
             "organisatie": r.organisation, "contactpersoon": r.contact_name, "e-mailadres": r.email,
             "telefoon": r.phone, "deelnemers": text(r.participants), "periode": r.preferred_period,
             "plaats": r.preferred_place, "vraag": r.question, "status": text(RequestStatus(r.status)),
             "gemaakt": text(r.created_at)} for r in requests]
