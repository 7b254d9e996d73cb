"""News pages: the list, one article with its comments, the comment form, the Atom feed."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect,
                   render_template, request, send_from_directory, url_for)
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from ..errors import csrf_error_page
from ..pagecache import cache_page
from ..catalogue.models import Theme
from ..clock import utcnow
from ..extensions import commit_keeping_loaded, csrf_token, db, limiter
from ..security import id_number
from ..urls import site_url
from . import services, spam
from .cookies import (add_known_proof, add_pending_comment, forget_author, known_proofs,
                      new_visitor_token, pending_comments, remember_author, remembered_author)
from .documents import INLINE_TYPES, MIME_TYPES
from .forms import CommentForm, empty_form, form_html
from .markdown import (comment_html, comment_html_marked, file_size, hide_addresses, mark_addresses,
                       render_markdown)
from .models import Article, ArticleDocument, Comment, CommentStatus, article_theme

bp = Blueprint("news", __name__)


@bp.record_once
def _register_filters(state) -> None:
    state.app.add_template_filter(render_markdown, "markdown")
    state.app.add_template_filter(comment_html, "reactietekst")
    # the moderator's view of a comment: e-mail addresses in it marked, not hidden
    state.app.add_template_filter(comment_html_marked, "reactietekst_beheer")
    state.app.add_template_filter(mark_addresses, "adressen_gemarkeerd")
    state.app.add_template_filter(hide_addresses, "adressen_verborgen")
    state.app.add_template_filter(file_size, "bestandsgrootte")

# News pages depend on the clock too (scheduled articles, comments closing): a minute at most.
NEWS_TIMEOUT = 60


def _page_arg(name: str) -> int:
    """A page number from the query string; anything but a positive integer is a 404."""
    raw = request.args.get(name)
    if raw is None:
        return 1
    number = id_number(raw)
    if number is None or number < 1 or len(raw) > 6:
        abort(404)
    return number


@bp.get("/nieuws")
@cache_page(timeout=NEWS_TIMEOUT)
def index():
    theme = None
    if "thema" in request.args:
        theme = db.session.scalar(select(Theme).where(Theme.slug == request.args["thema"]))
        if theme is None:
            abort(404)
    page = services.articles_page(theme, _page_arg("pagina"), current_app.config["NEWS_PER_PAGE"])
    if page.page > 1 and not page.items:
        abort(404)  # past the last page (as db.paginate's error_out)
    themes = db.session.scalars(
        select(Theme).where(Theme.id.in_(select(article_theme.c.theme_id))).order_by(Theme.name))

    def page_url(n: int) -> str:
        return url_for("news.index", thema=theme.slug if theme else None, pagina=n if n > 1 else None)
    return render_template("news/list.html", page=page, theme=theme, themes=list(themes),
                           page_url=page_url)


@bp.get("/nieuws/feed.xml")
@cache_page(timeout=NEWS_TIMEOUT)
def feed():
    articles = list(db.session.scalars(
        services.articles_query().options(selectinload(Article.themes)).limit(20)))
    updated = max((max(a.published_at, a.updated_at) for a in articles), default=utcnow())
    body = render_template("news/feed.xml", articles=articles, updated=updated,
                           site_url=site_url())
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


def _article_or_404(slug: str) -> Article:
    # just the article, for a comment posted to it: its page is drawn from services.article_page
    article = services.public_article(slug, page=False)
    if article is None:
        abort(404)
    return article


def _render_article(slug: str, form: CommentForm | None, status: int = 200, confirm: bool = False):
    """The article's page: its public part from services.article_page (memoised), with what
    is this visitor's own: their pending comments (then the threads are read for them), the
    comment they reply to, the form.

    form None: the empty form, drawn without a CommentForm and without the two values that
    are drawn per visitor (the CSRF token and the signed start time). That page is the same
    for every anonymous reader, so the page cache serves it like any other page and a reader
    gets no cookie. static/js/comment-form.js fetches the two values from `comment_keys`
    when the reader starts on the form; without a script the first POST comes back with
    what they typed and the values filled in (`confirm`, see `comment_without_token`). A
    form sent back, or a remembered author's (a page of their own), holds its values."""
    config = current_app.config
    own = pending_comments()
    comment_page = _page_arg("reacties")
    per_page = config["COMMENT_THREADS_PER_PAGE"]
    page = services.article_page(slug, 0 if own else comment_page)
    article = page.article
    comments_open = article.comments_open(config["COMMENTS_CLOSE_AFTER_DAYS"])
    if own:
        roots_total = services.comment_counts_of(article, own)[0]
        threads, children = services.comment_threads(article, comment_page, per_page, own,
                                                     roots_total=roots_total)
        if comment_page > max(threads.pages, 1):
            abort(404)
        entries = services.thread_list(threads.items, children, config["COMMENT_MAX_DEPTH"])
        comments_html = services.comment_list_html(entries, slug, comments_open) if entries else None
    else:
        roots_total, entries = page.roots_total, page.entries
        comments_html = page.comments_html
        if entries and comments_open != page.comments_open:  # they closed since it was read
            comments_html = services.comment_list_html(entries, slug, comments_open)
    reply_to = None
    raw_parent = (form.parent_id.data if form else None) or request.args.get("antwoord")
    parent_id = id_number(raw_parent)
    if parent_id is not None:
        reply_to = db.session.get(Comment, parent_id)
        if (reply_to is None or reply_to.article_id != article.id
                or reply_to.status != CommentStatus.APPROVED):
            reply_to = None
    parent_id = str(reply_to.id) if reply_to else ""
    if form is None:
        fields = empty_form().html("", parent_id, "")
    else:
        form.parent_id.data, form.started.data = parent_id, spam.form_token()
        fields = form_html(form)

    address = url_for("news.detail", slug=article.slug)  # what url_for gives with reacties=n, built once

    def comments_url(n: int) -> str:
        return (f"{address}?reacties={n}" if n > 1 else address) + "#reacties"
    return render_template(
        "news/article.html", article=article, body_html=page.body_html, themes=page.themes,
        documents=page.documents, form=form, fields=fields, comments_html=comments_html,
        threads=services.thread_page(comment_page, per_page, entries, roots_total),
        comments_url=comments_url, reply_to=reply_to, comment_count=page.comment_count,
        comments_open=comments_open, offerings=page.offerings, related=page.related,
        confirm=confirm,
    ), status


@bp.get("/nieuws/<slug>")
@cache_page(timeout=NEWS_TIMEOUT)
def detail(slug: str):
    remembered = remembered_author()
    if not remembered:
        return _render_article(slug, None)
    form = CommentForm(formdata=None)
    form.author_name.data, form.author_email.data = remembered
    form.remember.data = True
    return _render_article(slug, form)


@bp.get("/nieuws/reactieformulier.json")
def comment_keys():
    """The comment form's two per-visitor values, for static/js/comment-form.js: this
    visitor's CSRF token (starting their session) and the signed moment they started."""
    response = jsonify(csrf_token=csrf_token(), started=spam.form_token())
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _same_site_post() -> bool:
    """The browser says the POST came from a page of this site (or says nothing: an older
    browser). A cross-site POST is never turned into a filled-in form."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


@bp.errorhandler(CSRFError)
def comment_without_token(error: CSRFError):
    """A comment posted without a valid CSRF token: a reader without a script (the article
    page holds no token, see `_render_article`), or whose session ended while they typed.
    They get the form back with what they typed, the values filled in and a request to send
    it again: a 400 and nothing stored. Any other form of this blueprint, or a POST from
    another site, gets the site's usual page for an expired form."""
    if request.endpoint != "news.comment" or not _same_site_post():
        return csrf_error_page()
    db.session.rollback()
    slug = request.view_args["slug"]
    try:
        _article_or_404(slug)
        form = CommentForm()
        form.validate()
        form.csrf_token.errors = []
        return _render_article(slug, form, 400, confirm=True)
    except HTTPException:  # no such article, or a page of comments it does not have
        return csrf_error_page()


@bp.post("/nieuws/<slug>/reageren")
@limiter.limit(lambda: current_app.config["COMMENT_RATE_LIMIT"])
def comment(slug: str):
    article = _article_or_404(slug)
    form = CommentForm()
    if not form.validate():
        return _render_article(slug, form, 422)
    parent = None
    if form.parent_id.data:
        parent_id = id_number(form.parent_id.data)
        parent = db.session.get(Comment, parent_id) if parent_id is not None else None
        if parent is None:
            form.body.errors.append("Je kunt niet op deze reactie antwoorden.")
            return _render_article(slug, form, 422)
    now = utcnow()
    started = spam.read_form_token(form.started.data, now)
    token, token_hash = new_visitor_token()
    try:
        if started is not None:
            spam.use_form_token(started[1], now)  # single use: a replayed form stops here
        new = services.post_comment(
            article, body=form.body.data, author_name=form.author_name.data,
            author_email=form.author_email.data, author_url=form.author_url.data,
            parent=parent, notify_replies=form.notify_replies.data,
            ip_address=request.remote_addr, honeypot=form.homepage.data,
            form_age=started[0] if started else None, visitor_token_hash=token_hash,
            proofs=known_proofs(form.author_email.data), now=now)
    except spam.FormReused:
        db.session.rollback()
        form.body.errors.append("Dit formulier is al verstuurd. Wil je nog een reactie plaatsen? "
                                "Verstuur dan het formulier hieronder.")
        return _render_article(slug, form, 422)
    except services.CommentsClosed:
        form.body.errors.append("De reacties bij dit artikel zijn gesloten.")
        return _render_article(slug, form, 422)
    except services.InvalidParent:
        form.body.errors.append("Je kunt niet op deze reactie antwoorden.")
        return _render_article(slug, form, 422)
    except services.DuplicateComment:
        form.body.errors.append("Deze reactie heb je al geplaatst.")
        return _render_article(slug, form, 422)
    # the moderators hear of a waiting comment in their digest (flask send-mail), not one by one
    commit_keeping_loaded()  # what follows reads back only the new comment and the article

    target = url_for("news.detail", slug=article.slug)
    if new.status == CommentStatus.APPROVED:
        flash("Bedankt, je reactie is geplaatst.", "success")
    else:
        flash("Bedankt voor je reactie. Hij verschijnt op de site zodra we hem hebben goedgekeurd.", "success")
    if new.status in (CommentStatus.APPROVED, CommentStatus.PENDING):
        own = pending_comments() + [(new.id, token)]
        n = services.comment_page(new, current_app.config["COMMENT_THREADS_PER_PAGE"], own)
        target = url_for("news.detail", slug=article.slug, reacties=n if n > 1 else None)
        target += f"#reactie-{new.id}"
    else:
        target += "#reageer"
    response = redirect(target, 303)
    if new.status == CommentStatus.PENDING:
        add_pending_comment(response, new.id, token)
    if new.status in (CommentStatus.APPROVED, CommentStatus.PENDING) and not new.is_staff:
        add_known_proof(response, new.author_email, new.id, token)
    if form.remember.data:
        remember_author(response, new.author_name, new.author_email)
    else:
        forget_author(response)
    return response


@bp.get("/nieuws/<slug>/reacties/<int:comment_id>")
def comment_link(slug: str, comment_id: int):
    """A permanent link to a comment: redirects to the page of the thread that shows it."""
    article = _article_or_404(slug)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.article_id != article.id or comment.status != CommentStatus.APPROVED:
        abort(404)
    n = services.comment_page(comment, current_app.config["COMMENT_THREADS_PER_PAGE"])
    return redirect(url_for("news.detail", slug=slug, reacties=n if n > 1 else None)
                    + f"#reactie-{comment.id}")


@bp.get("/nieuws/documenten/<int:document_id>")
def document(document_id: int):
    document = db.get_or_404(ArticleDocument, document_id)
    if document.stored_name is None or not document.article.is_public():
        abort(404)
    extension = document.stored_name.rsplit(".", 1)[-1].lower()
    response = send_from_directory(
        services.document_folder(), document.stored_name,
        mimetype=MIME_TYPES.get(extension, "application/octet-stream"),
        # only PDFs open in the browser; anything else is a download, never rendered as a page
        as_attachment=document.file_type not in INLINE_TYPES,
        download_name=document.filename or document.stored_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if document.file_type not in INLINE_TYPES:
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
