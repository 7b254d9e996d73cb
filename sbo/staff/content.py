"""Managing news articles (editor and up): list, create, edit with a preview, unpublish, and
the documents of an article (uploaded files and links). The rules live in sbo.news.services."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..catalogue.models import Offering, Theme
from ..clock import to_local
from ..clock import utcnow
from ..extensions import db
from ..news.documents import ALLOWED_TEXT, DocumentRejected, max_bytes
from ..news.models import Article, ArticleDocument, ArticleStatus
from ..news.services import (ArticleData, add_link_document, add_uploaded_document,
                             article_status, create_article, remove_document, stored_path,
                             unpublish_article, update_article)
from .access import bp, staff_required
from ..audit import history
from .content_forms import ArticleForm, LinkForm, UploadForm
from .models import Role
from .saving import commit_unless_slug_taken

NONE = SelectChoice(0, "— geen —")


@bp.get("/artikelen")
@staff_required(Role.EDITOR)
def articles():
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    status = status if status in set(ArticleStatus) else ""
    now = utcnow()
    query = select(Article).order_by(case((Article.published_at.is_(None), 0), else_=1),
                                     Article.published_at.desc(), Article.id.desc())
    if q:
        like = "%" + q.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        query = query.where(or_(func.lower(Article.title).like(like), func.lower(Article.slug).like(like)))
    if status == ArticleStatus.DRAFT:
        query = query.where(Article.published_at.is_(None))
    elif status == ArticleStatus.SCHEDULED:
        query = query.where(Article.published_at > now)
    elif status == ArticleStatus.PUBLISHED:
        query = query.where(Article.published_at <= now)
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("staff/articles.html", page=page, q=q, status=status, statuses=list(ArticleStatus),
                           article_status=lambda a: article_status(a, now),
                           page_url=lambda n: url_for("staff.articles", q=q or None, status=status or None, page=n))


def _choices(form: ArticleForm, article: Article | None) -> None:
    form.themes.choices = [SelectChoice(t.id, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.name))]
    offerings = [NONE] + [SelectChoice(o.id, o.title if o.published else f"{o.title} (offline)")
                          for o in db.session.execute(select(Offering.id, Offering.title, Offering.published)
                                                      .order_by(Offering.title, Offering.id))]
    others = select(Article.id, Article.title).order_by(Article.published_at.desc(), Article.id.desc()).limit(300)
    if article is not None:
        others = others.where(Article.id != article.id)
    articles = [NONE] + [SelectChoice(a.id, a.title) for a in db.session.execute(others)]
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
    article = db.first_or_404(select(Article).where(Article.id == article_id).options(
        selectinload(Article.themes), selectinload(Article.offering_links),
        selectinload(Article.related_links), selectinload(Article.documents)))
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
    article = db.get_or_404(Article, article_id)
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
    article = db.get_or_404(Article, article_id)
    return _documents_page(article, UploadForm(prefix="bestand"), LinkForm(prefix="link"))


@bp.post("/artikelen/<int:article_id>/documenten/bestand")
@staff_required(Role.EDITOR)
def document_upload(article_id: int):
    article = db.get_or_404(Article, article_id)
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
    article = db.get_or_404(Article, article_id)
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
    document = db.get_or_404(ArticleDocument, document_id)
    article_id, title = document.article_id, document.title
    path = remove_document(document, actor=current_user)
    db.session.commit()
    if path is not None:
        path.unlink(missing_ok=True)  # only after the commit: a failed commit keeps the file
    flash(f"Het document ‘{title}’ is verwijderd.", "success")
    return redirect(url_for("staff.article_documents", article_id=article_id))
