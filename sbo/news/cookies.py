"""Three small cookies of the comment form, all HttpOnly and SameSite=Lax:

- `sbo_mijn_reacties`: signed list of the visitor's own pending comments, each as [id, secret]:
  the secret is random per comment and stored only hashed (Comment.visitor_token_hash), so they
  (and nobody else, whatever ids they put in a cookie) see "Je reactie wacht op goedkeuring";
- `sbo_bekende_reageerder`: signed list of [address digest, comment id, secret] for comments
  this browser posted; once such a comment is approved, it proves that a new comment under that
  address comes from the same person (spam.assess approves it at once). Only sent to /nieuws;
- `sbo_reageerder`: name and e-mail, only when the visitor ticks "opslaan". Sealed (encrypted with
  an HMAC-SHA256 key stream, then signed), so the address never travels readable in a header.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os

from flask import current_app, request
from itsdangerous import BadSignature

from ..pagecache import bypass_cookies
from ..email_address import normalise_email
from ..tokens import opaque_token, signer, token_hash

PENDING_COOKIE = "sbo_mijn_reacties"
AUTHOR_COOKIE = "sbo_reageerder"
KNOWN_COOKIE = "sbo_bekende_reageerder"
MAX_PENDING = 20
MAX_KNOWN = 10
bypass_cookies(PENDING_COOKIE, AUTHOR_COOKIE)  # both make the article page personal


def _keystream(nonce: bytes, length: int) -> bytes:
    key = hashlib.sha256(("sbo.news.seal" + str(current_app.config["SECRET_KEY"])).encode()).digest()
    out = b""
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def _seal(value) -> str:
    data = json.dumps(value).encode()
    nonce = os.urandom(16)
    cipher = bytes(a ^ b for a, b in zip(data, _keystream(nonce, len(data))))
    return signer("sbo.news.author").dumps([nonce.hex(), cipher.hex()])


def _unseal(token: str):
    nonce_hex, cipher_hex = signer("sbo.news.author").loads(token)
    nonce, cipher = bytes.fromhex(nonce_hex), bytes.fromhex(cipher_hex)
    return json.loads(bytes(a ^ b for a, b in zip(cipher, _keystream(nonce, len(cipher)))))


def _set(response, name: str, value: str, days: int, path: str = "/") -> None:
    response.set_cookie(name, value, max_age=days * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure, path=path)


def new_visitor_token() -> tuple[str, str]:
    """(secret for the cookie, its hash for the comment row)."""
    token = opaque_token(24)
    return token, token_hash(token)


def address_digest(email: str) -> str:
    """A keyed digest of an e-mail address (lower case): the cookie never holds the address."""
    key = ("sbo.news.address" + str(current_app.config["SECRET_KEY"])).encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def _entries(name: str, salt: str, width: int) -> list[list]:
    token = request.cookies.get(name)
    if not token:
        return []
    try:
        entries = signer(salt).loads(token)
    except BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == width
            and isinstance(e[-2], int) and isinstance(e[-1], str) and e[-1]]


def pending_comments() -> list[tuple[int, str]]:
    """(comment id, secret) of this browser's own comments that may still be pending."""
    return [(i, t) for i, t in _entries(PENDING_COOKIE, "sbo.news.pending", 2)][-MAX_PENDING:]


def add_pending_comment(response, comment_id: int, token: str) -> None:
    entries = (pending_comments() + [(comment_id, token)])[-MAX_PENDING:]
    _set(response, PENDING_COOKIE, signer("sbo.news.pending").dumps(entries), 30)


def known_proofs(email: str) -> list[tuple[int, str]]:
    """(comment id, secret) of comments this browser posted under this address."""
    digest = address_digest(email)
    return [(i, t) for d, i, t in _entries(KNOWN_COOKIE, "sbo.news.known", 3) if d == digest]


def add_known_proof(response, email: str, comment_id: int, token: str) -> None:
    """Remember a comment this browser posted: once it is approved, it vouches for the next one
    under the same address. Newest last; at most three per address."""
    digest = address_digest(email)
    entries = [[d, i, t] for d, i, t in _entries(KNOWN_COOKIE, "sbo.news.known", 3)]
    mine = [e for e in entries if e[0] == digest]
    others = [e for e in entries if e[0] != digest]
    # keep the oldest of this address (the one most likely approved by now) and the newest
    mine = (mine[:1] + mine[1:][-1:] + [[digest, comment_id, token]])
    entries = (others + mine)[-MAX_KNOWN:]
    _set(response, KNOWN_COOKIE, signer("sbo.news.known").dumps(entries), 365, path="/nieuws")


def remembered_author() -> tuple[str, str] | None:
    token = request.cookies.get(AUTHOR_COOKIE)
    if not token:
        return None
    try:
        name, email = _unseal(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(name), str(email)


def remember_author(response, name: str, email: str) -> None:
    _set(response, AUTHOR_COOKIE, _seal([name, email]), 365)


def forget_author(response) -> None:
    if AUTHOR_COOKIE in request.cookies:
        response.delete_cookie(AUTHOR_COOKIE, path="/", httponly=True, samesite="Lax")
