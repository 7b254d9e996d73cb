"""Two small cookies of the comment form, both HttpOnly and SameSite=Lax:

- `sbo_mijn_reacties`: signed list of the visitor's own pending comment ids, so they (and nobody
  else) see "Je reactie wacht op goedkeuring";
- `sbo_reageerder`: name and e-mail, only when the visitor ticks "opslaan". Sealed (encrypted with
  an HMAC-SHA256 key stream, then signed), so the address never travels readable in a header.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from ..cache import bypass_cookies

PENDING_COOKIE = "sbo_mijn_reacties"
AUTHOR_COOKIE = "sbo_reageerder"
MAX_PENDING = 20
bypass_cookies(PENDING_COOKIE, AUTHOR_COOKIE)  # both make the article page personal


def _signer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


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
    return _signer("sbo.news.author").dumps([nonce.hex(), cipher.hex()])


def _unseal(token: str):
    nonce_hex, cipher_hex = _signer("sbo.news.author").loads(token)
    nonce, cipher = bytes.fromhex(nonce_hex), bytes.fromhex(cipher_hex)
    return json.loads(bytes(a ^ b for a, b in zip(cipher, _keystream(nonce, len(cipher)))))


def _set(response, name: str, value: str, days: int) -> None:
    response.set_cookie(name, value, max_age=days * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/")


def pending_ids() -> list[int]:
    token = request.cookies.get(PENDING_COOKIE)
    if not token:
        return []
    try:
        ids = _signer("sbo.news.pending").loads(token)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)][-MAX_PENDING:] if isinstance(ids, list) else []


def add_pending_id(response, comment_id: int) -> None:
    ids = (pending_ids() + [comment_id])[-MAX_PENDING:]
    _set(response, PENDING_COOKIE, _signer("sbo.news.pending").dumps(ids), 30)


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
