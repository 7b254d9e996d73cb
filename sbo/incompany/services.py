"""The rules of in-company requests: submitting one (mail to the requester, a signal for the
staff's notice) and the staff's follow-up (status, owner, notes), each change in the audit log
with ids and codes only. Services flush; the view commits."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..audit import log_action
from ..catalogue.models import Offering
from ..clock import utcnow
from ..extensions import db
from ..mail_throttle import may_mail
from ..signals import incompany_requested
from . import mails
from .models import IncompanyNote, IncompanyRequest, RequestStatus

OBJECT_TYPE = "incompany_request"


@dataclass(frozen=True)
class RequestDetails:
    """What the requester typed (the form's data, already checked for shape)."""
    organisation: str
    contact_name: str
    email: str
    participants: int
    question: str
    phone: str = ""
    preferred_period: str = ""
    preferred_place: str = ""


def submit_request(details: RequestDetails, offering: Offering | None = None) -> IncompanyRequest:
    """Store a new request, mail the requester a confirmation (at most one per address per
    MAIL_THROTTLE_SECONDS, however often the form is sent) and tell the staff (signal)."""
    request = IncompanyRequest(offering=offering, status=RequestStatus.NEW, **asdict(details))
    db.session.add(request)
    db.session.flush()
    if may_mail("incompany-received", request.email):
        mails.request_received(request)
    incompany_requested.send(request)
    return request


def _touch(request: IncompanyRequest) -> None:
    request.updated_at = utcnow()
    db.session.flush()


def change_status(request: IncompanyRequest, status: RequestStatus, *, actor: Any) -> bool:
    """Move the request to `status`; False (and nothing logged) when it had that status."""
    status = RequestStatus(status)
    old = RequestStatus(request.status)
    if old == status:
        return False
    request.status = status
    _touch(request)
    log_action("incompany.status_changed", OBJECT_TYPE, request.id, actor=actor,
               data={"from": old.value, "to": status.value})
    return True


def assign_owner(request: IncompanyRequest, owner_id: int | None, *, actor: Any) -> bool:
    """Give the request to a staff account (None: to nobody); False when nothing changed."""
    old = request.owner_id
    if old == owner_id:
        return False
    request.owner_id = owner_id
    _touch(request)
    log_action("incompany.owner_changed", OBJECT_TYPE, request.id, actor=actor,
               data={"from": old, "to": owner_id})
    return True


def add_note(request: IncompanyRequest, body: str, *, actor: Any) -> IncompanyNote:
    """A staff note on the request. The audit entry holds the note's id, never its text."""
    note = IncompanyNote(request_id=request.id, author_id=getattr(actor, "id", None), body=body)
    db.session.add(note)
    _touch(request)
    log_action("incompany.note_added", OBJECT_TYPE, request.id, actor=actor, data={"note_id": note.id})
    return note
