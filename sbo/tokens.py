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
import binascii
import hashlib
import hmac
import json
import secrets
import time
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from itsdangerous.encoding import int_to_bytes, want_bytes
from itsdangerous.serializer import Serializer
from itsdangerous.signer import HMACAlgorithm, Signer
from itsdangerous.timed import TimestampSigner
from itsdangerous.url_safe import _CompactJSON

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
    (session, CSRF token, form start time): what serializer.loads reads, in a fifth of the time
    (issue 18). It skips itsdangerous's zlib attempt (a random token hardly shrinks, and the
    compressor's set-up costs more than the rest), derives the signing key once per serializer
    (itsdangerous derives it with a hash or an HMAC on every call) and signs with OpenSSL's
    one-shot HMAC. A signer or algorithm other than itsdangerous's own HMAC ones is used as is."""
    return quick_signer(serializer).dumps(obj)


def quick_signer(serializer: URLSafeSerializer | URLSafeTimedSerializer) -> "QuickSigner":
    """The serializer's QuickSigner, made once and kept on it."""
    quick = serializer.__dict__.get("_sbo_quick")
    if quick is None:
        quick = serializer.__dict__["_sbo_quick"] = QuickSigner(serializer)
    return quick


_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class QuickSigner:
    """A serializer's signer with its key derived once (what `quick_dumps` signs with)."""

    def __init__(self, serializer: URLSafeSerializer | URLSafeTimedSerializer):
        self.serializer = serializer
        signer = self.signer = serializer.make_signer(serializer.salt)
        self.key = signer.derive_key()
        self.sep = want_bytes(signer.sep)
        self.timed = isinstance(signer, TimestampSigner)
        self._mac = None  # the key's HMAC state, when signing is plain HMAC (see _keyed_hmac)
        if type(signer) in (Signer, TimestampSigner) and type(signer.algorithm) is HMACAlgorithm:
            name = getattr(signer.algorithm.digest_method(), "name", None)
            if name and hmac.digest(self.key, b"probe", name) == signer.algorithm.get_signature(self.key, b"probe"):
                self._mac = _keyed_hmac(self.key, name)
        if self._mac is None:  # another signer: its own sign(), with the key derived once
            key = self.key
            signer.derive_key = lambda secret_key=None: key if secret_key is None else type(signer).derive_key(
                signer, secret_key)
        self.compact = serializer.serializer is _CompactJSON and not serializer.serializer_kwargs
        self._stamp: tuple[int, bytes] = (-1, b"")

    def json(self, obj: Any) -> bytes:
        """The serializer's JSON for obj (what `sign_json` takes)."""
        if self.compact:
            return _compact_json(obj).encode()
        return Serializer.dump_payload(self.serializer, obj)

    def dumps(self, obj: Any) -> str:
        return self.sign_json(self.json(obj))

    def sign_json(self, payload: bytes) -> str:
        """The signed value for the serializer's JSON `payload` (uncompressed)."""
        value = _b64(payload)
        if self._mac is None:
            return self.signer.sign(value).decode("ascii")
        sep = self.sep
        if self.timed:
            value = value + sep + self._timestamp()
        mac = self._mac.copy()
        mac.update(value)
        return (value + sep + _b64(mac.digest())).decode("ascii")

    def _timestamp(self) -> bytes:
        """TimestampSigner's timestamp (whole seconds), encoded once per second."""
        now = int(time.time())
        memo = self._stamp
        if memo[0] != now:
            memo = self._stamp = (now, _b64(int_to_bytes(now)))
        return memo[1]


def _keyed_hmac(key: bytes, name: str):
    """The key's HMAC state, made once, for `sign_json` to copy for each signature (OpenSSL's
    HMAC_CTX_copy) instead of a one-shot HMAC that fetches the digest and sets up the key every
    time: ~1 µs less a signature. The C object inside Python's hmac.HMAC when there is one and
    it signs as hmac.digest (the wrapper's copy() makes a Python object as well), else the
    wrapper itself."""
    mac = hmac.new(key, digestmod=name)
    inner = getattr(mac, "_hmac", None)
    try:
        probe = inner.copy()
        probe.update(b"probe")
        if probe.digest() == hmac.digest(key, b"probe", name):
            return inner
    except (AttributeError, TypeError, ValueError):
        pass
    return mac


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _b64(data: bytes) -> bytes:
    """itsdangerous's base64_encode for bytes: URL-safe base64 without padding."""
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=")


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
