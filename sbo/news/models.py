"""News tables: articles, their themes, documents, related offerings and articles, and comments."""
from __future__ import annotations

import enum
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, false,
                        func, inspect, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..pagecache import track_content
from ..catalogue.models import Offering, Theme
from ..clock import utcnow
from ..extensions import db
from ..labels import labelled
from .markdown import comment_html

article_theme = Table(
    "article_theme",
    db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ArticleDates:
    """When an article is public and takes comments: shared by the ORM class and the plain row
    its public page is drawn from (services.PageArticle), which have these attributes:
    published_at, comments_closed, comments_open_days."""

    def is_public(self, now: datetime | None = None) -> bool:
        return self.published_at is not None and self.published_at <= (now or utcnow())

    def comments_close_at(self, default_days: int | None) -> datetime | None:
        """When the comments close by themselves: None when there is no limit (the default)."""
        days = self.comments_open_days if self.comments_open_days is not None else default_days
        if self.published_at is None or days is None:
            return None
        return self.published_at + timedelta(days=days)

    def comments_open(self, default_days: int | None = None, now: datetime | None = None) -> bool:
        """Open unless staff closed them or a limit in days (this article's, else the site's) passed."""
        if self.comments_closed or not self.is_public(now):
            return False
        close = self.comments_close_at(default_days)
        return close is None or (now or utcnow()) < close


class Article(ArticleDates, db.Model):
    __tablename__ = "article"
    # newest first with the id, as the news list orders: its pages cut in the index (issue 18)
    __table_args__ = (Index("ix_article_published_id", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    lead: Mapped[str] = mapped_column(String(600), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # None = draft; a moment in the future = scheduled, not yet public
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # staff closed the comments of this article (they stay visible)
    comments_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # None = the site-wide limit (config COMMENTS_CLOSE_AFTER_DAYS, off by default)
    comments_open_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    themes: Mapped[list[Theme]] = relationship(secondary=article_theme, order_by="Theme.name")
    documents: Mapped[list["ArticleDocument"]] = relationship(
        back_populates="article", order_by="ArticleDocument.position", cascade="all, delete-orphan")
    offering_links: Mapped[list["ArticleOffering"]] = relationship(
        order_by="ArticleOffering.position", cascade="all, delete-orphan")
    related_links: Mapped[list["RelatedArticle"]] = relationship(
        foreign_keys="RelatedArticle.article_id", order_by="RelatedArticle.position",
        cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"


class ArticleDocument(db.Model):
    """A file (stored under instance/uploads/news/) or a link, shown under "Documenten"."""
    __tablename__ = "article_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))  # a link, or None for a stored file
    stored_name: Mapped[str | None] = mapped_column(String(120))
    filename: Mapped[str | None] = mapped_column(String(200))  # the download name
    file_type: Mapped[str] = mapped_column(String(20), default="")  # "PDF", "DOCX", "Webpagina"
    size_bytes: Mapped[int | None] = mapped_column(Integer)

    article: Mapped[Article] = relationship(back_populates="documents")


class ArticleOffering(db.Model):
    """An offering chosen by staff for "Meer weten?", in their order."""
    __tablename__ = "article_offering"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    offering: Mapped[Offering] = relationship()


class RelatedArticle(db.Model):
    """"Bekijk ook": another article chosen by staff, in their order."""
    __tablename__ = "related_article"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    related_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    related: Mapped[Article] = relationship(foreign_keys=[related_id])


@labelled
class ArticleStatus(enum.StrEnum):
    """Not stored: derived from published_at (news.services.article_status)."""
    PUBLISHED = "gepubliceerd"
    SCHEDULED = "gepland"
    DRAFT = "concept"

    @property
    def label(self) -> str:
        return {"gepubliceerd": "Gepubliceerd", "gepland": "Gepland", "concept": "Concept"}[self.value]


@labelled
class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"

    @property
    def label(self) -> str:
        return {"pending": "Wacht op goedkeuring", "approved": "Goedgekeurd", "spam": "Spam",
                "trash": "Prullenbak"}[self.value]


def body_hash(body: str | None) -> str | None:
    """A short digest of a comment's text (the same text has the same digest)."""
    return None if body is None else hashlib.sha256(body.encode()).hexdigest()[:16]


def _body_hash_default(context) -> str | None:
    """For inserts that bypass the ORM attribute (bulk inserts): hash the row's body."""
    return body_hash(context.get_current_parameters().get("body"))


def body_html(body: str | None) -> str | None:
    """A comment's text as the site shows it (escaped, addresses hidden, paragraphs, links):
    kept with the comment whenever its text is set, so a page of 2,000 comments does not run
    the text pass for each of them on every render (issue 18)."""
    return None if body is None else str(comment_html(body))


def _body_html_default(context) -> str | None:
    """For inserts that bypass the ORM attribute (bulk inserts)."""
    return body_html(context.get_current_parameters().get("body"))


class Comment(db.Model):
    """A comment or a reply (depth 1 = top level, at most COMMENT_MAX_DEPTH).
    `thread_id` is the id of the top-level comment, so a page of threads loads in one query."""
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(Integer)  # see ix_comment_thread_status
    depth: Mapped[int] = mapped_column(Integer, default=1)
    author_name: Mapped[str] = mapped_column(String(100))
    author_email: Mapped[str] = mapped_column(String(254))  # see ix_comment_author_email_lower
    author_url: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # the spam check looks for the same text on the same article by this short digest, through
    # an index, instead of comparing every comment's body (2.4 ms at 7,000 comments on SQLite)
    body_hash: Mapped[str | None] = mapped_column(String(16), default=_body_hash_default)
    # the public HTML of `body` (markdown.comment_html), set with it; None only for a row
    # written around the model (the page renders the text then)
    body_html: Mapped[str | None] = mapped_column(Text, default=_body_html_default)
    status: Mapped[CommentStatus] = mapped_column(String(10), default=CommentStatus.PENDING)
    held_reason: Mapped[str | None] = mapped_column(String(20))  # links, flood, woorden, dubbel, …
    # a reply by staff ("Reactie van de redactie"), linked to their account; never proof that
    # an address is known (see spam.assess)
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    # no foreign key: the staff tables belong to the staff area (and ids are never reused)
    staff_user_id: Mapped[int | None] = mapped_column(Integer)
    # sha256 of the random secret the posting browser holds in its cookies (sbo.news.cookies):
    # it alone sees the comment while pending, and may later prove to be the same person
    visitor_token_hash: Mapped[str | None] = mapped_column(String(64))
    # when the moderators' digest listed this pending comment (None: not yet)
    moderators_notified_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    notify_replies: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_mailed: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_mailed: Mapped[bool] = mapped_column(Boolean, default=False)
    ip_address: Mapped[str | None] = mapped_column(String(45))  # spam control only, see ix_comment_ip_created
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)

    article: Mapped[Article] = relationship()
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])

    __table_args__ = (
        Index("ix_comment_article_status_parent", "article_id", "status", "parent_id", "created_at"),
        Index("ix_comment_status_changed", "status", "status_changed_at"),
        # a page of threads (top-level comments, oldest first): partial, so that PostgreSQL sees
        # the order (it does not treat "parent_id IS NULL" as fixing a column; without this
        # index it walked ix_comment_created_at through every comment: 300 ms per page)
        Index("ix_comment_thread_roots", "article_id", "status", "created_at", "id",
              postgresql_where=text("parent_id IS NULL"), sqlite_where=text("parent_id IS NULL")),
        # the replies of a page of threads; with thread_id alone, SQLite scanned every approved comment
        Index("ix_comment_thread_status", "thread_id", "status", "created_at"),
        Index("ix_comment_article_body_hash", "article_id", "body_hash"),
        # the flood check: anything from this address since a moment, without reading all of
        # its comments (one office address may post thousands over the years)
        Index("ix_comment_ip_created", "ip_address", "created_at"),
        # the moderation queue, newest first per status: a page read in order (issue 18)
        Index("ix_comment_status_created", "status", "created_at", "id"),
    )

    @validates("body")
    def _hash_body(self, _key: str, body: str) -> str:
        self.body_hash = body_hash(body)
        self.body_html = body_html(body)
        return body

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.status}>"


# the spam checks look a person up by lower(e-mail): without this index, every comment POST
# read all 200,000 comments (twice)
Index("ix_comment_author_email_lower", func.lower(Comment.author_email))


def _shown_in_public(comment: Comment) -> bool:
    """Only an approved comment, or one that was approved until now, changes a public page:
    a new pending comment (or spam) leaves the page cache alone."""
    return comment.status == CommentStatus.APPROVED or \
        CommentStatus.APPROVED in inspect(comment).attrs.status.history.deleted


class CommentFormUse(db.Model):
    """A signed start time of the comment form that has been used: each is good for one post."""
    __tablename__ = "comment_form_use"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    used_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


track_content(Article, ArticleDocument, ArticleOffering, RelatedArticle, article_theme)
track_content(Comment, when=_shown_in_public)

from . import status_counts  # noqa: E402,F401  the moderation tabs' counts (a table and triggers)
