"""A participant's attendance pass: a QR code on their personal page and in their confirmation
mail, which a staff member at the door scans to mark them present.

The code is the enrolment's id with an HMAC (SECRET_KEY) over the id and the participant's
address: it cannot be guessed, needs no table, and a substitution (a new address on the
enrolment) makes the old holder's pass invalid. The URL it encodes is a staff page: opening it
does nothing without a staff login."""
from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

from ..extensions import db
from ..security import id_number
from ..urls import external_url
from .models import Enrolment


def _mac(enrolment_id: int, email: str) -> str:
    message = f"attendance-pass:{enrolment_id}:{email.lower()}".encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def pass_code(enrolment: Enrolment) -> str:
    return f"{enrolment.id}-{_mac(enrolment.id, enrolment.email)}"


def pass_url(enrolment: Enrolment) -> str:
    """The address the QR code holds: the staff scan page of this participant."""
    return external_url("staff.attendance_scan", code=pass_code(enrolment))


def enrolment_for_pass(code: str) -> Enrolment | None:
    """The enrolment a pass code belongs to; None when the code is not (or no longer) genuine."""
    enrolment_id, _, mac = code.partition("-")
    number = id_number(enrolment_id)
    if number is None:
        return None
    enrolment = db.session.get(Enrolment, number)
    if enrolment is None or not hmac.compare_digest(mac, _mac(enrolment.id, enrolment.email)):
        return None
    return enrolment
