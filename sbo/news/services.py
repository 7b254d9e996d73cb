"""News services: public article queries, posting comments and the moderation actions the staff
area uses. They take explicit arguments, flush and never commit: the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from ..catalogue.models import Offering, Theme, offering_theme
from ..extensions import db
from ..mail import utcnow
from .comments import (CommentsClosed, InvalidParent, approve_comment, approved_count,  # noqa: F401
                       comment_counts, comment_page, comment_threads, comment_url, comments_query,
                       delete_comment, edit_comment, forget_ips, mark_not_spam, mark_spam,
                       post_comment, purge_comments, restore_comment, search_comments, staff_reply,
                       trash_comment, unapprove_comment)
from .models import Article, ArticleDocument, ArticleOffering, RelatedArticle, article_theme
from .spam import DuplicateComment  # noqa: F401


# ---------------------------------------------------------------- articles

def is_public(now: datetime | None = None):
    return and_(Article.published_at.is_not(None), Article.published_at <= (now or utcnow()))


def articles_query(theme: Theme | None = None, now: datetime | None = None):
    query = select(Article).where(is_public(now)).order_by(Article.published_at.desc(), Article.id.desc())
    if theme is not None:
        query = query.where(Article.id.in_(
            select(article_theme.c.article_id).where(article_theme.c.theme_id == theme.id)))
    return query


def latest_articles(n: int = 3, now: datetime | None = None) -> list[Article]:
    """The n newest public articles (for the home page)."""
    return list(db.session.scalars(articles_query(now=now).limit(n)))


def public_article(slug: str, now: datetime | None = None) -> Article | None:
    return db.session.scalar(
        select(Article).where(Article.slug == slug, is_public(now))
        .options(selectinload(Article.themes), selectinload(Article.documents)))


def sitemap_urls(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """(path, last modified) of every public news URL: the list, the feed and each article."""
    rows = db.session.execute(
        select(Article.slug, Article.updated_at, Article.published_at)
        .where(is_public(now)).order_by(Article.published_at.desc())).all()
    newest = max((max(r.updated_at, r.published_at) for r in rows), default=utcnow())
    urls = [("/nieuws", newest), ("/nieuws/feed.xml", newest)]
    urls += [(f"/nieuws/{r.slug}", max(r.updated_at, r.published_at)) for r in rows]
    return urls


def related_offerings(article: Article, limit: int = 4) -> list[Offering]:
    """Staff's choice in their order, filled up with published offerings sharing a theme."""
    chosen = list(db.session.scalars(
        select(Offering).join(ArticleOffering, ArticleOffering.offering_id == Offering.id)
        .where(ArticleOffering.article_id == article.id, Offering.published.is_(True))
        .order_by(ArticleOffering.position, Offering.title).limit(limit)))
    theme_ids = [theme.id for theme in article.themes]
    if len(chosen) < limit and theme_ids:
        chosen += db.session.scalars(
            select(Offering).where(
                Offering.published.is_(True),
                Offering.id.not_in([o.id for o in chosen] or [0]),
                Offering.id.in_(select(offering_theme.c.offering_id)
                                .where(offering_theme.c.theme_id.in_(theme_ids))))
            .order_by(Offering.title).limit(limit - len(chosen)))
    return chosen


def related_articles(article: Article, limit: int = 3, now: datetime | None = None) -> list[Article]:
    """"Bekijk ook": staff's choice, filled up with the newest articles sharing a theme."""
    chosen = list(db.session.scalars(
        select(Article).join(RelatedArticle, RelatedArticle.related_id == Article.id)
        .where(RelatedArticle.article_id == article.id, is_public(now))
        .order_by(RelatedArticle.position).limit(limit)))
    theme_ids = [theme.id for theme in article.themes]
    if len(chosen) < limit and theme_ids:
        skip = [a.id for a in chosen] + [article.id]
        chosen += db.session.scalars(
            articles_query(now=now).where(
                Article.id.not_in(skip),
                Article.id.in_(select(article_theme.c.article_id)
                               .where(article_theme.c.theme_id.in_(theme_ids))))
            .limit(limit - len(chosen)))
    return chosen


def set_related_offerings(article: Article, offerings: list[Offering]) -> None:
    article.offering_links = [ArticleOffering(offering_id=o.id, position=i) for i, o in enumerate(offerings)]
    db.session.flush()


def set_related_articles(article: Article, articles: list[Article]) -> None:
    article.related_links = [RelatedArticle(related_id=a.id, position=i)
                             for i, a in enumerate(articles) if a.id != article.id]
    db.session.flush()


def document_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "news"


def add_document(article: Article, title: str, *, url: str | None = None, data: bytes | None = None,
                 filename: str | None = None, file_type: str = "", size_bytes: int | None = None
                 ) -> ArticleDocument:
    """A link (url) or a file (data + filename), stored under instance/uploads/news/."""
    if (url is None) == (data is None):
        raise ValueError("give either url or data")
    document = ArticleDocument(title=title, url=url, file_type=file_type, size_bytes=size_bytes,
                               position=len(article.documents))
    if data is not None:
        suffix = Path(filename or "").suffix.lower()[:10]
        document.stored_name = f"{uuid.uuid4().hex}{suffix}"
        document.filename = filename
        document.size_bytes = len(data)
        document.file_type = file_type or suffix.lstrip(".").upper()
        folder = document_folder()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / document.stored_name).write_bytes(data)
    article.documents.append(document)
    db.session.flush()
    return document
