"""Comment moderation for the staff area: each action calls the news service and writes its audit
entry (sbo.audit: the comment's and article's ids, never the author's name or text), in the
caller's transaction. Moderators get a digest of waiting comments.
Plain functions: they flush, the view commits."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..audit import log_action
from ..clock import utcnow
from ..extensions import db
from ..mail import send_mail
from ..news import queries as news_queries
from ..news import services as news
from ..news.models import Comment, CommentStatus
from ..urls import site_url
from .models import StaffUser
from .services import moderator_addresses

MAX_BULK = 100

# Why the spam check held a comment back (news.spam.assess), in Dutch.
HELD_REASONS = {
    "honeypot": "Verborgen veld ingevuld (bot)",
    "formulier": "Formulier ontbrak of was vervalst",
    "woorden": "Bevat een verboden woord",
    "snel": "Te snel verstuurd",
    "dubbel": "Zelfde tekst als een andere reactie",
    "links": "Te veel links",
    "flood": "Veel reacties kort na elkaar",
}


def held_reason_label(reason: str | None) -> str:
    return HELD_REASONS.get(reason, reason) if reason else ""


@dataclass(frozen=True)
class Action:
    name: str            # the form value and endpoint prefix: "approve" → staff.approve_comment
    slug: str            # the Dutch URL part
    label: str           # button text
    done: str            # "goedgekeurd": "3 reacties goedgekeurd."
    audit: str           # audit code
    allowed: frozenset[CommentStatus]  # statuses it applies to
    service: Callable[[Comment], object]


_ALL = frozenset(CommentStatus)
ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("approve", "goedkeuren", "Goedkeuren", "goedgekeurd", "comment.approved",
           _ALL - {CommentStatus.APPROVED}, news.approve_comment),
    Action("unapprove", "afkeuren", "Terug naar afwachting", f"teruggezet naar ‘{CommentStatus.PENDING.label}’",
           "comment.unapproved", frozenset({CommentStatus.APPROVED}), news.unapprove_comment),
    Action("spam", "spam", "Spam", "als spam gemarkeerd", "comment.spam",
           _ALL - {CommentStatus.SPAM}, news.mark_spam),
    Action("not_spam", "geen-spam", "Geen spam", "als geen spam gemarkeerd", "comment.not_spam",
           frozenset({CommentStatus.SPAM}), news.mark_not_spam),
    Action("trash", "prullenbak", "Naar prullenbak", "naar de prullenbak verplaatst", "comment.trashed",
           _ALL - {CommentStatus.TRASH}, news.trash_comment),
    Action("restore", "terugzetten", "Terugzetten", "teruggezet uit de prullenbak", "comment.restored",
           frozenset({CommentStatus.TRASH}), news.restore_comment),
    Action("delete", "verwijderen", "Definitief verwijderen", "definitief verwijderd", "comment.deleted",
           _ALL, news.delete_comment),
)}

# The actions offered per tab, in button order.
TAB_ACTIONS = {
    CommentStatus.PENDING: ("approve", "spam", "trash"),
    CommentStatus.APPROVED: ("unapprove", "spam", "trash"),
    CommentStatus.SPAM: ("not_spam", "trash", "delete"),
    CommentStatus.TRASH: ("restore", "delete"),
}


def _about(comment: Comment) -> dict:
    """The audit data of a comment: its article (id and title), nothing of its author."""
    return {"article_id": comment.article_id, "article": comment.article.title}


def moderate(comment: Comment, action: Action, actor: StaffUser) -> bool:
    """Apply one action; False (nothing changed, nothing recorded) when it does not apply to the
    comment's status, e.g. approving an approved comment."""
    if CommentStatus(comment.status) not in action.allowed:
        return False
    comment_id, data = comment.id, _about(comment)
    if action.name == "delete":
        data["replies"] = news_queries.reply_count(comment)
    action.service(comment)
    log_action(action.audit, "comment", comment_id, actor=actor, data=data)
    return True


def moderate_many(comments: Sequence[Comment], action: Action, actor: StaffUser) -> tuple[int, int]:
    """(done, skipped): skipped are those the action does not apply to. A reply deleted with its
    parent earlier in the batch counts as done."""
    done = skipped = 0
    for comment in comments:
        if comment not in db.session:  # already deleted as a reply of an earlier one
            done += 1
        elif moderate(comment, action, actor):
            done += 1
        else:
            skipped += 1
    return done, skipped


def edit(comment: Comment, actor: StaffUser, *, body: str, author_name: str, author_email: str,
         author_url: str) -> None:
    changed = [name for name, old, new in (
        ("body", comment.body, body.strip()), ("author_name", comment.author_name, author_name.strip()),
        ("author_email", comment.author_email, author_email.strip()),
        ("author_url", comment.author_url or "", author_url.strip())) if old != new]
    news.edit_comment(comment, body=body, author_name=author_name, author_email=author_email,
                      author_url=author_url)
    log_action("comment.edited", "comment", comment.id, actor=actor, data={**_about(comment), "changed": changed})


class CannotReply(Exception):
    """Staff cannot reply to a comment in spam or the trash (replying publishes it)."""


def reply(comment: Comment, actor: StaffUser, body: str) -> Comment:
    """A staff reply, published at once; the comment replied to is approved if it was pending."""
    if comment.status not in (CommentStatus.PENDING, CommentStatus.APPROVED):
        raise CannotReply()
    was_pending = comment.status == CommentStatus.PENDING
    name = actor.name or f"Redactie {current_app.config['SITE_NAME']}"
    new = news.staff_reply(comment, body=body, author_name=name, author_email=actor.email,
                           staff_user_id=actor.id)
    if was_pending:
        log_action("comment.approved", "comment", comment.id, actor=actor, data={**_about(comment), "with_reply": True})
    log_action("comment.replied", "comment", comment.id, actor=actor, data={**_about(comment), "reply_id": new.id})
    return new


def _excerpt(body: str, length: int = 200) -> str:
    """A comment on one line, cut at `length` characters."""
    text = " ".join(body.split())
    return text if len(text) <= length else text[:length].rstrip() + "…"


def send_moderation_digest(now: datetime | None = None, listed: int = 50) -> int:
    """One e-mail to every active moderator, editor and admin listing the comments that started
    waiting since the last digest, at most once per COMMENT_DIGEST_MINUTES: a flood of comments
    makes one mail per period, not one per comment. Run by `flask send-mail` before it delivers.
    The comments are claimed with one UPDATE, so two runs at once never list the same comment
    twice. Returns the number of mails queued (in the outbox, in the caller's transaction)."""
    now = now or utcnow()
    config = current_app.config
    last = news_queries.last_digest_at()
    if last is not None and now - last < timedelta(minutes=config["COMMENT_DIGEST_MINUTES"]):
        return 0
    claimed = news.claim_for_digest(now)
    if not claimed:
        return 0
    waiting = news_queries.digest_comments(now, listed)
    count = f"{claimed} nieuwe {'reactie wacht' if claimed == 1 else 'reacties wachten'}"
    comments = [(comment, held_reason_label(comment.held_reason), _excerpt(comment.body))
                for comment in waiting]
    addresses = moderator_addresses()
    for address in addresses:
        send_mail(address, f"{count} op goedkeuring", "staff/mail/moderation_digest",
                  claimed=claimed, comments=comments, site=site_url(),
                  minutes=config["COMMENT_DIGEST_MINUTES"])
    return len(addresses)


def staff_identities() -> tuple[list[str], list[str]]:
    """(addresses, names) of every staff account, active or not: a comment under one of them is
    never approved on its own (sbo.news.spam.imitates_staff)."""
    rows = db.session.execute(select(StaffUser.email, StaffUser.name)).all()
    return [row.email for row in rows], [row.name for row in rows if row.name]
