"""Spam defences without a third-party service: a honeypot, a signed form timestamp, flood and
duplicate checks, a link limit and a list of disallowed words. `assess()` decides the status a
new comment starts with and why it was held."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import exists, func, or_, select

from ..extensions import db
from .markdown import count_links
from .models import Comment, CommentStatus, body_hash

_SALT = "sbo.news.comment-form"


class DuplicateComment(Exception):
    """The same person already posted this text under this article."""


def _serializer() -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str | bytes) -> URLSafeTimedSerializer:
    """One per secret key: the form is drawn for every visitor of an article (page cache)."""
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def form_token(now: datetime) -> str:
    """A signed moment at which the form was drawn (goes into a hidden field)."""
    return _serializer().dumps(int(now.timestamp()))


def form_age(token: str | None, now: datetime) -> float | None:
    """Seconds since the form was drawn, or None when the token is missing or forged."""
    if not token:
        return None
    try:
        started = _serializer().loads(token, max_age=7 * 24 * 3600)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(started, int):
        return None
    return now.timestamp() - started


@dataclass
class Verdict:
    status: CommentStatus
    held_reason: str | None = None


def disallowed_word(*texts: str) -> str | None:
    words = current_app.config.get("COMMENT_DISALLOWED_WORDS") or ()
    haystack = " ".join(t for t in texts if t).lower()
    for word in words:
        if word and re.search(r"(?<!\w)" + re.escape(word.lower()) + r"(?!\w)", haystack):
            return word
    return None


def _lookups(article_id: int, body: str, email_key: str, ip_address: str | None, since: datetime):
    """What the checks need from the table, in one round trip (each part an indexed lookup):
    repeat (this person posted this text here), same_text (anyone did), flood (this address or
    e-mail posted after `since`), known (this e-mail has an approved comment)."""
    same_text = (Comment.article_id == article_id, Comment.body_hash == body_hash(body),
                 Comment.body == body, Comment.status != CommentStatus.TRASH)
    by_email = func.lower(Comment.author_email) == email_key
    who = or_(by_email, Comment.ip_address == ip_address) if ip_address else by_email
    return db.session.execute(select(
        exists().where(*same_text, by_email).label("repeat"),
        exists().where(*same_text).label("same_text"),
        exists().where(Comment.created_at > since, who).label("flood"),
        exists().where(by_email, Comment.status == CommentStatus.APPROVED).label("known"),
    )).one()


def assess(article_id: int, *, body: str, name: str, email: str, url: str | None,
           ip_address: str | None, honeypot: str | None, age: float | None,
           now: datetime) -> Verdict:
    """The status a new comment starts with. Raises DuplicateComment for a repeat by the same
    person. Checks run from clearest spam to softest reason to hold."""
    config = current_app.config
    if honeypot:
        return Verdict(CommentStatus.SPAM, "honeypot")
    if age is None:
        return Verdict(CommentStatus.SPAM, "formulier")
    if disallowed_word(body, name, email, url or ""):
        return Verdict(CommentStatus.SPAM, "woorden")

    email_key = email.strip().lower()
    body = body.strip()  # as it is stored
    found = _lookups(article_id, body, email_key, ip_address,
                     now - timedelta(seconds=config["COMMENT_FLOOD_SECONDS"]))
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
    if config["COMMENT_AUTO_APPROVE_KNOWN"] and found.known:
        return Verdict(CommentStatus.APPROVED)
    return Verdict(CommentStatus.PENDING)
