"""`cache_page`: the view decorator that serves stored pages to anonymous visitors and stores
what it renders for them, once the response is sent and proven impersonal."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import wraps
from typing import Callable

from flask import Flask, current_app, g, make_response, request, request_finished, session
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .keys import page_key
from .per_request import fill_in, placeholder, values_drawn
from .store import page_store

# csrf_token: a form was seen; _fresh: Flask-Login marks anonymous sessions too
ALLOWED_SESSION_KEYS = {"csrf_token", "_permanent", "_fresh"}
UNSTORED_HEADERS = {"set-cookie", "content-length", "date", "vary"}
PRIVATE_NO_STORE = "private, no-store"
_bypass_cookies: set[str] = {"remember_token"}
# a CSRF token in the page (a form's hidden field left empty for a script to fill in is not one)
CSRF_VALUE = re.compile(rb'name="csrf_token"[^>]*value="[^"]')


def bypass_cookies(*names: str) -> None:
    """Cookies that make a page personal: a visitor carrying one never gets a stored page."""
    _bypass_cookies.update(names)


def _session_is_anonymous() -> bool:
    """Nothing in the session but a CSRF secret (Flask-Login's "strong" session protection
    marks such a session `_remember=clear`, removed again after the request)."""
    return all(key in ALLOWED_SESSION_KEYS or (key == "_remember" and value == "clear")
               for key, value in session.items())


def _harmless_cookie(header: str) -> bool:
    """The session cookie of an anonymous session, or a cookie being deleted."""
    name = header.split("=", 1)[0]
    if name == current_app.config["SESSION_COOKIE_NAME"]:
        return _session_is_anonymous()
    return "Expires=Thu, 01 Jan 1970" in header or "Max-Age=0" in header


def _visitor_has_state() -> bool:
    """The visitor carries a personal cookie or a session with more than a CSRF secret (a
    flash, a login, a booking): what they are shown may be theirs alone."""
    names = current_app.config["CACHE_BYPASS_COOKIES"]
    if names is None:  # the default: the cookies the domains registered with bypass_cookies()
        names = _bypass_cookies
    return (any(name in request.cookies for name in names)
            or not set(session.keys()) <= ALLOWED_SESSION_KEYS)


def _may_use_stored_page() -> bool:
    """The cache is on, the request a GET or HEAD, and the visitor carries no state."""
    return (bool(current_app.config["CACHE_ENABLED"]) and request.method in ("GET", "HEAD")
            and not _visitor_has_state())


def _is_no_store(response) -> bool:
    return "no-store" in (response.headers.get("Cache-Control") or "").lower()


def _render_uncached(view: Callable, *args, **kwargs):
    """Render outside the cache. For a visitor with state, or a form sent back with what they
    typed (a POST), the page is kept out of every cache (looked at before the view, which may
    take the flash out of the session)."""
    personal = request.method not in ("GET", "HEAD") or _visitor_has_state()
    response = make_response(view(*args, **kwargs))
    if personal:
        response.headers["Cache-Control"] = PRIVATE_NO_STORE
    return response


def cache_page(timeout: int = 300, per_request: bool = False) -> Callable:
    """Serve the view from the page cache for anonymous visitors (see sbo/pagecache/__init__.py).
    per_request=True: the page holds a form; its CSRF token is filled in for each visitor."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not _may_use_stored_page():
                return _render_uncached(view, *args, **kwargs)
            store = page_store()
            try:
                key = page_key(request.environ, store.generation())
                entry = store.get(key)
            except (SQLAlchemyError, RedisError, OSError) as error:  # cache trouble: just render
                db.session.rollback()
                current_app.logger.warning("page cache unavailable: %s", error)
                return view(*args, **kwargs)
            if entry is not None:
                names = entry.get("per_request")
                body = fill_in(entry["body"], names) if names else entry["body"]
                if body is not None:
                    response = current_app.response_class(body, status=200, headers=entry["headers"])
                    response.headers["X-Cache"] = "hit"
                    return response if names else _conditional(response)
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.is_streamed or _is_no_store(response):
                return response
            body = response.get_data()
            values = values_drawn()
            if not _session_is_anonymous():
                return response
            if per_request:
                if not all(values.values()):
                    return response
                for name, value in values.items():
                    body = body.replace(value.encode(), placeholder(name))
            elif values or CSRF_VALUE.search(body):
                return response
            if per_request:
                response.headers["Cache-Control"] = "private, no-cache"
            else:
                response.add_etag()
                response.last_modified = datetime.now(timezone.utc).replace(microsecond=0)
                response.headers["Cache-Control"] = "no-cache"
            response.headers["X-Cache"] = "miss"
            g.sbo_cache_pending = (key, timeout, {
                "body": body,
                "headers": [(k, v) for k, v in response.headers.items()
                            if k.lower() not in UNSTORED_HEADERS and k != "X-Cache"],
                **({"per_request": sorted(values)} if per_request else {}),
            })
            return response if per_request else _conditional(response)
        return wrapper
    return decorator


def _conditional(response):
    """304 when the browser's copy is current (skipped, being costly, when it has none)."""
    if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
        return response.make_conditional(request)
    return response


def _store_sent_page(sender: Flask, response, **extra) -> None:
    """After the session is saved: store the page only if the final response sets no cookie."""
    pending = g.pop("sbo_cache_pending", None)
    if pending is None:
        return
    key, timeout, entry = pending
    if _is_no_store(response):
        return  # marked personal after the view (an after_request hook)
    cookies = response.headers.getlist("Set-Cookie")
    if not all(_harmless_cookie(c) for c in cookies):
        return  # the page went with something personal
    if not cookies or entry.get("per_request"):
        # the response as sent, for the cookie-less fast path (after_request hooks included; a
        # per-request page's session cookie was this visitor's own and is left out)
        entry["final_headers"] = [(k, v) for k, v in response.headers.items()
                                  if (k.lower() not in UNSTORED_HEADERS or k.lower() == "vary")
                                  and k != "X-Cache"]
    try:
        page_store().set(key, entry, timeout)
    except (RedisError, OSError) as error:
        current_app.logger.warning("page cache unavailable: %s", error)


def store_sent_pages(app: Flask) -> None:
    """Store the pages `cache_page` rendered once the app has sent them."""
    request_finished.connect(_store_sent_page, app)
