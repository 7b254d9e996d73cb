"""A rendered-page cache for anonymous GETs, with ETag/Last-Modified revalidation.

    from sbo.cache import cache_page, track_content
    track_content(Offering, Edition)          # in the domain's models.py

    @bp.get("/aanbod")
    @cache_page(timeout=300)
    def index(): ...

Correctness rules:
- Only GET/HEAD from a visitor whose session holds nothing but (at most) a CSRF token, and
  who carries none of the cookies in CACHE_BYPASS_COOKIES (remember-me, pending comment, ...).
  So never for logged-in staff, never when a flash message waits.
- A response is stored only when it is a 200, the session still holds nothing but a CSRF
  secret, the page holds no CSRF token (unless per_request, below), and the final response
  (after every after_request hook and the session save) sets no cookie but that anonymous
  session or the deletion of one.
- Keys are scheme + host + script root + path + query string + the content *generation*
  (see _page_key; RequestOrigin decides which of them a client may influence). The generation is a
  counter bumped in the same transaction as any insert/update/delete of a tracked model
  (ORM unit of work, or an ORM-enabled bulk UPDATE/DELETE/INSERT), so every worker on every
  host sees new content as soon as it is committed. With CACHE_REDIS_URL the counter is a
  Redis INCR, done right after the commit.
- Reading the generation costs one primary-key SELECT (or one Redis GET). A worker may memo it
  for CACHE_GENERATION_TTL seconds (default 1): anonymous visitors of *other* workers may then
  see a change up to a second late; the worker that committed forgets its memo at once, and the
  person who made the change carries a flash or cookie, so bypasses the cache anyway.
- Seat counts are the exception: a statement marked with `counts_only(stmt)` (the seat
  UPDATEs of an enrolment) bumps the generation too, but its worker keeps its memo, so every
  worker shows the new count within CACHE_GENERATION_TTL. In a rush of enrolments the pages
  are then rendered at most once per second per worker instead of after every enrolment;
  the person who enrolled carries their booking in the session and sees the page fresh.
- Entries also expire after `timeout` seconds, for pages that change with the clock
  (a scheduled article going public) rather than with content. The key holds today's date,
  so pages showing "upcoming" editions never outlive their day.
- Pages with a form (`cache_page(per_request=True)`): the CSRF token and the values drawn with
  `per_request_value(name)` are stored as placeholders and filled in for each visitor on a hit
  (a few microseconds), so a token is never served to another person. Such pages carry no ETag
  and are marked private. The session cookie a fresh visitor gets for the token is allowed.
- `track_content(Model, when=predicate)`: only changes for which predicate(obj) holds make
  pages stale (a pending comment does not; approving one does).
- Domains add their personal cookies with `bypass_cookies(*names)`.
- Personal pages are never stored: a response whose Cache-Control says `no-store` (set by the
  view or by an after_request hook, e.g. on pages behind a personal link) is not kept, and a
  page rendered for a visitor who carries state (a personal cookie, a flash, a login) is sent
  as `private, no-store`, since it may show their own name, e-mail or pending comment.
Storage: a bounded per-process LRU (CACHE_MAX_ENTRIES), or Redis when CACHE_REDIS_URL is set.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from datetime import date, datetime, timezone
from functools import lru_cache, wraps
from typing import Any, Callable

from flask import Flask, current_app, g, make_response, request, request_finished, session
from redis.exceptions import RedisError
from sqlalchemy import Integer, event, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column
from flask_wtf.csrf import generate_csrf

from . import clock
from .extensions import db

GENERATION_KEY = "sbo:cache:generation"
_tracked: dict[type, Callable[[Any], bool] | None] = {}
_tracked_tables: set[str] = set()
_per_request_makers: dict[str, Callable[[], str]] = {}
_bypass_cookies: set[str] = {"remember_token"}


class CacheGeneration(db.Model):
    """One row (id 1): a counter bumped whenever cached content changes."""
    __tablename__ = "cache_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(CacheGeneration.__table__, "after_create")
def _insert_generation_row(target, connection, **kw) -> None:
    connection.execute(target.insert().values(id=1, value=0))


def track_content(*models, when: Callable[[Any], bool] | None = None) -> None:
    """Register models (or plain association Tables) whose changes make rendered pages stale.
    `when(obj)`: only changes of objects for which it holds count (ORM unit of work; bulk
    statements on the table always count)."""
    for model in models:
        if isinstance(model, type):
            _tracked[model] = when
        _tracked_tables.add(getattr(model, "__table__", model).name)


def bypass_cookies(*names: str) -> None:
    """Cookies that make a page personal: a visitor carrying one never gets a stored page."""
    _bypass_cookies.update(names)


def register_per_request(name: str, make: Callable[[], str]) -> None:
    """A value drawn fresh for every visitor (at import time, so any worker can fill it in)."""
    _per_request_makers[name] = make


def per_request_value(name: str) -> str:
    """The value for this request; remembered so that the cache can swap it for a placeholder."""
    value = _per_request_makers[name]()
    g.setdefault("sbo_cache_values", {})[name] = value
    return value


def _is_tracked(obj: Any) -> bool:
    return any(isinstance(obj, model) and (when is None or when(obj)) for model, when in _tracked.items())


# -- invalidation ------------------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _note_changes(sess: Session, _context) -> None:
    if sess.info.get("sbo_cache_dirty") is not True:
        changed = (obj for group in (sess.new, sess.dirty, sess.deleted) for obj in group)
        if any(_is_tracked(obj) and (obj not in sess.dirty or sess.is_modified(obj))
               for obj in changed):
            sess.info["sbo_cache_dirty"] = True


COUNTS_ONLY = "counts"


def counts_only(statement):
    """Mark a bulk statement that only changes a count shown on pages (seats left): the pages
    may show the old count for up to CACHE_GENERATION_TTL (see the module docstring)."""
    return statement.execution_options(sbo_cache=COUNTS_ONLY)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in _tracked_tables:
            if state.execution_options.get("sbo_cache") == COUNTS_ONLY:
                state.session.info.setdefault("sbo_cache_dirty", COUNTS_ONLY)
            else:
                state.session.info["sbo_cache_dirty"] = True


def mark_content_changed(sess: Session | None = None) -> None:
    """For changes the hooks cannot see (raw SQL): bump the generation at the next commit."""
    (sess or db.session()).info["sbo_cache_dirty"] = True


@event.listens_for(Session, "before_commit")
def _bump_in_transaction(sess: Session) -> None:
    sess.flush()  # let after_flush see the last changes; the bump then holds its row lock briefly
    if not sess.info.get("sbo_cache_dirty") or _redis_url():
        return
    connection = sess.connection()
    table = CacheGeneration.__table__
    bump = update(table).where(table.c.id == 1).values(value=table.c.value + 1)
    if connection.execute(bump).rowcount == 0:  # a database made by a migration, without the row yet
        try:
            with connection.begin_nested():
                connection.execute(table.insert().values(id=1, value=1))
        except IntegrityError:  # another transaction inserted it first
            connection.execute(bump)


@event.listens_for(Session, "after_commit")
def _after_commit(sess: Session) -> None:
    dirty = sess.info.pop("sbo_cache_dirty", False)
    if dirty:
        try:
            store = current_app.extensions.get("sbo_cache")
        except RuntimeError:  # no app context (scripts): nothing memoised here
            store = None
        if _redis_url():
            try:
                _redis().incr(GENERATION_KEY)
            except RedisError as error:
                current_app.logger.error("page cache generation not bumped: %s", error)
        if store is not None and dirty is not COUNTS_ONLY:
            store.forget_generation()


@event.listens_for(Session, "after_rollback")
def _after_rollback(sess: Session) -> None:
    sess.info.pop("sbo_cache_dirty", None)


# -- storage -----------------------------------------------------------------------------------

def _redis_url() -> str | None:
    try:
        return current_app.config.get("CACHE_REDIS_URL")
    except RuntimeError:
        return None


def _redis():
    import redis
    app = current_app._get_current_object()
    client = app.extensions.get("sbo_cache_redis")
    if client is None:
        client = app.extensions["sbo_cache_redis"] = redis.Redis.from_url(
            app.config["CACHE_REDIS_URL"], socket_timeout=0.5)
    return client


class PageStore:
    """Bounded LRU of rendered pages, plus the memoised generation."""

    def __init__(self, max_entries: int, generation_ttl: float):
        self.max_entries = max_entries
        self.generation_ttl = generation_ttl
        self._entries: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()
        self._generation: tuple[float, int] | None = None

    def generation(self) -> int:
        memo = self._generation
        now = time.monotonic()
        if memo is not None and now < memo[0]:
            return memo[1]
        if _redis_url():
            value = int(_redis().get(GENERATION_KEY) or 0)
        else:
            value = db.session.scalar(select(CacheGeneration.value).where(CacheGeneration.id == 1)) or 0
        if self.generation_ttl > 0:
            self._generation = (now + self.generation_ttl, value)
        return value

    def forget_generation(self) -> None:
        self._generation = None

    def get(self, key: str) -> dict | None:
        if _redis_url():
            raw = _redis().get(key)
            if raw is None:
                return None
            head, _, body = raw.partition(b"\n")
            entry = json.loads(head)
            entry["body"] = body
            return entry
        with self._lock:
            item = self._entries.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return item[1]

    def set(self, key: str, entry: dict, timeout: int) -> None:
        if _redis_url():
            head = json.dumps({k: v for k, v in entry.items() if k != "body"}).encode()
            _redis().set(key, head + b"\n" + entry["body"], ex=timeout)
            return
        with self._lock:
            self._entries[key] = (time.monotonic() + timeout, entry)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        self._generation = None


def _page_key(environ: dict, generation: int) -> str:
    """Generation, today's date (pages show "upcoming" editions), and what the app routes and
    renders: the scheme and host (as RequestOrigin left them: trusted only from a configured
    proxy), the script root and the path apart (so "/aanbod" + "/" never meets "" + "/aanbod/"),
    and the query string."""
    return (f"sbo:page:{generation}:{clock.today().isoformat()}:{environ.get('wsgi.url_scheme')}://"
            f"{environ.get('HTTP_HOST') or environ.get('SERVER_NAME')}"
            f"|{environ.get('SCRIPT_NAME', '')}|{environ.get('PATH_INFO', '')}"
            f"?{environ.get('QUERY_STRING', '')}")


def _store() -> PageStore:
    app = current_app._get_current_object()
    store = app.extensions.get("sbo_cache")
    if store is None:
        store = app.extensions["sbo_cache"] = PageStore(
            int(app.config.get("CACHE_MAX_ENTRIES", 500)),
            float(app.config.get("CACHE_GENERATION_TTL", 1.0)))
        request_finished.connect(_store_finished_response, app)
    return store


# -- the decorator -----------------------------------------------------------------------------

# csrf_token: a form was seen; _fresh: Flask-Login marks anonymous sessions too
ALLOWED_SESSION_KEYS = {"csrf_token", "_permanent", "_fresh"}
SKIP_HEADERS = {"set-cookie", "content-length", "date", "vary"}
CSRF = "csrf"


def _placeholder(name: str) -> bytes:
    """Unguessable without the secret key, so page content cannot smuggle one in."""
    return _placeholder_for(str(current_app.config["SECRET_KEY"]), name)


@lru_cache(maxsize=16)
def _placeholder_for(secret_key: str, name: str) -> bytes:
    return b"sbo-per-request-" + name.encode() + b"-" + hmac.new(
        secret_key.encode(), b"sbo.cache.placeholder." + name.encode(), hashlib.sha256).hexdigest()[:24].encode()


def _request_values() -> dict[str, str]:
    values = dict(g.get("sbo_cache_values", {}))
    if "csrf_token" in g:  # Flask-WTF keeps the token it drew for this request there
        values[CSRF] = g.csrf_token
    return values


def _fill_in(body: bytes, names: list[str]) -> bytes | None:
    """The stored body with fresh values for this visitor (None: a value we cannot make here)."""
    for name in names:
        make = generate_csrf if name == CSRF else _per_request_makers.get(name)
        if make is None:
            return None
        body = body.replace(_placeholder(name), make().encode())
    return body


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


def _anonymous_without_state() -> bool:
    config = current_app.config
    if not config.get("CACHE_ENABLED", True) or request.method not in ("GET", "HEAD"):
        return False
    names = config.get("CACHE_BYPASS_COOKIES", _bypass_cookies)
    if any(name in request.cookies for name in names):
        return False
    return set(session.keys()) <= ALLOWED_SESSION_KEYS


PRIVATE = "private, no-store"


def is_no_store(response) -> bool:
    return "no-store" in (response.headers.get("Cache-Control") or "").lower()


def _visitor_has_state() -> bool:
    """The visitor carries a personal cookie or a session with more than a CSRF secret (a
    flash, a login, a booking): what they are shown may be theirs alone."""
    names = current_app.config.get("CACHE_BYPASS_COOKIES", _bypass_cookies)
    return (any(name in request.cookies for name in names)
            or not set(session.keys()) <= ALLOWED_SESSION_KEYS)


def _render_personal(view: Callable, *args, **kwargs):
    """Render outside the cache. For a visitor with state, or a form sent back with what they
    typed (a POST), the page is kept out of every cache (looked at before the view, which may
    take the flash out of the session)."""
    personal = request.method not in ("GET", "HEAD") or _visitor_has_state()
    response = make_response(view(*args, **kwargs))
    if personal:
        response.headers["Cache-Control"] = PRIVATE
    return response


def cache_page(timeout: int = 300, per_request: bool = False) -> Callable:
    """Serve the view from the page cache for anonymous visitors (see the module docstring).
    per_request=True: the page holds a form; its CSRF token and `per_request_value`s are
    filled in for each visitor."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not _anonymous_without_state():
                return _render_personal(view, *args, **kwargs)
            store = _store()
            try:
                key = _page_key(request.environ, store.generation())
                entry = store.get(key)
            except (SQLAlchemyError, RedisError, OSError) as error:  # cache trouble: just render
                db.session.rollback()
                current_app.logger.warning("page cache unavailable: %s", error)
                return view(*args, **kwargs)
            if entry is not None:
                personal = entry.get("per_request")
                body = _fill_in(entry["body"], personal) if personal else entry["body"]
                if body is not None:
                    response = current_app.response_class(body, status=200, headers=entry["headers"])
                    response.headers["X-Cache"] = "hit"
                    return response if personal else _conditional(response)
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.is_streamed or is_no_store(response):
                return response
            body = response.get_data()
            values = _request_values()
            if not _session_is_anonymous():
                return response
            if per_request:
                if not all(values.values()):
                    return response
                for name, value in values.items():
                    body = body.replace(value.encode(), _placeholder(name))
            elif values or b'name="csrf_token"' in body:
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
                            if k.lower() not in SKIP_HEADERS and k != "X-Cache"],
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


def _store_finished_response(sender: Flask, response, **extra) -> None:
    """After the session is saved: store the page only if the final response sets no cookie."""
    pending = g.pop("sbo_cache_pending", None)
    if pending is None:
        return
    key, timeout, entry = pending
    if is_no_store(response):
        return  # marked personal after the view (an after_request hook)
    cookies = response.headers.getlist("Set-Cookie")
    if not all(_harmless_cookie(c) for c in cookies):
        return  # the page went with something personal
    if not cookies or entry.get("per_request"):
        # the response as sent, for FastHits (after_request hooks included; a per-request
        # page's session cookie was this visitor's own and is left out)
        entry["final_headers"] = [(k, v) for k, v in response.headers.items()
                                  if (k.lower() not in SKIP_HEADERS or k.lower() == "vary")
                                  and k != "X-Cache"]
    try:
        _store().set(key, entry, timeout)
    except (RedisError, OSError) as error:
        current_app.logger.warning("page cache unavailable: %s", error)


def init_app(app: Flask) -> None:
    """Put the WSGI fast path for stored pages (sbo/cache_wsgi.py) in front of the app."""
    from .cache_wsgi import FastHits
    from .security import RequestOrigin
    if isinstance(app.wsgi_app, RequestOrigin):  # see the scheme, host and path it cleaned
        app.wsgi_app.app = FastHits(app, app.wsgi_app.app)
    else:
        app.wsgi_app = FastHits(app, app.wsgi_app)
