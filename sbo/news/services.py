"""News services: public article queries, posting comments and the moderation actions the staff
area uses. They take explicit arguments, flush and never commit: the caller owns the transaction.
The ones staff use write their own audit entry (sbo.audit.log_action; `actor`: the staff account)."""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from functools import cache
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import and_, bindparam, func, literal, select, union_all
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ..catalogue.models import Offering, Theme, offering_theme
from ..audit import log_action
from ..clock import utcnow
from ..extensions import db
from ..pagecache.memo import content_memo
from ..paging import RowsPage
from ..slugs import check_slug, slugify, unique_slug
from .comments import (CommentsClosed, InvalidParent, approve_comment, approved_count,  # noqa: F401
                       claim_for_digest, comment_counts_of, comment_page, comment_threads,
                       comment_url, ShownComment, thread_list, thread_page,
                       delete_comment, edit_comment, forget_ips, mark_not_spam, mark_spam,
                       post_comment, purge_comments, restore_comment, staff_reply,
                       trash_comment, unapprove_comment)
from .documents import DocumentRejected, check_document
from .markdown import render_markdown
from .models import (Article, ArticleDates, ArticleDocument, ArticleOffering, ArticleStatus, Comment, CommentStatus,
                     RelatedArticle, article_theme)
from .spam import DuplicateComment  # noqa: F401


# ---------------------------------------------------------------- articles

def is_public(now=None, published_at=Article.published_at):
    """Published by `now` (a datetime, a bind parameter of a statement built once, or None:
    this moment); `published_at`: the column to test, when the statement selects table columns."""
    return and_(published_at.is_not(None), published_at <= (utcnow() if now is None else now))


NEWEST_FIRST = (Article.published_at.desc(), Article.id.desc())  # the news list's order: the index (published_at, id)


def articles_query(theme: Theme | None = None, now: datetime | None = None):
    query = select(Article).where(is_public(now)).order_by(*NEWEST_FIRST)
    if theme is not None:
        query = query.where(Article.id.in_(
            select(article_theme.c.article_id).where(article_theme.c.theme_id == theme.id)))
    return query


def articles_page(theme: Theme | None, page: int, per_page: int) -> RowsPage:
    """A page of the public articles (articles_query's, newest first) and how many there are.
    The page's ids are cut from the index (published_at, id) and only its articles are read: at
    a hundred times the provider's size (10,000 articles) the news list's last page read and
    sorted every article before it, 7.3 ms against 4.3 for the first (issue 18)."""
    ids = articles_query(theme).with_only_columns(Article.id)
    total = db.session.scalar(select(func.count()).select_from(ids.order_by(None).subquery()))
    page_ids = ids.limit(per_page).offset((page - 1) * per_page).scalar_subquery()
    items = list(db.session.scalars(select(Article).where(Article.id.in_(page_ids))
                                    .order_by(*NEWEST_FIRST)))
    return RowsPage(items, total or 0, page, per_page)


def latest_articles(n: int = 3, now: datetime | None = None) -> list[Article]:
    """The n newest public articles (for the home page)."""
    return list(db.session.scalars(articles_query(now=now).limit(n)))


def public_article(slug: str, now: datetime | None = None, page: bool = True) -> Article | None:
    """page=False: just the article, without what its page shows beside it (themes, documents)."""
    return db.session.scalar(_public_article_statement(page), {"slug": slug, "now": now or utcnow()})


@cache
def _public_article_statement(page: bool):
    """Built once (issue 18: building it cost more than running it)."""
    query = select(Article).where(Article.slug == bindparam("slug"), is_public(bindparam("now")))
    if page:
        query = query.options(selectinload(Article.themes), selectinload(Article.documents))
    return query


def sitemap_urls(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """(path, last modified) of every public news URL: the list, the feed and each article."""
    rows = db.session.execute(
        select(Article.slug, Article.updated_at, Article.published_at)
        .where(is_public(now)).order_by(Article.published_at.desc())).all()
    newest = max((max(r.updated_at, r.published_at) for r in rows), default=utcnow())
    urls = [("/nieuws", newest), ("/nieuws/feed.xml", newest)]
    urls += [(f"/nieuws/{r.slug}", max(r.updated_at, r.published_at)) for r in rows]
    return urls


def _first_chosen(chosen, filled, *order):
    """Staff's choice (kind 0) before the fill-up (kind 1), each its own indexed query with
    its own LIMIT, in one statement (a single query with an OR read every row: 1 ms)."""
    limit = bindparam("limit")
    both = union_all(select(chosen.limit(limit).subquery()), select(filled.limit(limit).subquery())).subquery()
    shown = [column for column in both.c if column.key not in ("kind", "pos")]
    return select(*shown).order_by(both.c.kind, both.c.pos, *(o(both.c) for o in order)).limit(limit)


# Built once, run with parameters: building these statements took longer than running them
# (issue 18). Core tables, not the ORM classes: the ORM's cache key of them cost more still.
@cache
def _related_offerings_statement():
    offering, link = Offering.__table__.c, ArticleOffering.__table__.c
    columns = (offering.id, offering.slug, offering.title, offering.type, offering.teaser)
    chosen = (select(*columns, literal(0).label("kind"), link.position.label("pos"))
              .select_from(Offering.__table__.join(ArticleOffering.__table__, link.offering_id == offering.id))
              .where(link.article_id == bindparam("article_id"), offering.published.is_(True))
              .order_by(link.position, offering.title))
    filled = (select(*columns, literal(1).label("kind"), literal(0).label("pos"))
              .where(offering.published.is_(True),
                     offering.id.not_in(select(link.offering_id).where(link.article_id == bindparam("article_id"))),
                     offering.id.in_(select(offering_theme.c.offering_id)
                                     .where(offering_theme.c.theme_id.in_(bindparam("theme_ids", expanding=True)))))
              .order_by(offering.title))
    return _first_chosen(chosen, filled, lambda c: c.title)


@cache
def _related_articles_statement():
    other, link = Article.__table__.c, RelatedArticle.__table__.c
    public = is_public(bindparam("now"), other.published_at)
    columns = (other.id, other.slug, other.title, other.lead, other.published_at)
    chosen = (select(*columns, literal(0).label("kind"), link.position.label("pos"))
              .select_from(Article.__table__.join(RelatedArticle.__table__, link.related_id == other.id))
              .where(link.article_id == bindparam("article_id"), public)
              .order_by(link.position))
    filled = (select(*columns, literal(1).label("kind"), literal(0).label("pos"))
              .where(public, other.id != bindparam("article_id"),
                     other.id.not_in(select(link.related_id).where(link.article_id == bindparam("article_id"))),
                     other.id.in_(select(article_theme.c.article_id)
                                  .where(article_theme.c.theme_id.in_(bindparam("theme_ids", expanding=True)))))
              .order_by(other.published_at.desc(), other.id.desc()))
    return _first_chosen(chosen, filled, lambda c: c.published_at.desc(), lambda c: c.id.desc())


def related_offerings(article: Article, limit: int = 4, theme_ids: list[int] | None = None) -> list:
    """Staff's choice in their order, filled up with published offerings sharing a theme
    (by title). One statement, rows with what the page shows (id, slug, title, type, teaser).
    `theme_ids`: the article's themes when the caller has them (else article.themes)."""
    return db.session.execute(_related_offerings_statement(), {
        "article_id": article.id, "theme_ids": _theme_ids(article, theme_ids), "limit": limit}).all()


def related_articles(article: Article, limit: int = 3, now: datetime | None = None,
                     theme_ids: list[int] | None = None) -> list:
    """"Bekijk ook": staff's choice, filled up with the newest articles sharing a theme.
    One statement, rows with what the page shows (id, slug, title, lead, published_at)."""
    return db.session.execute(_related_articles_statement(), {
        "article_id": article.id, "theme_ids": _theme_ids(article, theme_ids), "limit": limit,
        "now": now or utcnow()}).all()


def _theme_ids(article: Article, theme_ids: list[int] | None) -> list[int]:
    return theme_ids if theme_ids is not None else [theme.id for theme in article.themes]


# ---------------------------------------------------------------- the article's public page

class PageArticle(NamedTuple):
    """What the public page shows of an article: a plain row (issue 18: no ORM object)."""
    id: int
    slug: str
    title: str
    lead: str
    body: str
    published_at: datetime | None
    comments_closed: bool
    comments_open_days: int | None

    is_public = ArticleDates.is_public
    comments_close_at = ArticleDates.comments_close_at
    comments_open = ArticleDates.comments_open


class ArticlePage(NamedTuple):
    """The public part of an article's page, the same for every visitor: memoised under the
    content generation (see article_page). Rows and plain values only."""
    article: PageArticle
    body_html: Markup
    themes: list  # (id, slug, name), by name
    documents: list  # (id, title, url, stored_name, file_type, size_bytes), by position
    offerings: list  # related_offerings() rows
    related: list  # related_articles() rows
    comment_count: int  # approved comments
    roots_total: int  # approved top-level comments
    entries: list[ShownComment] | None  # the page of approved threads asked for (None: none asked)
    comments_open: bool  # when it was read
    comments_html: Markup | None  # the entries as the page draws them, with reply links if open


@cache
def _page_statements():
    """The article with both counts of its approved comments; its themes; its documents. Built
    once, Core tables (issue 18)."""
    article, comment = Article.__table__.c, Comment.__table__.c
    approved = (comment.article_id == article.id) & (comment.status == CommentStatus.APPROVED.value)
    roots = select(func.count()).where(approved, comment.parent_id.is_(None)).scalar_subquery()
    total = select(func.count()).where(approved).scalar_subquery()
    article_row = select(*(article[name] for name in PageArticle._fields),
                         roots.label("roots"), total.label("approved")).where(article.slug == bindparam("slug"))
    theme, document = Theme.__table__.c, ArticleDocument.__table__.c
    themes = (select(theme.id, theme.slug, theme.name)
              .select_from(Theme.__table__.join(article_theme, article_theme.c.theme_id == theme.id))
              .where(article_theme.c.article_id == bindparam("article_id")).order_by(theme.name))
    documents = (select(document.id, document.title, document.url, document.stored_name, document.file_type,
                        document.size_bytes)
                 .where(document.article_id == bindparam("article_id")).order_by(document.position))
    return article_row, themes, documents


def article_page(slug: str, comment_page: int) -> ArticlePage:
    """The public article's page: the article (its body as HTML), themes, documents, related
    offerings and articles, the approved comment counts and, unless `comment_page` is 0, that
    page of approved threads. Memoised under the content generation (a change to any of it, a
    comment approved or taken away, makes it stale) and the minute: related articles that were
    scheduled show within a minute, as on the stored pages (NEWS_TIMEOUT). NotFound when the
    article is not public or the page of threads does not exist (neither is memoised)."""
    now = utcnow()
    return content_memo("news.article_page", (slug, comment_page, now.replace(second=0, microsecond=0)),
                        lambda: _article_page(slug, comment_page, now))


def _article_page(slug: str, comment_page: int, now: datetime) -> ArticlePage:
    config = current_app.config
    article_row, themes_statement, documents_statement = _page_statements()
    row = db.session.execute(article_row, {"slug": slug}).first()
    article = PageArticle(*row[:len(PageArticle._fields)]) if row is not None else None
    if article is None or not article.is_public(now):
        raise NotFound()
    params = {"article_id": article.id}
    themes = db.session.execute(themes_statement, params).all()
    documents = db.session.execute(documents_statement, params).all()
    theme_ids = [theme.id for theme in themes]
    comments_open = article.comments_open(config["COMMENTS_CLOSE_AFTER_DAYS"], now)
    entries = comments_html = None
    if comment_page:
        per_page = config["COMMENT_THREADS_PER_PAGE"]
        if comment_page > max(math.ceil(row.roots / per_page), 1):
            raise NotFound()
        threads, children = comment_threads(article, comment_page, per_page, roots_total=row.roots)
        entries = thread_list(threads.items, children, config["COMMENT_MAX_DEPTH"])
        comments_html = comment_list_html(entries, article.slug, comments_open) if entries else None
    return ArticlePage(
        article, render_markdown(article.body), themes, documents,
        related_offerings(article, config["NEWS_RELATED_OFFERINGS"], theme_ids),
        related_articles(article, config["NEWS_RELATED_ARTICLES"], now, theme_ids),
        row.approved or 0, row.roots or 0, entries, comments_open, comments_html)


def comment_list_html(entries: list[ShownComment], slug: str, comments_open: bool) -> Markup:
    """The comments of a page as the article page draws them (templates/news/_comments.html)."""
    comments = current_app.jinja_env.get_template("news/_comments.html").module
    return comments.comment_list(entries, url_for("news.detail", slug=slug), comments_open)


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
    article.documents.append(document)
    db.session.flush()
    if data is not None:  # written after the row is in: a failed flush leaves no file behind
        folder = document_folder()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / document.stored_name).write_bytes(data)
    return document


# ---------------------------------------------------------------- managing articles (staff)

@dataclass
class ArticleData:
    title: str
    slug: str = ""  # empty: made from the title (new article) or left as it is (existing one)
    published_at: datetime | None = None  # None: draft; in the future: scheduled
    lead: str = ""
    body: str = ""
    comments_open_days: int | None = None
    comments_closed: bool = False
    theme_ids: tuple[int, ...] = ()
    offering_ids: tuple[int, ...] = ()  # in the chosen order
    related_ids: tuple[int, ...] = ()  # in the chosen order


def article_status(article: Article, now: datetime | None = None) -> ArticleStatus:
    """Published, scheduled (published_at in the future) or draft (no published_at)."""
    if article.published_at is None:
        return ArticleStatus.DRAFT
    return ArticleStatus.PUBLISHED if article.published_at <= (now or utcnow()) else ArticleStatus.SCHEDULED


def _unique_ids(ids) -> list[int]:
    return list(dict.fromkeys(i for i in ids if i))


def _article_state(article: Article) -> dict:
    """What an article's audit entry lists as changed."""
    return {"title": article.title, "slug": article.slug, "lead": article.lead, "body": article.body,
            "published_at": article.published_at, "comments_open_days": article.comments_open_days,
            "comments_closed": article.comments_closed, "themes": sorted(t.id for t in article.themes),
            "offerings": [link.offering_id for link in article.offering_links],
            "related": [link.related_id for link in article.related_links]}


def _log_article(action: str, article: Article, actor, **data) -> None:
    log_action(action, "article", article.id, actor=actor, data={"title": article.title, **data})


def _apply_article(article: Article, data: ArticleData) -> None:
    article.title = data.title.strip()
    article.lead = data.lead.strip()
    article.body = data.body.strip()
    article.published_at = data.published_at
    article.comments_open_days = data.comments_open_days
    article.comments_closed = data.comments_closed
    ids = set(data.theme_ids)
    article.themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(ids)))) if ids else []
    offering_ids = _unique_ids(data.offering_ids)
    found = {o.id: o for o in db.session.scalars(select(Offering).where(Offering.id.in_(offering_ids or [0])))}
    set_related_offerings(article, [found[i] for i in offering_ids if i in found])
    related_ids = [i for i in _unique_ids(data.related_ids) if i != article.id]
    found_articles = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(related_ids or [0])))}
    set_related_articles(article, [found_articles[i] for i in related_ids if i in found_articles])


def create_article(data: ArticleData, *, actor=None) -> Article:
    """A new article; the slug comes from the title when none is given."""
    if data.slug:
        check_slug(Article, data.slug, None)
        slug = data.slug
    else:
        slug = unique_slug(Article, slugify(data.title), 160)
    article = Article(slug=slug, title=data.title.strip())
    db.session.add(article)
    db.session.flush()
    _apply_article(article, data)
    db.session.flush()
    _log_article("article.created", article, actor)
    return article


def update_article(article: Article, data: ArticleData, *, actor=None) -> None:
    """Change an article. The slug stays as it is (links keep working) unless a new one is given."""
    before = _article_state(article)
    if data.slug and data.slug != article.slug:
        check_slug(Article, data.slug, article.id)
        article.slug = data.slug
    _apply_article(article, data)
    db.session.flush()
    after = _article_state(article)
    _log_article("article.updated", article, actor, changed=[k for k in after if before[k] != after[k]])


def unpublish_article(article: Article, *, actor=None) -> bool:
    """Back to draft: off the site, the feed and the sitemap. False when it was a draft already."""
    if article.published_at is None:
        return False
    article.published_at = None
    db.session.flush()
    _log_article("article.unpublished", article, actor)
    return True


def add_uploaded_document(article: Article, title: str, filename: str, data: bytes, *,
                          actor=None) -> ArticleDocument:
    """Check (extension, magic bytes, size; DocumentRejected) and store a file. The file is
    written before the commit: a caller whose commit fails removes it (stored_path)."""
    name, file_type = check_document(filename, data)
    document = add_document(article, title.strip() or name, data=data, filename=name, file_type=file_type)
    try:
        log_action("document.added", "article", article.id, actor=actor, data={
            "document_id": document.id, "title": document.title, "file_type": document.file_type,
            "size_bytes": document.size_bytes})
    except Exception:
        stored_path(document).unlink(missing_ok=True)  # no orphan file: the caller rolls back
        raise
    return document


def add_link_document(article: Article, title: str, url: str, *, actor=None) -> ArticleDocument:
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise DocumentRejected("Vul een webadres in dat begint met http:// of https://.")
    document = add_document(article, title.strip(), url=url, file_type="Webpagina")
    log_action("document.added", "article", article.id, actor=actor, data={
        "document_id": document.id, "title": document.title, "url": document.url})
    return document


def stored_path(document: ArticleDocument) -> Path | None:
    return document_folder() / document.stored_name if document.stored_name else None


def remove_document(document: ArticleDocument, *, actor=None) -> Path | None:
    """Delete the row; returns the stored file, which the caller removes after its commit."""
    path = stored_path(document)
    article = document.article
    data = {"document_id": document.id, "title": document.title}
    article.documents.remove(document)
    for position, other in enumerate(article.documents):
        other.position = position
    db.session.flush()
    log_action("document.removed", "article", article.id, actor=actor, data=data)
    return path
