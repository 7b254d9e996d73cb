"""Tokens, shared layer. Two kinds:

- opaque random secrets (`opaque_token`), of which only `token_hash` is stored: a staff login,
  a password-reset link, a comment's visitor cookie, the my-data link, and the personal links
  in e-mails (manage an enrolment, confirm a booking, confirm or end an interest; the enrolment
  domain stores them, sbo/enrolment/links.py). Such a link carries nothing but randomness, so it
  reveals no address or id, and deleting its row revokes it. Each purpose has a lifetime
  (`link_expired`, the days in config: `MAX_AGE_KEYS`);
- signed cookie values without an expiry of their own (`signer(salt)`): a comment author's
  details, their pending and approved comments, a staff member's known device.

`read_legacy_token` still reads the signed [id, e-mail] links of mails sent before the opaque
links came (migration tokens_0001), until LEGACY_LINKS_UNTIL; delete it after that date.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer

from . import clock

DAY = 24 * 3600
# purpose of a personal link: the config key of its lifetime in days (defaults in sbo/config.py)
MAX_AGE_KEYS = {
    "enrolment": "ENROLMENT_TOKEN_MAX_AGE_DAYS",
    # the booker's "bevestig je inschrijving" link; the hold itself ends sooner (ENROLMENT_HOLD_HOURS)
    "booking-confirm": "ENROLMENT_CONFIRM_MAX_AGE_DAYS",
    "interest-confirm": "INTEREST_CONFIRM_MAX_AGE_DAYS",
    "interest-unsubscribe": "INTEREST_UNSUBSCRIBE_MAX_AGE_DAYS",
    "offer": "OFFER_LINK_MAX_AGE_DAYS",
}


def signer(salt: str) -> URLSafeSerializer:
    """Signs and reads values (JSON) with SECRET_KEY; `salt` keeps one use apart from another.
    `loads` raises itsdangerous.BadSignature for a changed or foreign value."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def quick_dumps(serializer: URLSafeSerializer | URLSafeTimedSerializer, obj: Any) -> str:
    """serializer.dumps(obj) for the short values drawn for every visitor of a stored form page
    (session, CSRF token, form start time): what serializer.loads reads, in a third of the time
    (issue 18). It skips itsdangerous's zlib attempt (a random token hardly shrinks, and the
    compressor's set-up costs more than the rest) and keeps the signer with its derived key
    per serializer (itsdangerous derives the key with an HMAC on every call)."""
    signer = serializer.__dict__.get("_sbo_signer")
    if signer is None:
        signer = serializer.make_signer(serializer.salt)
        key = signer.derive_key()
        signer.derive_key = lambda secret_key=None: key if secret_key is None else type(signer).derive_key(
            signer, secret_key)
        serializer.__dict__["_sbo_signer"] = signer
    return signer.sign(base64_encode(Serializer.dump_payload(serializer, obj))).decode("ascii")


def opaque_token(nbytes: int = 32) -> str:
    """A random, URL-safe secret of `nbytes` random bytes."""
    return secrets.token_urlsafe(nbytes)


def readable_code(nbytes: int = 15) -> str:
    """A random code of `nbytes` random bytes in base32 (A–Z, 2–7: no 0/O or 1/I to mix up),
    for people to type from paper: 15 bytes give 24 characters, 120 bits."""
    return base64.b32encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


def token_hash(token: str) -> str:
    """What is stored of an opaque token: its SHA-256, hex (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvalidToken(Exception):
    """The link was changed, is unknown or was revoked."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


def max_age(purpose: str) -> timedelta:
    return timedelta(days=int(current_app.config[MAX_AGE_KEYS[purpose]]))


def link_expired(purpose: str, created_at: datetime, now: datetime | None = None) -> bool:
    """Whether a personal link for `purpose` made at `created_at` (naive UTC) is too old."""
    return (now or clock.utcnow()) > created_at + max_age(purpose)


# The signed links of before tokens_0001: [id, e-mail] in URL-safe base64, one salt per purpose.
LEGACY_SALTS = {
    "enrolment": "sbo.enrolment.manage",
    "booking-confirm": "sbo.enrolment.confirm",
    "interest-confirm": "sbo.interest.confirm",
    "interest-unsubscribe": "sbo.interest.unsubscribe",
}


def legacy_links_accepted(on: date | None = None) -> bool:
    until = current_app.config["LEGACY_LINKS_UNTIL"]
    if not until:
        return False
    if isinstance(until, str):
        until = date.fromisoformat(until)
    return (on or clock.today()) <= until


def read_legacy_token(purpose: str, token: str) -> tuple[int, str]:
    """(record id, e-mail address) of an old signed link, within its own lifetime and only
    until LEGACY_LINKS_UNTIL; InvalidToken otherwise."""
    if not legacy_links_accepted():
        raise InvalidToken()
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LEGACY_SALTS[purpose])
    try:
        payload: Any = serializer.loads(token, max_age=int(max_age(purpose).total_seconds()))
    except SignatureExpired as error:
        raise ExpiredToken() from error
    except BadSignature as error:
        raise InvalidToken() from error
    if (not isinstance(payload, list) or len(payload) != 2 or not isinstance(payload[0], int)
            or not isinstance(payload[1], str)):
        raise InvalidToken()
    return payload[0], payload[1]
