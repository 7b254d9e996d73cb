"""Comment moderation (moderator and up): the queue with tabs per status, actions per comment and
in bulk, a comment's page with edit, staff reply and its history. The work is done by the news
services through moderation_services, which also writes the audit log."""
from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ..extensions import db
from ..filters import counted
from ..news import queries as news
from ..news.markdown import mark_addresses
from ..news.models import Comment, CommentStatus
from ..paging import RowsPage, Seek, SeekLinks, seek_from_args
from ..security import id_number, int_arg
from .access import SECTION, bp, staff_required
from ..urls import Pattern
from .lists import LAST_PAGE, DateTimes, PageUrls, esc, may_hold_address
from ..audit import history
from .models import Role
from .moderation_forms import CommentEditForm, StaffReplyForm
from .moderation_services import (ACTIONS, MAX_BULK, TAB_ACTIONS, Action, CannotReply,
                                  edit, held_reason_label, moderate,
                                  moderate_many, reply, staff_identities)

PER_PAGE = 25
ROW_FORM = "actie-form"  # the id of the page's one form the rows' action buttons post


@bp.record_once
def _lend_staff_identities(state) -> None:
    """The news domain asks who the staff are (a comment posing as staff is never approved at
    once) without reading the staff tables itself."""
    state.app.extensions["sbo.staff_identities"] = staff_identities
TABS = list(CommentStatus)  # in this order, each labelled with its .label
NO_SELECTION = "Kies eerst een of meer reacties met de vakjes in de eerste kolom."
NO_ACTION = "Kies wat je met de gekozen reacties wilt doen."


def _count(n: int) -> str:
    return counted(n, "reactie")


# ---------------------------------------------------------------- where to go back to

def _list_state() -> tuple[CommentStatus, str, int]:
    """The tab, search and page from the query string (also on the POSTs, to go back there)."""
    raw = request.args.get("status", CommentStatus.PENDING.value)
    if raw not in {s.value for s in CommentStatus}:
        abort(404)
    q = request.args.get("q", "").strip()[:100]
    return CommentStatus(raw), q, int_arg("page", maximum=LAST_PAGE)


def _list_url(status: CommentStatus | str, q: str = "", page: int = 1, **extra) -> str:
    return url_for("staff.comments", status=None if status == CommentStatus.PENDING else str(status),
                   q=q or None, page=page if page > 1 else None, **extra)


def _state_args(status: CommentStatus, q: str, page: int) -> dict:
    return {"status": str(status), "q": q or None, "page": page if page > 1 else None}


# ---------------------------------------------------------------- the queue

@bp.get("/reacties")
@staff_required(Role.MODERATOR)
def comments():
    status, q, page = _list_state()
    return _queue(status, q, page, seek=seek_from_args(request.args, page, PER_PAGE))


_SLUG = re.compile(r"[a-z0-9-]+")


class _RowLinks:
    """The links of a row of the queue, from a pattern built once per page: 25 rows of up to
    five links each cost 125 url_for() calls, a third of the page (issue 18). Gives what
    url_for() gives (tests/staff/test_moderation_links.py)."""

    def __init__(self, state: dict, names: list[str], actions: list[Action] = ()):
        self._actions = list(actions)
        self._patterns = {"detail": Pattern("staff.comment_detail", "comment_id"),
                          **{n: Pattern(f"staff.{n}_comment", "comment_id", **state) for n in names}}
        self._article = Pattern("news.detail", "slug")
        self._parts = self._button_parts()
        # a comment's page and an article's, escaped for an attribute: escaped once here, as
        # the id and a slug (_SLUG) have nothing to escape
        self._escaped = {name: tuple(esc(part) for part in pattern.parts)
                         for name, pattern in (("detail", self._patterns["detail"]), ("article", self._article))
                         if pattern.parts is not None}

    def __call__(self, name: str, comment_id: int) -> str:
        return self._patterns[name](comment_id)

    def _button(self, action: Action, url: str, who: str) -> str:
        """The action's button: it posts the page's one ROW_FORM (the CSRF token once, not a
        form with its own token per button) to the action's URL; to delete, the link to the
        question."""
        text = f'{escape(action.label)}<span class="visually-hidden"> (reactie van {who})</span>'
        if action.name == "delete":
            return f'<a class="button button-small button-danger" href="{url}">{text}</a>'
        kind = "button button-small" + ("" if action.name == "approve" else " button-secondary")
        return f'<button type="submit" form="{ROW_FORM}" formaction="{url}" class="{kind}">{text}</button>'

    def _button_parts(self) -> list[tuple[str, str, str]] | None:
        """Each button as (before the id, between the id and the author, after the author),
        built once per page; None when a link has no pattern."""
        parts = []
        for action in self._actions:
            pattern = self._patterns[action.name].parts
            if pattern is None:
                return None
            html = self._button(action, f"{escape(pattern[0])}\x00{escape(pattern[1])}", "\x01")
            before, rest = html.split("\x00")
            parts.append((before, *rest.split("\x01")))
        return parts

    def buttons(self, comment_id: int, who: str) -> str:
        """The row's action buttons (and the delete link), HTML; `who` is the author's name, escaped."""
        if self._parts is None:
            return "".join(self._button(action, esc(self(action.name, comment_id)), who)
                           for action in self._actions)
        return "".join(f"{before}{comment_id}{middle}{who}{after}" for before, middle, after in self._parts)

    def detail_html(self, comment_id: int) -> str:
        """The comment's page, escaped for an attribute."""
        parts = self._escaped.get("detail")
        return f"{parts[0]}{comment_id}{parts[1]}" if parts else esc(self("detail", comment_id))

    def article_html(self, slug: str) -> str:
        """The article's page, escaped for an attribute."""
        parts = self._escaped.get("article")
        if parts and _SLUG.fullmatch(slug):
            return f"{parts[0]}{slug}{parts[1]}"
        return esc(url_for("news.detail", slug=slug))


_KEPT_LINKS = "sbo_staff_queue_links"  # app.extensions: (proxy prefix, tab, page) -> (_RowLinks, tab URLs)
_KEPT_LINKS_MAX = 1000


def _links(status: CommentStatus, q: str, page_no: int, actions: list[Action]) -> tuple[_RowLinks, dict]:
    """The rows' links and the tabs' URLs of a page of the queue: ~75 µs of url_for() (issue 18),
    so without a search kept per proxy prefix, tab and page (links only, nothing personal or
    typed in; read-only once built)."""
    def build() -> tuple[_RowLinks, dict]:
        return (_RowLinks(_state_args(status, q, page_no), [action.name for action in actions], actions),
                {tab: _list_url(tab, q) for tab in TABS})

    if q:
        return build()
    kept = current_app.extensions.setdefault(_KEPT_LINKS, {})
    key = (request.script_root, status, page_no)
    links = kept.get(key)
    if links is None:
        links = build()
        if len(kept) < _KEPT_LINKS_MAX:
            kept[key] = links
    return links


def _rows_html(rows, links: _RowLinks, selected: frozenset[int]) -> Markup:
    """The queue's table rows, drawn here rather than by a template loop (at a third of its
    cost: the rows unpacked as tuples, dates from DateTimes, an excerpt without an address only
    escaped), a line a cell without indentation; the action buttons post the page's ROW_FORM
    (tests/staff/test_moderation_rows.py)."""
    env = current_app.jinja_env
    when = DateTimes()
    out = []
    for (i, author_name, author_email, ip_address, author_url, body, is_staff, parent_id, created_at,
         held_reason, article_slug, article_title, *_counts) in rows:
        name = esc(author_name)
        excerpt = do_truncate(env, body, 200, False, "…")
        excerpt = mark_addresses(excerpt) if may_hold_address(excerpt) else esc(excerpt)
        ip = f'<span class="staff-meta">IP {esc(ip_address)}</span>' if ip_address else ""
        url = (f'<span class="staff-meta"><a href="{esc(author_url)}" rel="nofollow noopener noreferrer">'
               f'{esc(do_truncate(env, author_url, 40, True, "…"))}</a></span>' if author_url else "")
        tag = ' <span class="tag">SBO</span>' if is_staff else ""
        out.append(
            f'<tr id="reactie-{i}">\n'
            f'<td class="staff-pick"><input type="checkbox" name="ids" value="{i}" id="kies-{i}" form="bulk-form"'
            f'{" checked" if i in selected else ""}><label for="kies-{i}" class="visually-hidden">Reactie van {name} kiezen</label></td>\n'
            f'<td data-label="Afzender" class="staff-author"><a class="staff-author-name" href="{links.detail_html(i)}">{name}</a>'
            f'{tag}<span class="staff-meta">{esc(author_email)}</span>{ip}{url}</td>\n'
            f'<td data-label="Reactie" class="staff-excerpt"><span class="staff-excerpt-text">{excerpt}</span>'
            f'<span class="staff-meta">bij <a href="{links.article_html(article_slug)}">{esc(article_title)}</a>'
            f'{" · antwoord op een andere reactie" if parent_id else ""}</span></td>\n'
            f'<td data-label="Ontvangen" class="staff-date">{esc(when(created_at))}</td>\n'
            f'<td data-label="Reden" class="staff-reason">{esc(held_reason_label(held_reason) or "–")}</td>\n'
            f'<td class="staff-comment-actions">{links.buttons(i, name)}</td>\n</tr>\n')
    return Markup("".join(out))


def _queue(status: CommentStatus, q: str, page_no: int, error: str | None = None,
           selected: frozenset[int] = frozenset(), http_status: int = 200, seek: Seek | None = None):
    """One statement for the page of rows and the tab counts (two when the page is empty or
    counted from the end, one more for the total of a search beyond its first page). The page
    links say where their pages start (sbo.paging), so that a deep page is not read with OFFSET."""
    rows, counts = news.moderation_rows(status, q or None, page_no, PER_PAGE, seek)
    if counts is None:
        counts = news.comment_counts()
    if not q:
        total = counts[status]
    elif page_no == 1 and len(rows) < PER_PAGE:
        total = len(rows)
    else:
        total = news.search_count(status, q)
    page = RowsPage(rows, total, page_no, PER_PAGE)
    actions = [ACTIONS[name] for name in TAB_ACTIONS[status]]
    state = _state_args(status, q, page.page)
    links, tab_urls = _links(status, q, page.page, actions)
    return render_template(
        "staff/comments.html", page=page, status=status, q=q, tab_urls=tab_urls, counts=counts,
        actions=actions, error=error, rows_html=_rows_html(rows, links, selected), row_form=ROW_FORM,
        state=state, max_bulk=MAX_BULK, list_url=_list_url,
        page_url=PageUrls("staff.comments", first_bare=True,
                          seek=SeekLinks.of_page(page, from_end=not q),
                          status=None if status == CommentStatus.PENDING else str(status),
                          q=q or None)), http_status


@bp.post("/reacties/bulk")
@staff_required(Role.MODERATOR)
def comments_bulk():
    status, q, page = _list_state()
    ids = sorted({n for raw in request.form.getlist("ids") if (n := id_number(raw)) is not None})
    action = ACTIONS.get(request.form.get("action", ""))
    if not ids:
        return _queue(status, q, page, NO_SELECTION, http_status=422)
    if action is None:
        return _queue(status, q, page, NO_ACTION, frozenset(ids), http_status=422)
    if len(ids) > MAX_BULK:
        return _queue(status, q, page, f"Kies hoogstens {MAX_BULK} reacties tegelijk.", frozenset(ids), 422)
    found = news.comments_by_ids(ids)
    if not found:
        return _queue(status, q, page, "Deze reacties bestaan niet meer.", http_status=422)
    if action.name == "delete" and request.form.get("bevestigd") != "1":
        return render_template("staff/comments_delete.html", comments=found, action=action,
                               state=_state_args(status, q, page), back=_list_url(status, q, page))
    done, skipped = moderate_many(found, action, current_user)
    db.session.commit()
    message = f"{_count(done)} {action.done}." if done else f"Er is niets {action.done}."
    if skipped:
        message += f" {_count(skipped)} overgeslagen: dat kan niet bij hun status."
    flash(message, "success" if done else "warning")
    return redirect(_list_url(status, q, page))


# ---------------------------------------------------------------- one comment

def _detail(comment: Comment, edit_form: CommentEditForm | None = None,
            reply_form: StaffReplyForm | None = None, http_status: int = 200):
    if edit_form is None:
        edit_form = CommentEditForm(formdata=None, obj=comment)
    return render_template(
        "staff/comment_detail.html", comment=comment, edit_form=edit_form,
        comment_status=CommentStatus(comment.status).label,
        reply_form=reply_form or StaffReplyForm(formdata=None), reason=held_reason_label,
        actions=[ACTIONS[name] for name in TAB_ACTIONS[CommentStatus(comment.status)]],
        entries=history(("comment", [comment.id])),
        back=_list_url(comment.status)), http_status


@bp.get("/reacties/<int:comment_id>")
@staff_required(Role.MODERATOR)
def comment_detail(comment_id: int):
    return _detail(news.comment_or_404(comment_id))


@bp.post("/reacties/<int:comment_id>/bewerken")
@staff_required(Role.MODERATOR)
def comment_edit(comment_id: int):
    comment = news.comment_or_404(comment_id)
    form = CommentEditForm()
    if not form.validate():
        return _detail(comment, edit_form=form, http_status=422)
    edit(comment, current_user, body=form.body.data, author_name=form.author_name.data,
         author_email=form.author_email.data, author_url=form.author_url.data or "")
    db.session.commit()
    flash("De reactie is bijgewerkt.", "success")
    return redirect(url_for("staff.comment_detail", comment_id=comment.id))


@bp.post("/reacties/<int:comment_id>/antwoorden")
@staff_required(Role.MODERATOR)
def comment_reply(comment_id: int):
    comment = news.comment_or_404(comment_id)
    form = StaffReplyForm()
    if form.validate():
        try:
            reply(comment, current_user, form.reply.data)
        except CannotReply:
            db.session.rollback()
            form.reply.errors.append("Op een reactie in spam of de prullenbak kun je niet antwoorden. "
                                     "Zet hem eerst terug.")
        else:
            db.session.commit()
            flash("Je antwoord is geplaatst.", "success")
            return redirect(url_for("staff.comment_detail", comment_id=comment.id))
    return _detail(comment, reply_form=form, http_status=422)


def _action_view(action: Action):
    """POST: apply the action and go back (to the tab, or to the comment's page with van=detail).
    Deleting for good asks first: GET shows the question, its form POSTs here."""
    def view(comment_id: int):
        comment = news.comment_or_404(comment_id)
        status, q, page = _list_state()
        if request.method == "GET":  # only "delete" has GET: the confirmation step
            return render_template("staff/comments_delete.html", comments=[comment], action=action,
                                   state=_state_args(status, q, page), back=_list_url(status, q, page),
                                   single=True)
        from_detail = request.args.get("van") == "detail"
        old_status = CommentStatus(comment.status)
        if moderate(comment, action, current_user):
            db.session.commit()
            flash(f"De reactie is {action.done}.", "success")
        else:
            flash(f"Dat kan niet bij een reactie in ‘{old_status.label}’; er is niets gewijzigd.",
                  "warning")
        if from_detail and action.name != "delete":
            return redirect(url_for("staff.comment_detail", comment_id=comment_id))
        return redirect(_list_url(status, q, page))
    view.__name__ = f"{action.name}_comment"
    return view


for _action in ACTIONS.values():
    bp.add_url_rule(f"/reacties/<int:comment_id>/{_action.slug}", endpoint=f"{_action.name}_comment",
                    view_func=staff_required(Role.MODERATOR)(_action_view(_action)),
                    methods=["GET", "POST"] if _action.name == "delete" else ["POST"])

SECTION["staff.comments"] = ("staff.comment_detail", "staff.comments_bulk",
                             *(f"staff.{name}_comment" for name in ACTIONS))
