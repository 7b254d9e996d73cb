"""Tokens, shared layer. Two kinds:

- signed, expiring links for e-mails (`make_token`/`read_token`): manage an enrolment, confirm a
  booking, confirm or end an interest. Each purpose has its own salt, so a token made for one
  cannot be used for another. The payload carries the e-mail address too: once a substitute
  takes over an enrolment, the old holder's link stops working;
- signed cookie values without an expiry of their own (`signer(salt)`): a comment author's
  details, their pending and approved comments, a staff member's known device;
- opaque random secrets (`opaque_token`) for a staff login, a password-reset link or a comment's
  visitor cookie, of which only `token_hash` is stored.
"""
from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

DAY = 24 * 3600
# purpose: (salt, the config key of its lifetime in days; defaults in sbo/config.py)
SALTS = {
    "enrolment": ("sbo.enrolment.manage", "ENROLMENT_TOKEN_MAX_AGE_DAYS"),
    # the booker's "bevestig je inschrijving" link; the hold itself ends sooner (ENROLMENT_HOLD_HOURS)
    "booking-confirm": ("sbo.enrolment.confirm", "ENROLMENT_CONFIRM_MAX_AGE_DAYS"),
    "interest-confirm": ("sbo.interest.confirm", "INTEREST_CONFIRM_MAX_AGE_DAYS"),
    "interest-unsubscribe": ("sbo.interest.unsubscribe", "INTEREST_UNSUBSCRIBE_MAX_AGE_DAYS"),
}


def signer(salt: str) -> URLSafeSerializer:
    """Signs and reads values (JSON) with SECRET_KEY; `salt` keeps one use apart from another.
    `loads` raises itsdangerous.BadSignature for a changed or foreign value."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def opaque_token(nbytes: int = 32) -> str:
    """A random, URL-safe secret of `nbytes` random bytes."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """What is stored of an opaque token: its SHA-256, hex (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvalidToken(Exception):
    """The link was changed or is unknown."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    salt = SALTS[purpose][0]
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_token(purpose: str, record_id: int, email: str) -> str:
    return _serializer(purpose).dumps([record_id, email])


def read_token(purpose: str, token: str) -> tuple[int, str]:
    max_age = int(current_app.config[SALTS[purpose][1]]) * DAY
    try:
        payload: Any = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ExpiredToken() from error
    except BadSignature as error:
        raise InvalidToken() from error
    if (not isinstance(payload, list) or len(payload) != 2 or not isinstance(payload[0], int)
            or not isinstance(payload[1], str)):
        raise InvalidToken()
    return payload[0], payload[1]
