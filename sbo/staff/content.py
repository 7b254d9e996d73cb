"""Managing news articles (editor and up): list, create, edit with a preview, unpublish, and
the documents of an article (uploaded files and links). The rules live in sbo.news.services."""
from __future__ import annotations

import re
from functools import cache

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, select
from wtforms.fields.choices import SelectChoice

from ..catalogue import queries as catalogue
from ..clock import to_local
from ..clock import utcnow
from .. import reads
from ..extensions import db
from ..news import queries as news
from ..news.documents import ALLOWED_TEXT, DocumentRejected, max_bytes
from ..news.models import Article, ArticleStatus
from ..news.services import (ArticleData, add_link_document, add_uploaded_document,
                             article_status, create_article, remove_document, stored_path,
                             unpublish_article, update_article)
from ..pagecache.memo import content_memo
from ..text import contains_text
from .access import bp, staff_required
from ..urls import Pattern
from ..security import int_arg
from ..paging import RowsPage
from .lists import LAST_PAGE, DateTimes, PageUrls, esc
from ..audit import history
from .content_forms import ArticleForm, LinkForm, UploadForm
from .models import Role
from .saving import commit_unless_slug_taken

NONE = SelectChoice(0, "— geen —")
PER_PAGE = 25


_STATE_CLASS = {ArticleStatus.PUBLISHED: "open", ArticleStatus.SCHEDULED: "vol"}
_SLUG = re.compile(r"[a-z0-9-]+")


def _articles_statement(search: str, status: str, with_total: bool = True) -> Select:
    """A page of articles, drafts first, then newest publication first (chosen over the ids in
    the index on published_at), with the number of articles found (`with_total`); binds limit,
    offset, now (built once per status without a search)."""
    found = [contains_text(search, Article.title, Article.slug)] if search else []
    if status == ArticleStatus.DRAFT:
        found.append(Article.published_at.is_(None))
    elif status == ArticleStatus.SCHEDULED:
        found.append(Article.published_at > bindparam("now"))
    elif status == ArticleStatus.PUBLISHED:
        found.append(Article.published_at <= bindparam("now"))
    order = (Article.published_at.desc().nulls_first(), Article.id.desc())
    ids = select(Article.id).where(*found).order_by(*order).limit(bindparam("limit")).offset(bindparam("offset"))
    columns = [Article.id, Article.slug, Article.title, Article.published_at]
    if with_total:
        columns.append(select(func.count()).select_from(Article).where(*found).scalar_subquery().label("total"))
    return select(*columns).where(Article.id.in_(ids.scalar_subquery())).order_by(*order)


_listing_statement = cache(lambda status, with_total=True: _articles_statement("", status, with_total))


def _article_count() -> int:
    """How many articles there are: changes only with an article, which is tracked content, so
    it is counted once per content generation (at 100x the size, counting 10,000 articles on
    every request made the list 1.4-1.5x slower; issue 18)."""
    return content_memo("staff.article_count", None,
                        lambda: db.session.scalar(select(func.count()).select_from(Article)))


def _article_rows(rows, now) -> Markup:
    """The rows of the staff article table: what the template loop drew
    (tests/staff/test_list_rows.py), with one pattern per link instead of url_for() per row."""
    edit_url = Pattern("staff.article_edit", "article_id")
    view_url = Pattern("news.detail", "slug")
    when = DateTimes()
    out = []
    for row in rows:
        state = article_status(row, now)
        title, url = esc(row.title), esc(edit_url(row.id))
        view = ""
        if state == ArticleStatus.PUBLISHED:
            link = view_url(row.slug) if _SLUG.fullmatch(row.slug) else url_for("news.detail", slug=row.slug)
            view = f'<a href="{esc(link)}">Bekijken<span class="visually-hidden"> {title}</span></a>'
        published = esc(when(row.published_at)) if row.published_at else "–"
        out.append(f'''
    
    <tr>
      <td data-label="Titel"><a href="{url}">{title}</a><br><span class="muted">/nieuws/{esc(row.slug)}</span></td>
      <td data-label="Status"><span class="status status-{_STATE_CLASS.get(state, "concept")}">{esc(state.label)}</span></td>
      <td data-label="Publicatie">{published}</td>
      <td><div class="staff-row-actions">
        <a class="button button-small button-secondary" href="{url}">Bewerken<span class="visually-hidden"> {title}</span></a>
        {view}
        </div></td>
    </tr>
  ''')
    return Markup("".join(out))


@bp.get("/artikelen")
@staff_required(Role.EDITOR)
def articles():
    """One statement: the page of articles and how many there are (all of them: from the
    content memo)."""
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    status = status if status in set(ArticleStatus) else ""
    now = utcnow()
    page_no = int_arg("page", maximum=LAST_PAGE)
    params = {"now": now, "limit": PER_PAGE, "offset": (page_no - 1) * PER_PAGE}
    if q or status:
        rows = reads.rows(_articles_statement(q, status) if q else _listing_statement(status), params)
        total = rows[0].total if rows else 0
    else:
        rows = reads.rows(_listing_statement("", False), params)
        total = _article_count()
    page = RowsPage(rows, total, page_no, PER_PAGE)
    return render_template("staff/articles.html", page=page, q=q, status=status, statuses=list(ArticleStatus),
                           rows_html=_article_rows(rows, now),
                           page_url=PageUrls("staff.articles", q=q or None, status=status or None))


def _choices(form: ArticleForm, article: Article | None) -> None:
    form.themes.choices = [SelectChoice(t.id, t.name) for t in catalogue.themes_by_name()]
    offerings = [NONE] + [SelectChoice(id_, title if published else f"{title} (offline)")
                          for id_, title, published in catalogue.offering_choices()]
    articles = [NONE] + [SelectChoice(id_, title) for id_, title in news.article_choices(leave_out=article)]
    for entry in form.offerings:
        entry.choices = offerings
    for entry in form.related:
        entry.choices = articles


def _fill(form: ArticleForm, article: Article) -> None:
    local = to_local(article.published_at)
    form.publish_date.data = local.date() if local else None
    form.publish_time.data = local.time() if local else None
    form.themes.data = [t.id for t in article.themes]
    chosen = [link.offering_id for link in article.offering_links]
    for entry, value in zip(form.offerings, chosen + [0] * len(form.offerings)):
        entry.data = value
    related = [link.related_id for link in article.related_links]
    for entry, value in zip(form.related, related + [0] * len(form.related)):
        entry.data = value


def _article_data(form: ArticleForm) -> ArticleData:
    return ArticleData(title=form.title.data, slug=form.slug.data or "", published_at=form.published_at,
                       lead=form.lead.data or "", body=form.body.data or "",
                       comments_open_days=form.comments_open_days.data,
                       comments_closed=form.comments_closed.data,
                       theme_ids=tuple(form.themes.data or ()),
                       offering_ids=tuple(e.data for e in form.offerings if e.data),
                       related_ids=tuple(e.data for e in form.related if e.data))


def _form_page(form: ArticleForm, article: Article | None, status: int):
    preview = "voorbeeld" in request.form and not form.errors
    entries = history(("article", [article.id])) if article else []
    return render_template("staff/article_form.html", form=form, article=article, preview=preview,
                           article_state=article_status(article) if article else None,
                           entries=entries), status


@bp.route("/artikelen/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def article_new():
    form = ArticleForm()
    _choices(form, None)
    if form.validate_on_submit() and "voorbeeld" not in request.form:
        def save() -> Article:
            return create_article(_article_data(form), actor=current_user)

        article = commit_unless_slug_taken(form, save)
        if article:
            flash(f"Het artikel ‘{article.title}’ is opgeslagen. Voeg hier eventueel documenten toe.", "success")
            return redirect(url_for("staff.article_documents", article_id=article.id))
    return _form_page(form, None, 422 if request.method == "POST" and form.errors else 200)


@bp.route("/artikelen/<int:article_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def article_edit(article_id: int):
    article = news.article_with_links(article_id)
    form = ArticleForm(obj=article)
    _choices(form, article)
    if request.method == "GET":
        _fill(form, article)
    if form.validate_on_submit() and "voorbeeld" not in request.form:
        def save() -> bool:
            update_article(article, _article_data(form), actor=current_user)
            return True

        if commit_unless_slug_taken(form, save):
            flash("De wijzigingen zijn opgeslagen.", "success")
            return redirect(url_for("staff.article_edit", article_id=article.id))
    return _form_page(form, article, 422 if request.method == "POST" and form.errors else 200)


@bp.post("/artikelen/<int:article_id>/offline")
@staff_required(Role.EDITOR)
def article_unpublish(article_id: int):
    article = news.article_or_404(article_id)
    if unpublish_article(article, actor=current_user):
        db.session.commit()
        flash(f"‘{article.title}’ is offline gehaald en staat weer als concept klaar.", "success")
    else:
        flash("Dit artikel was al een concept.", "info")
    return redirect(url_for("staff.article_edit", article_id=article.id))


def _documents_page(article: Article, upload: UploadForm, link: LinkForm, status: int = 200):
    return render_template("staff/article_documents.html", article=article, upload=upload, link=link,
                           allowed=ALLOWED_TEXT, max_mb=f"{max_bytes() / 1_000_000:g}".replace(".", ",")), status


@bp.get("/artikelen/<int:article_id>/documenten")
@staff_required(Role.EDITOR)
def article_documents(article_id: int):
    article = news.article_or_404(article_id)
    return _documents_page(article, UploadForm(prefix="bestand"), LinkForm(prefix="link"))


@bp.post("/artikelen/<int:article_id>/documenten/bestand")
@staff_required(Role.EDITOR)
def document_upload(article_id: int):
    article = news.article_or_404(article_id)
    upload, link = UploadForm(prefix="bestand"), LinkForm(prefix="link", formdata=None)
    if upload.validate_on_submit():
        storage = upload.file.data
        # read one byte more than allowed: enough to know it is too big, never the whole lot
        data = storage.stream.read(max_bytes() + 1)
        path = None
        try:
            document = add_uploaded_document(article, upload.title.data or "", storage.filename or "", data,
                                             actor=current_user)
            path = stored_path(document)
            db.session.commit()
        except DocumentRejected as error:
            db.session.rollback()
            upload.file.errors = [error.message]
        except Exception:
            db.session.rollback()
            if path is not None:
                path.unlink(missing_ok=True)  # no orphan file when the commit fails
            raise
        else:
            flash(f"Het document ‘{document.title}’ is toegevoegd.", "success")
            return redirect(url_for("staff.article_documents", article_id=article.id))
    return _documents_page(article, upload, link, 422)


@bp.post("/artikelen/<int:article_id>/documenten/link")
@staff_required(Role.EDITOR)
def document_link(article_id: int):
    article = news.article_or_404(article_id)
    upload, link = UploadForm(prefix="bestand", formdata=None), LinkForm(prefix="link")
    if link.validate_on_submit():
        try:
            document = add_link_document(article, link.title.data, link.url.data, actor=current_user)
        except DocumentRejected as error:
            db.session.rollback()
            link.url.errors = [error.message]
        else:
            db.session.commit()
            flash(f"De link ‘{document.title}’ is toegevoegd.", "success")
            return redirect(url_for("staff.article_documents", article_id=article.id))
    return _documents_page(article, upload, link, 422)


@bp.post("/documenten/<int:document_id>/verwijderen")
@staff_required(Role.EDITOR)
def document_remove(document_id: int):
    document = news.document_or_404(document_id)
    article_id, title = document.article_id, document.title
    path = remove_document(document, actor=current_user)
    db.session.commit()
    if path is not None:
        path.unlink(missing_ok=True)  # only after the commit: a failed commit keeps the file
    flash(f"Het document ‘{title}’ is verwijderd.", "success")
    return redirect(url_for("staff.article_documents", article_id=article_id))
