"""Who may open which /beheer page.

`staff_required(role)` guards a view and records its minimum role on the view function
(`view.staff_role`); the blueprint refuses any staff endpoint without one (fail closed), and the
test suite walks the URL map using the same attribute. Staff responses are never cached.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..filters import url_for as cached_url_for
from ..security import is_safe_redirect
from .lists import esc
from .models import Role

bp = Blueprint("staff", __name__)

# Endpoints anyone may open (the login form, and the way back in without a password).
PUBLIC_ENDPOINTS = frozenset({"staff.login", "staff.static", "staff.forgot_password", "staff.reset_password"})


def staff_required(role: Role | str) -> Callable:
    """Require a logged-in, active staff member with at least `role`:
    anonymous → login page (with next=), too low a role → 403."""
    role = Role(role)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.staff_role = role
        return wrapped
    return decorator


def min_role(endpoint: str) -> Role | None:
    """The minimum role of a view, or None when it carries no staff_required."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "staff_role", None)


def can_open(endpoint: str, user=None) -> bool:
    """True when `endpoint` exists and the current user (or `user`, when the caller has looked
    it up already) may open it (for navigation links)."""
    user = current_user if user is None else user
    role = min_role(endpoint)
    return role is not None and user.is_authenticated and user.has_role(role)


def safe_next(target: str | None) -> str | None:
    """`target` when it is a relative path on this site (sbo.security.is_safe_redirect), else None."""
    return target if is_safe_redirect(target) else None


NAV = [
    ("Dashboard", "staff.dashboard"),
    ("Reacties", "staff.comments"),
    ("Aanbod", "staff.offerings"),
    ("Thema's", "staff.themes"),
    ("Locaties", "staff.venues"),
    ("Trainers", "staff.trainers"),
    ("Contactpersonen", "staff.contacts"),
    ("Registers", "staff.registers"),
    ("Artikelen", "staff.articles"),
    ("Maatwerk", "staff.incompany_requests"),
    ("Accounts", "staff.accounts"),
    ("Logboek", "staff.audit_log"),
    ("Mail", "staff.outbox"),
    ("Privacy", "staff.privacy"),
]


@bp.before_request
def _fail_closed():
    """A staff view that forgot its staff_required is refused for everyone."""
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_ENDPOINTS or endpoint not in current_app.view_functions:
        return None
    if min_role(endpoint) is None:
        current_app.logger.error("staff endpoint %s has no staff_required", endpoint)
        abort(403)
    return None


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def staff_nav() -> Markup:
    """The staff navigation's items: a link to each section the user may open, the current one
    marked (what a loop in templates/staff/base.html drew). Drawn once per proxy prefix, role
    and page, a few dozen variants with nothing personal in them, and kept."""
    if not request.blueprint == "staff" or not current_user.is_authenticated:
        return Markup("")
    user = current_user._get_current_object()  # looked up once, not per item
    cache = current_app.extensions.setdefault(_NAV_CACHE, {})
    key = (request.script_root, Role(user.role), request.endpoint or "")
    items = cache.get(key)
    if items is None:
        current = key[2]
        items = cache[key] = Markup("".join(
            f'\n        <li><a href="{esc(cached_url_for(endpoint))}"'
            f'{_CURRENT if current == endpoint or current in SECTION.get(endpoint, ()) else ""}>{esc(label)}</a></li>\n        '
            for label, endpoint in NAV if can_open(endpoint, user)))
    return items


_NAV_CACHE = "sbo_staff_nav"
_CURRENT = ' aria-current="page"'


@bp.record_once
def _template_globals(state) -> None:
    """staff_nav() and can_open() in every template: globals rather than a context processor
    run for every page rendered."""
    state.app.jinja_env.globals.update(staff_nav=staff_nav, can_open=can_open)


# Pages that belong to a section in the navigation.
SECTION = {
    "staff.offerings": ("staff.offering_new", "staff.offering_edit", "staff.edition_new", "staff.edition_edit",
                        "staff.enrolments", "staff.enrolment_cancel", "staff.interest", "staff.programme",
                        "staff.programme_add", "staff.programme_trainers", "staff.programme_item",
                        "staff.discounts", "staff.discount_delete", "staff.accreditations", "staff.presence",
                        "staff.edition_evaluations", "staff.offering_evaluations"),
    "staff.articles": ("staff.article_new", "staff.article_edit", "staff.article_documents"),
    "staff.themes": ("staff.theme_new", "staff.theme_edit"),
    "staff.venues": ("staff.venue_new", "staff.venue_edit", "staff.venue_delete"),
    "staff.trainers": ("staff.trainer_new", "staff.trainer_edit"),
    "staff.contacts": ("staff.contact_new", "staff.contact_edit", "staff.contact_delete"),
    "staff.registers": ("staff.register_new", "staff.register_edit"),
    "staff.accounts": ("staff.account_new",),
    "staff.privacy": ("staff.privacy_erase",),
    "staff.incompany_requests": ("staff.incompany_detail", "staff.incompany_update", "staff.incompany_note"),
}


@bp.errorhandler(403)
def _forbidden(_error):
    return render_template("staff/forbidden.html"), 403
