"""Read-side queries of the news domain for the staff area: the moderation queue and its
counts, comments by id, the comments for the moderators' digest, and articles with their
documents."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from .. import reads
from ..extensions import db
from ..paging import Seek, page_order, page_window, past_cursor
from ..text import contains_text
from .models import Article, ArticleDocument, Comment, CommentStatus
from .status_counts import CommentStatusCount

# ---------------------------------------------------------------- comments

_QUEUE_COLUMNS = (Comment.id, Comment.author_name, Comment.author_email, Comment.ip_address,
                  Comment.author_url, Comment.body, Comment.is_staff, Comment.parent_id,
                  Comment.created_at, Comment.held_reason,
                  Article.slug.label("article_slug"), Article.title.label("article_title"))


_QUEUE_ORDER = ("created_at", "id")  # newest first: the index (status, created_at, id)


def _moderation_statement(search: str | None, in_order: bool = True, cursor: bool = False) -> Select:
    """The page of the queue and the kept counts (binds status, limit, offset; cursor when
    `cursor`). The page's ids are cut from the index (status, created_at, id): newest first, or
    (not `in_order`) oldest first, for a page counted from the end or one before the cursor;
    with `cursor`, past the comment `cursor` (sbo.paging). The rows come newest first."""
    comments = Comment.__table__
    ids = select(Comment.id).where(Comment.status == bindparam("status"))
    if search:
        ids = ids.where(contains_text(search, Comment.body, Comment.author_name, Comment.author_email))
    if cursor:
        ids = ids.where(past_cursor(comments, _QUEUE_ORDER, True, in_order))
    ids = (ids.order_by(*page_order(comments, _QUEUE_ORDER, True, in_order))
           .limit(bindparam("limit")).offset(bindparam("offset")))
    kept = [select(CommentStatusCount.n).where(CommentStatusCount.status == s.value)
            .scalar_subquery().label(f"n_{s.value}") for s in CommentStatus]
    return (select(*_QUEUE_COLUMNS, *kept).join(Article, Article.id == Comment.article_id)
            .where(Comment.id.in_(ids.scalar_subquery()))
            .order_by(Comment.created_at.desc(), Comment.id.desc()))


@cache
def _moderation_page_statement(in_order: bool = True, cursor: bool = False) -> Select:
    return _moderation_statement(None, in_order, cursor)  # built once, bound per call


def moderation_rows(status: CommentStatus, search: str | None, page: int, per_page: int,
                    seek: Seek | None = None) -> tuple[list, dict[CommentStatus, int] | None]:
    """A page of the queue as plain rows (the columns a row of the queue shows, with its
    article's slug and title), newest first, and the kept counts per status read by the same
    statement (None when the page is empty: then ask comment_counts()). The page is chosen over
    the ids in the index (status, created_at, id) and only its rows are read whole: page 400
    cost 4x page 1 when the OFFSET walked the rows and their articles (issue 18). With `seek`
    (its link said where the page starts: sbo.paging) it is read from there, so that a deep
    page costs what the first does; if that finds nothing, with OFFSET. Columns only,
    so run by sbo.reads without the ORM's execution around it; nothing pending is flushed first
    (the queue's views change nothing before they draw it)."""
    status = CommentStatus(status)
    window = page_window(seek, page, per_page,
                         lambda: search_count(status, search) if search else comment_counts()[status])
    with_cursor = window.cursor is not None
    statement = (_moderation_statement(search, window.in_order, with_cursor) if search
                 else _moderation_page_statement(window.in_order, with_cursor))
    rows = reads.rows(statement, {"status": status.value, **window.params()})
    if not rows and seek is not None:  # the comment it started from is gone: count the rows again
        return moderation_rows(status, search, page, per_page)
    if not rows:
        return [], None
    first = rows[0]
    return rows, {s: getattr(first, f"n_{s.value}") or 0 for s in CommentStatus}


def search_count(status: CommentStatus, search: str) -> int:
    """How many comments in `status` the search finds."""
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(
            Comment.status == CommentStatus(status),
            contains_text(search, Comment.body, Comment.author_name, Comment.author_email))) or 0


@cache
def _counts_statement() -> Select:
    return select(CommentStatusCount.status, CommentStatusCount.n)


def comment_counts() -> dict[CommentStatus, int]:
    """Comments per status, from the counts the database keeps (sbo/news/status_counts.py)."""
    rows = reads.rows(_counts_statement())
    counts = {status: 0 for status in CommentStatus}
    for status, n in rows:
        counts[CommentStatus(status)] = n
    return counts


def comment_or_404(comment_id: int) -> Comment:
    """The comment, with its article."""
    comment = db.session.get(Comment, comment_id, options=[joinedload(Comment.article)])
    if comment is None:
        raise NotFound()
    return comment


def comments_by_ids(ids: Sequence[int]) -> list[Comment]:
    """The comments with these ids (unknown ids are left out), newest first, with their article."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(Comment).options(joinedload(Comment.article)).where(Comment.id.in_(list(ids)))
        .order_by(Comment.created_at.desc(), Comment.id.desc())))


def reply_count(comment: Comment) -> int:
    """The number of direct replies to the comment."""
    return db.session.scalar(select(func.count()).select_from(Comment)
                             .where(Comment.parent_id == comment.id)) or 0


def last_digest_at() -> datetime | None:
    """When the moderators were last sent a digest of waiting comments (None: never)."""
    return db.session.scalar(select(func.max(Comment.moderators_notified_at)))


def digest_comments(notified_at: datetime, limit: int) -> list[Comment]:
    """The waiting comments claimed for the digest sent at `notified_at`, oldest first, with
    their article (see comments.claim_for_digest)."""
    return list(db.session.scalars(
        select(Comment).options(joinedload(Comment.article))
        .where(Comment.status == CommentStatus.PENDING, Comment.moderators_notified_at == notified_at)
        .order_by(Comment.created_at, Comment.id).limit(limit)))


# ---------------------------------------------------------------- articles

def article_or_404(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound()
    return article


def article_with_links(article_id: int) -> Article:
    """The article with its themes, offerings, related articles and documents loaded."""
    article = db.session.scalar(select(Article).where(Article.id == article_id).options(
        selectinload(Article.themes), selectinload(Article.offering_links),
        selectinload(Article.related_links), selectinload(Article.documents)))
    if article is None:
        raise NotFound()
    return article


def document_or_404(document_id: int) -> ArticleDocument:
    document = db.session.get(ArticleDocument, document_id)
    if document is None:
        raise NotFound()
    return document


def article_choices(leave_out: Article | None = None, limit: int = 300) -> list[tuple[int, str]]:
    """(id, title) of the newest articles (drafts last), for a select; without `leave_out`."""
    query = select(Article.id, Article.title).order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)
    if leave_out is not None:
        query = query.where(Article.id != leave_out.id)
    return [tuple(row) for row in db.session.execute(query)]
