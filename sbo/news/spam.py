"""Spam defences without a third-party service: a honeypot, a signed form timestamp, flood and
duplicate checks, a link limit and a list of disallowed words. `assess()` decides the status a
new comment starts with and why it was held."""
from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..email_address import normalise_email
from ..extensions import db
from ..tokens import QuickSigner, quick_signer, token_hash
from .markdown import count_links
from .models import Comment, CommentFormUse, CommentStatus, body_hash

_SALT = "sbo.news.comment-form"


class DuplicateComment(Exception):
    """The same person already posted this text under this article."""


def _serializer() -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str | bytes) -> URLSafeTimedSerializer:
    """One per secret key: the form is drawn for every visitor of an article (page cache)."""
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


@lru_cache(maxsize=4)
def _signer_for(secret_key: str | bytes) -> QuickSigner:
    return quick_signer(_serializer_for(secret_key))


FORM_MAX_AGE = 7 * 24 * 3600


class FormReused(Exception):
    """This signed start time was used for a comment already: each is good for one post."""


def _epoch(now: datetime) -> float:
    """Seconds since 1970 of a naive UTC moment (as sbo.clock.utcnow gives it)."""
    return now.replace(tzinfo=timezone.utc).timestamp()


def form_token(now: datetime | None = None) -> str:
    """A signed moment at which the form was drawn (naive UTC; None: now), with a random nonce
    that makes it single use (goes into a hidden field; drawn fresh for every visitor, also on
    a cached page, so now is read from time.time(), a tenth of utcnow()'s cost)."""
    # the JSON written out: what the serializer's loads reads (json.dumps took a third of the time);
    # the nonce: 16 random bytes in hex, as secrets.token_hex(16) draws them
    payload = b'[%d,"%s"]' % (time.time() if now is None else _epoch(now), os.urandom(16).hex().encode())
    return _signer_for(current_app.config["SECRET_KEY"]).sign_json(payload)


def read_form_token(token: str | None, now: datetime) -> tuple[float, str] | None:
    """(seconds since the form was drawn, its nonce), or None when missing, forged or expired."""
    if not token:
        return None
    try:
        started, nonce = _serializer().loads(token, max_age=FORM_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(started, int) or not isinstance(nonce, str) or len(nonce) != 32:
        return None
    return _epoch(now) - started, nonce


def form_age(token: str | None, now: datetime) -> float | None:
    """Seconds since the form was drawn, or None when the token is missing or forged."""
    read = read_form_token(token, now)
    return read[0] if read else None


def use_form_token(nonce: str, now: datetime) -> None:
    """Record the nonce as used; raises FormReused when it was. The first write of a comment
    POST: on a clash the caller rolls back and nothing else has been written."""
    db.session.add(CommentFormUse(nonce=nonce, used_at=now))
    try:
        db.session.flush()
    except IntegrityError:
        raise FormReused() from None


def forget_form_uses(now: datetime) -> int:
    """Delete used nonces older than a form can be: an expired token is refused anyway."""
    result = db.session.execute(
        delete(CommentFormUse).where(CommentFormUse.used_at < now - timedelta(seconds=FORM_MAX_AGE + 3600)),
        execution_options={"synchronize_session": False})
    return result.rowcount or 0


@dataclass
class Verdict:
    status: CommentStatus
    held_reason: str | None = None


def disallowed_word(*texts: str) -> str | None:
    words = current_app.config["COMMENT_DISALLOWED_WORDS"] or ()
    haystack = " ".join(t for t in texts if t).lower()
    for word in words:
        if word and re.search(r"(?<!\w)" + re.escape(word.lower()) + r"(?!\w)", haystack):
            return word
    return None


def _lookups(article_id: int, body: str, email_key: str, ip_address: str | None, since: datetime,
             proofs: Sequence[tuple[int, str]]):
    """What the checks need from the table, in one round trip (each part an indexed lookup):
    repeat (this person posted this text here), same_text (anyone did), flood (this address or
    e-mail posted after `since`), known (one of the comments this browser proves to have posted
    under this address, with its secret, is approved; never a staff reply)."""
    same_text = (Comment.article_id == article_id, Comment.body_hash == body_hash(body),
                 Comment.body == body, Comment.status != CommentStatus.TRASH)
    by_email = func.lower(Comment.author_email) == email_key
    who = or_(by_email, Comment.ip_address == ip_address) if ip_address else by_email
    return db.session.execute(select(
        exists().where(*same_text, by_email).label("repeat"),
        exists().where(*same_text).label("same_text"),
        exists().where(Comment.created_at > since, who).label("flood"),
        (exists().where(
            or_(*((Comment.id == comment_id) & (Comment.visitor_token_hash == token_hash(token))
                  for comment_id, token in proofs)),
            by_email, Comment.status == CommentStatus.APPROVED, Comment.is_staff.is_(False))
         if proofs else false()).label("known"),
    )).one()


def _words(text: str) -> str:
    """Lower case, accents off, anything but letters and digits a space: "Re-dáctie" → "re dactie"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


def own_domains() -> set[str]:
    """The site's own mail domains: the host of SITE_URL (without www.) and of MAIL_FROM."""
    config = current_app.config
    domains = set()
    host = urlsplit(str(config.get("SITE_URL") or "")).hostname or ""
    if host:
        domains.add(host.lower().removeprefix("www."))
    sender = parseaddr(str(config.get("MAIL_FROM") or ""))[1]
    if "@" in sender:
        domains.add(sender.rsplit("@", 1)[1].lower())
    return {d for d in domains if d and d not in ("127.0.0.1", "localhost")}


def imitates_staff(name: str, email: str) -> bool:
    """A name or address that reads as the site's own staff: a staff account's address or name,
    the site's own domain, or words such as "moderator", "redactie", "beheer" (config
    COMMENT_STAFF_WORDS). Such a comment is never approved on its own."""
    email_key = normalise_email(email)
    domain = email_key.rsplit("@", 1)[-1]
    if any(domain == d or domain.endswith("." + d) for d in own_domains()):
        return True
    staff_addresses, staff_names = _staff_identities()
    if email_key in {normalise_email(a) for a in staff_addresses}:
        return True
    name_words = _words(name)
    if any(_words(n).strip() and _words(n) == name_words for n in staff_names):
        return True
    haystack = name_words + _words(email_key.split("@")[0])
    config = current_app.config
    words = list(config["COMMENT_STAFF_WORDS"] or ()) + [str(config.get("SITE_NAME") or "")]
    return any(_words(w).strip() and _words(w) in haystack for w in words)


def _staff_identities() -> tuple[list[str], list[str]]:
    """(addresses, names) of every staff account, from the staff area (it registers the lookup
    in app.extensions, so that this domain does not reach into the staff tables)."""
    lookup = current_app.extensions.get("sbo.staff_identities")
    return lookup() if lookup else ([], [])


def assess(article_id: int, *, body: str, name: str, email: str, url: str | None,
           ip_address: str | None, honeypot: str | None, age: float | None,
           now: datetime, proofs: Sequence[tuple[int, str]] = ()) -> Verdict:
    """The status a new comment starts with. Raises DuplicateComment for a repeat by the same
    person. Checks run from clearest spam to softest reason to hold. Approved at once only when
    the browser proves (`proofs`, from its cookie) that it posted an approved comment under this
    address before, and the name and address do not read as staff."""
    config = current_app.config
    if honeypot:
        return Verdict(CommentStatus.SPAM, "honeypot")
    if age is None:
        return Verdict(CommentStatus.SPAM, "formulier")
    if disallowed_word(body, name, email, url or ""):
        return Verdict(CommentStatus.SPAM, "woorden")

    email_key = normalise_email(email)
    body = body.strip()  # as it is stored
    found = _lookups(article_id, body, email_key, ip_address,
                     now - timedelta(seconds=config["COMMENT_FLOOD_SECONDS"]), proofs)
    if found.repeat:
        raise DuplicateComment()
    if age < config["COMMENT_MIN_SECONDS"]:
        return Verdict(CommentStatus.PENDING, "snel")
    if found.same_text:
        return Verdict(CommentStatus.PENDING, "dubbel")
    if count_links(body) > config["COMMENT_MAX_LINKS"]:
        return Verdict(CommentStatus.PENDING, "links")
    if found.flood:
        return Verdict(CommentStatus.PENDING, "flood")
    if config["COMMENT_AUTO_APPROVE_KNOWN"] and found.known and not imitates_staff(name, email):
        return Verdict(CommentStatus.APPROVED)
    return Verdict(CommentStatus.PENDING)
