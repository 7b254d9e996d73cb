"""/mijn-gegevens: a person asks for a link by e-mail and follows it to see and export what
the site holds about their address. The link is random (only its SHA-256 is stored), works
once and expires after MY_DATA_LINK_MINUTES. Nobody learns whether an address is known: the
form always answers the same, and a mail goes out only when something is held."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock, personal_data
from ..email_address import normalise_email
from ..extensions import db
from ..mail import send_mail
from ..mail_throttle import may_mail
from ..tokens import opaque_token, token_hash
from ..urls import external_url
from .models import DataRequest

MAIL_KIND = "my-data"


def request_link(email: str) -> bool:
    """Mail a link to `email` when the site holds anything for it (at most one such mail per
    address per MAIL_THROTTLE_SECONDS). Returns whether a mail was queued; never show it."""
    email = normalise_email(email)
    if not personal_data.export(email) or not may_mail(MAIL_KIND, email):
        return False
    token = opaque_token(32)
    minutes = int(current_app.config["MY_DATA_LINK_MINUTES"])
    now = clock.utcnow()
    db.session.add(DataRequest(token_hash=token_hash(token), email=email, created_at=now,
                               expires_at=now + timedelta(minutes=minutes)))
    url = external_url("privacy.my_data_link", token=token)
    send_mail(email, "Je gegevens bij SBO", "privacy/mail/my_data_link", url=url, minutes=minutes)
    db.session.flush()
    return True


def find_request(token: str) -> DataRequest | None:
    """The unused, unexpired request this link belongs to, or None."""
    request = db.session.scalars(select(DataRequest).where(DataRequest.token_hash == token_hash(token))).first()
    if request is None or request.used_at is not None or request.expires_at <= clock.utcnow():
        return None
    return request


def use_link(token: str) -> str | None:
    """Spend the link: returns its address once, None afterwards (or for a bad link)."""
    request = find_request(token)
    if request is None:
        return None
    request.used_at = clock.utcnow()
    db.session.flush()
    return request.email
