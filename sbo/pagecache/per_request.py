"""The value drawn fresh for every visitor of a stored form page, the CSRF token: stored as a
placeholder, filled in on each hit, so a token is never served to another person."""
from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from flask import current_app, g

from ..extensions import csrf_token

CSRF_TOKEN = "csrf"  # the name under which Flask-WTF's token is stored as a placeholder


def placeholder(name: str) -> bytes:
    """Unguessable without the secret key, so page content cannot smuggle one in."""
    return _placeholder_for(str(current_app.config["SECRET_KEY"]), name)


@lru_cache(maxsize=16)
def _placeholder_for(secret_key: str, name: str) -> bytes:
    # the message keeps the module's old name: pages already stored in Redis still match
    return b"sbo-per-request-" + name.encode() + b"-" + hmac.new(
        secret_key.encode(), b"sbo.cache.placeholder." + name.encode(), hashlib.sha256).hexdigest()[:24].encode()


def values_drawn() -> dict[str, str]:
    """The per-request value this request's page holds, by name: its CSRF token, if one was
    drawn (Flask-WTF keeps the token it drew for this request in g)."""
    return {CSRF_TOKEN: g.csrf_token} if "csrf_token" in g else {}


def fill_in(body: bytes, names: list[str]) -> bytes | None:
    """The stored body with a fresh token for this visitor (None: a value we cannot make here,
    from an entry stored by an older release)."""
    if any(name != CSRF_TOKEN for name in names):
        return None
    return body.replace(placeholder(CSRF_TOKEN), csrf_token().encode()) if names else body
