"""Comment services: posting, the public thread page and moderation (used by the staff area).
Re-exported from `sbo.news.services`. They flush and never commit."""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup, escape
from sqlalchemy import bindparam, delete, func, or_, select, tuple_, update

from ..clock import utcnow
from ..email_address import normalise_email
from ..extensions import db
from ..filters import dutch_datetime, iso_moment
from ..mail import send_mail
from ..mail_throttle import may_mail
from ..signals import comment_held
from ..tokens import token_hash
from ..urls import external_url
from . import spam
from .markdown import comment_html
from .models import Article, Comment, CommentStatus


class CommentsClosed(Exception):
    """The article takes no more comments (or is not public)."""


class InvalidParent(Exception):
    """The comment replied to is not an approved comment of this article."""


def post_comment(article: Article, *, body: str, author_name: str, author_email: str,
                 author_url: str | None = None, parent: Comment | None = None,
                 notify_replies: bool = False, ip_address: str | None = None,
                 honeypot: str | None = None, form_age: float | None = math.inf,
                 visitor_token_hash: str | None = None, proofs: Sequence[tuple[int, str]] = (),
                 now: datetime | None = None) -> Comment:
    """A comment from the public form. Its status follows spam.assess(); raises CommentsClosed,
    InvalidParent, DuplicateComment. `form_age`: seconds the form was open (None = the signed
    timestamp was missing or forged; the default, infinity, is for callers without a form).
    `visitor_token_hash`: the hash of the secret the posting browser keeps (see cookies.py);
    `proofs`: (id, secret) of earlier comments that browser posted under this address."""
    now = now or utcnow()
    config = current_app.config
    if not article.comments_open(config["COMMENTS_CLOSE_AFTER_DAYS"], now):
        raise CommentsClosed()
    if parent is not None:
        if parent.article_id != article.id or parent.status != CommentStatus.APPROVED:
            raise InvalidParent()
        while parent.depth >= config["COMMENT_MAX_DEPTH"] and parent.parent is not None:
            parent = parent.parent  # a reply to the deepest level joins its parent's replies
    verdict = spam.assess(article.id, body=body, name=author_name, email=author_email,
                          url=author_url, ip_address=ip_address, honeypot=honeypot,
                          age=form_age, proofs=proofs, now=now)
    comment = Comment(
        article_id=article.id, parent_id=parent.id if parent else None,
        thread_id=parent.thread_id if parent else None, depth=parent.depth + 1 if parent else 1,
        author_name=author_name.strip(), author_email=author_email.strip(),
        author_url=(author_url or "").strip() or None, body=body.strip(),
        status=verdict.status, held_reason=verdict.held_reason, notify_replies=notify_replies,
        ip_address=ip_address, created_at=now, status_changed_at=now,
        visitor_token_hash=visitor_token_hash,
        approval_mailed=verdict.status == CommentStatus.APPROVED)  # they saw it appear at once
    db.session.add(comment)
    db.session.flush()
    if comment.thread_id is None:
        comment.thread_id = comment.id
    if comment.status == CommentStatus.APPROVED:
        comment.approved_at = now
        _notify_parent(comment, article)
    db.session.flush()
    if comment.status == CommentStatus.PENDING:
        comment_held.send(comment)
    return comment


# ---------------------------------------------------------------- the public thread

def _own(own: Sequence[tuple[int, str]]):
    """The visitor's own comments: an id counts only together with the secret that was handed
    to the browser that posted it."""
    return or_(*((Comment.id == comment_id) & (Comment.visitor_token_hash == token_hash(token))
                 for comment_id, token in own))


def _visible(own: Sequence[tuple[int, str]]):
    """Approved comments, and the visitor's own pending ones."""
    if own:
        return or_(Comment.status == CommentStatus.APPROVED, (Comment.status == CommentStatus.PENDING) & _own(own))
    return Comment.status == CommentStatus.APPROVED


class _Page(Pagination):
    """A page whose items and total were read beforehand (one statement for both counts)."""

    def _query_items(self) -> list:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


# what a thread page shows of a comment: a Core row, not an ORM object (issue 18)
THREAD_COLUMNS = (Comment.id, Comment.parent_id, Comment.depth, Comment.author_name,
                  Comment.author_url, Comment.body, Comment.body_html, Comment.status,
                  Comment.is_staff, Comment.created_at)


def _counts_statement(own_ids: list):
    return (select(func.count().filter(Comment.parent_id.is_(None) & _visible(own_ids)),
                   func.count().filter(Comment.status == CommentStatus.APPROVED))
            .where(Comment.article_id == bindparam("article_id")))


def _threads_statement(own_ids: list):
    root_ids = (select(Comment.id)
                .where(Comment.article_id == bindparam("article_id"), Comment.parent_id.is_(None),
                       _visible(own_ids))
                .order_by(Comment.created_at, Comment.id)
                .limit(bindparam("per_page")).offset(bindparam("offset")))
    return (select(*THREAD_COLUMNS)
            .where(Comment.thread_id.in_(root_ids.scalar_subquery()), _visible(own_ids))
            .order_by(Comment.parent_id.is_not(None), Comment.created_at, Comment.id)
            .limit(bindparam("rows")))


@cache
def _plain(build):
    """The statement of a visitor without pending comments of their own (nearly every
    visitor), built once: building it took as long as running it (issue 18)."""
    return build([])


def _statement(build, own_ids: list):
    return build(own_ids) if own_ids else _plain(build)


def comment_counts_of(article: Article, own: Sequence[tuple[int, str]] = ()) -> tuple[int, int]:
    """(visible top-level comments, approved comments) of the article, in one statement."""
    row = db.session.execute(_statement(_counts_statement, list(own)), {"article_id": article.id}).one()
    return row[0] or 0, row[1] or 0


def comment_threads(article: Article, page: int, per_page: int, own: Sequence[tuple[int, str]] = (),
                    max_replies: int = 500, roots_total: int | None = None
                    ) -> tuple[Pagination, dict[int, list]]:
    """One page of top-level comments (oldest first) and the visible replies of those threads,
    as {parent_id: [replies]}: rows with THREAD_COLUMNS. One query for the page of threads with
    their replies (the top-level comments first, then at most `max_replies` replies), plus the
    count unless `roots_total` is given. `own`: (id, secret) of the visitor's own comments
    (their pending ones are shown too)."""
    own_ids = list(own)
    if roots_total is None:
        roots_total = comment_counts_of(article, own_ids)[0]
    rows = db.session.execute(_statement(_threads_statement, own_ids), {
        "article_id": article.id, "per_page": per_page, "offset": (page - 1) * per_page,
        "rows": per_page + max_replies}).all()
    roots = [row for row in rows if row.parent_id is None]
    children: dict[int, list] = {}
    for reply in rows[len(roots):]:
        children.setdefault(reply.parent_id, []).append(reply)
    return _Page(page=page, per_page=per_page, error_out=False, items=roots, total=roots_total), children


class ShownComment(NamedTuple):
    """A comment as the article page draws it, prepared once in Python (issue 18): the text as
    stored HTML, the author's link decided, the date formatted once per distinct minute.
    `opens`: its replies follow (a nested list inside its item); `closes`: the number of
    nested lists that end after it."""
    id: int
    status: str
    is_staff: bool
    author_name: str
    author: Markup
    iso: str
    when: str
    body: Markup
    can_reply: bool  # approved and not at the deepest level: while the comments are open
    opens: bool
    closes: int


def _author(row) -> Markup:
    url = row.author_url
    if url and url.lower().startswith(("http://", "https://")):
        html = Markup('<a href="{}" rel="nofollow ugc noopener">{}</a>').format(url, row.author_name)
    else:
        html = escape(row.author_name)
    if row.is_staff:
        html += Markup(' <span class="tag">Reactie van de redactie</span>')
    return html


def thread_page(page: int, per_page: int, entries: list, roots_total: int) -> Pagination:
    """The pagination of a page of threads read beforehand (its ShownComment entries)."""
    return _Page(page=page, per_page=per_page, error_out=False, items=entries, total=roots_total)


def thread_list(roots: Sequence, children: dict[int, list], max_depth: int = 0) -> list[ShownComment]:
    """The comments of a page in the order they show, each reply after its parent: the
    template loops instead of recursing. Plain values, the same for every visitor: whether
    the comments are open is the template's to add (it changes with the clock)."""
    out: list[list] = []
    dates: dict[datetime, tuple[str, str]] = {}

    def walk(row) -> None:
        minute = row.created_at.replace(second=0, microsecond=0)
        if minute not in dates:
            dates[minute] = (iso_moment(row.created_at), dutch_datetime(row.created_at))
        iso, when = dates[minute]
        body = Markup(row.body_html) if row.body_html is not None else comment_html(row.body)
        replies = children.get(row.id)
        out.append([row.id, row.status, row.is_staff, row.author_name, _author(row), iso, when, body,
                    row.status == CommentStatus.APPROVED and row.depth < max_depth,
                    bool(replies), 0])
        if replies:
            for reply in replies:
                walk(reply)
            out[-1][-1] += 1  # the replies' list and this comment's item end after the last one
    for root in roots:
        walk(root)
    return [ShownComment(*entry) for entry in out]


def approved_count(article: Article) -> int:
    return db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.article_id == article.id, Comment.status == CommentStatus.APPROVED)) or 0


def comment_page(comment: Comment, per_page: int, own_ids: Sequence[tuple[int, str]] = ()) -> int:
    """The page of the article's thread list on which `comment` appears: the visible threads
    before it, counted as the approved ones (from the thread-roots index alone) plus the
    visitor's own pending ones. One count of "approved or own" read every row's page of the
    table instead (1.4-2.7 ms after a busy article's 2,000 comments, on every comment POST)."""
    root = comment if comment.parent_id is None else db.session.get(Comment, comment.thread_id)
    roots_before = (Comment.article_id == comment.article_id, Comment.parent_id.is_(None),
                    tuple_(Comment.created_at, Comment.id) < tuple_(root.created_at, root.id))
    before = select(func.count()).where(*roots_before, Comment.status == CommentStatus.APPROVED).scalar_subquery()
    if own_ids:
        before = before + (select(func.count()).where(*roots_before, Comment.status == CommentStatus.PENDING,
                                                      _own(list(own_ids))).scalar_subquery())
    return (db.session.scalar(select(before)) or 0) // per_page + 1


def comment_url(comment: Comment) -> str:
    """An absolute link to the comment (redirects to the right page of the thread)."""
    return external_url("news.comment_link", slug=comment.article.slug, comment_id=comment.id)


# ---------------------------------------------------------------- moderation

def _set_status(comment: Comment, status: CommentStatus, now: datetime | None = None) -> None:
    comment.status = status
    comment.status_changed_at = now or utcnow()


def _notify_parent(comment: Comment, article: Article) -> None:
    """Tell the author of the comment replied to, once, if they asked for it."""
    parent = comment.parent
    if (parent is None or comment.reply_mailed or not parent.notify_replies
            or parent.status != CommentStatus.APPROVED
            or normalise_email(parent.author_email) == normalise_email(comment.author_email)):
        return
    comment.reply_mailed = True
    if not may_mail("comment-reply", parent.author_email):  # one notification per period
        return
    send_mail(parent.author_email, f"Nieuwe reactie op je reactie bij “{article.title}”", "news/mail/reply",
              parent=parent, comment=comment, article=article, link=comment_url(comment))


def approve_comment(comment: Comment, now: datetime | None = None) -> Comment:
    """Publish. The author gets one e-mail with a link (never twice); the author of the comment
    replied to gets a notification if they asked for one."""
    now = now or utcnow()
    _set_status(comment, CommentStatus.APPROVED, now)
    comment.held_reason = None
    comment.approved_at = comment.approved_at or now
    article = comment.article
    if (not comment.approval_mailed and not comment.is_staff
            and may_mail("comment-approved", comment.author_email)):  # typed in: one per period
        send_mail(comment.author_email, f"Je reactie bij “{article.title}” is geplaatst", "news/mail/approved",
                  comment=comment, article=article, link=comment_url(comment))
        comment.approval_mailed = True
    _notify_parent(comment, article)
    db.session.flush()
    return comment


def unapprove_comment(comment: Comment, now: datetime | None = None) -> Comment:
    _set_status(comment, CommentStatus.PENDING, now)
    db.session.flush()
    return comment


def mark_spam(comment: Comment, now: datetime | None = None) -> Comment:
    _set_status(comment, CommentStatus.SPAM, now)
    db.session.flush()
    return comment


def mark_not_spam(comment: Comment, now: datetime | None = None) -> Comment:
    """Back to the moderation queue."""
    _set_status(comment, CommentStatus.PENDING, now)
    comment.held_reason = None
    db.session.flush()
    return comment


def trash_comment(comment: Comment, now: datetime | None = None) -> Comment:
    _set_status(comment, CommentStatus.TRASH, now)
    db.session.flush()
    return comment


def restore_comment(comment: Comment, now: datetime | None = None) -> Comment:
    """From the trash back to the moderation queue."""
    _set_status(comment, CommentStatus.PENDING, now)
    db.session.flush()
    return comment


def delete_comment(comment: Comment) -> None:
    """Delete for good, with its replies (the database cascades on parent_id)."""
    ids = [comment.id]
    frontier = [comment.id]
    while frontier:  # collect the replies so the session forgets them too
        frontier = list(db.session.scalars(select(Comment.id).where(Comment.parent_id.in_(frontier))))
        ids += frontier
    db.session.execute(delete(Comment).where(Comment.id.in_(ids)), execution_options={"synchronize_session": False})
    for obj in [o for o in db.session.identity_map.values() if isinstance(o, Comment) and o.id in ids]:
        db.session.expunge(obj)
    db.session.flush()


def edit_comment(comment: Comment, *, body: str, author_name: str | None = None,
                 author_email: str | None = None, author_url: str | None = None,
                 now: datetime | None = None) -> Comment:
    """Staff correct a comment; arguments left None stay as they are."""
    comment.body = body.strip()
    if author_name is not None:
        comment.author_name = author_name.strip()
    if author_email is not None:
        comment.author_email = author_email.strip()
    if author_url is not None:
        comment.author_url = author_url.strip() or None
    comment.edited_at = now or utcnow()
    db.session.flush()
    return comment


def staff_reply(parent: Comment, *, body: str, author_name: str, author_email: str,
                staff_user_id: int | None = None, now: datetime | None = None) -> Comment:
    """A reply by staff, published at once (also on a closed article). Approving the parent too
    if it was still pending, as replying implies it. Stored as staff (is_staff, the account's
    id): shown as "Reactie van de redactie", and never proof that its address is a known
    commenter's."""
    now = now or utcnow()
    if parent.status != CommentStatus.APPROVED:
        approve_comment(parent, now)
    target = parent
    while target.depth >= current_app.config["COMMENT_MAX_DEPTH"] and target.parent is not None:
        target = target.parent
    reply = Comment(article_id=parent.article_id, parent_id=target.id, thread_id=target.thread_id,
                    depth=target.depth + 1, author_name=author_name, author_email=author_email,
                    body=body.strip(), status=CommentStatus.APPROVED, is_staff=True,
                    staff_user_id=staff_user_id,
                    approval_mailed=True, created_at=now, approved_at=now, status_changed_at=now)
    db.session.add(reply)
    db.session.flush()
    _notify_parent(reply, parent.article)
    db.session.flush()
    return reply


def claim_for_digest(now: datetime) -> int:
    """Mark every waiting comment not yet in a digest as notified at `now`, in one UPDATE (two
    runs at once never claim the same comment). Returns how many were claimed; read them with
    queries.digest_comments(now, …)."""
    return db.session.execute(
        update(Comment).where(Comment.status == CommentStatus.PENDING,
                              Comment.moderators_notified_at.is_(None))
        .values(moderators_notified_at=now), execution_options={"synchronize_session": False}).rowcount


def purge_comments(older_than_days: int = 30, now: datetime | None = None) -> int:
    """Delete spam and trash that has sat there longer than the given days. Returns the number."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    old = list(db.session.scalars(select(Comment).where(
        Comment.status.in_([CommentStatus.SPAM, CommentStatus.TRASH]),
        Comment.status_changed_at < cutoff)))
    count = 0
    for comment in old:
        if comment in db.session:
            delete_comment(comment)
            count += 1
    return count


def forget_ips(older_than_days: int = 30, now: datetime | None = None) -> int:
    """Clear the IP address of comments older than the given days. Returns the number."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    result = db.session.execute(
        update(Comment).where(Comment.created_at < cutoff, Comment.ip_address.is_not(None))
        .values(ip_address=None), execution_options={"synchronize_session": False})
    db.session.flush()
    return result.rowcount or 0
