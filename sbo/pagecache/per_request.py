"""Values drawn fresh for every visitor of a stored page (the CSRF token, a signed form time):
stored as placeholders, filled in on each hit, so a value is never served to another person."""
from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Callable

from flask import current_app, g

from ..extensions import csrf_token

CSRF_TOKEN = "csrf"  # the name under which Flask-WTF's token is stored as a placeholder
_makers: dict[str, Callable[[], str]] = {}


def register_per_request(name: str, make: Callable[[], str]) -> None:
    """A value drawn fresh for every visitor (at import time, so any worker can fill it in)."""
    _makers[name] = make


def per_request_value(name: str) -> str:
    """The value for this request; remembered so that the cache can swap it for a placeholder."""
    value = _makers[name]()
    g.setdefault("sbo_cache_values", {})[name] = value
    return value


def maker(name: str) -> Callable[[], str] | None:
    """What draws the value `name` (not the CSRF token: that depends on the session)."""
    return _makers.get(name)


def placeholder(name: str) -> bytes:
    """Unguessable without the secret key, so page content cannot smuggle one in."""
    return _placeholder_for(str(current_app.config["SECRET_KEY"]), name)


@lru_cache(maxsize=16)
def _placeholder_for(secret_key: str, name: str) -> bytes:
    # the message keeps the module's old name: pages already stored in Redis still match
    return b"sbo-per-request-" + name.encode() + b"-" + hmac.new(
        secret_key.encode(), b"sbo.cache.placeholder." + name.encode(), hashlib.sha256).hexdigest()[:24].encode()


def values_drawn() -> dict[str, str]:
    """Every per-request value this request's page holds, by name."""
    values = dict(g.get("sbo_cache_values", {}))
    if "csrf_token" in g:  # Flask-WTF keeps the token it drew for this request there
        values[CSRF_TOKEN] = g.csrf_token
    return values


def fill_in(body: bytes, names: list[str]) -> bytes | None:
    """The stored body with fresh values for this visitor (None: a value we cannot make here)."""
    for name in names:
        make = csrf_token if name == CSRF_TOKEN else _makers.get(name)
        if make is None:
            return None
        body = body.replace(placeholder(name), make().encode())
    return body
