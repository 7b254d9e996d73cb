"""A rendered-page cache for anonymous GETs, with ETag/Last-Modified revalidation.

    from sbo.pagecache import cache_page, track_content
    track_content(Offering, Edition)          # in the domain's models.py

    @bp.get("/aanbod")
    @cache_page(timeout=300)
    def index(): ...

The package: keys.py (what a page is stored under), store.py (the LRU or Redis, and the
content generation), invalidation.py (what makes pages stale), per_request.py (the CSRF
token drawn for every visitor of a stored form page), decorator.py (`cache_page`: who gets a
stored page and what is stored), fastpath.py (stored pages for cookie-less GETs, before Flask).
Its settings (CACHE_ENABLED, CACHE_MAX_ENTRIES, CACHE_GENERATION_TTL, CACHE_REDIS_URL) default
in sbo/config.py.

Correctness rules:
- Only GET/HEAD from a visitor whose session holds nothing but (at most) a CSRF token, and
  who carries none of the cookies in CACHE_BYPASS_COOKIES (remember-me, pending comment, ...).
  So never for logged-in staff, never when a flash message waits.
- A response is stored only when it is a 200, the session still holds nothing but a CSRF
  secret, the page holds no CSRF token (unless per_request, below), and the final response
  (after every after_request hook and the session save) sets no cookie but that anonymous
  session or the deletion of one.
- Keys are scheme + host + script root + path + query string + the content *generation*
  (see keys.page_key; RequestOrigin decides which of them a client may influence). The
  generation is a counter bumped in the same transaction as any insert/update/delete of a
  tracked model (ORM unit of work, or an ORM-enabled bulk UPDATE/DELETE/INSERT), so every
  worker on every host sees new content as soon as it is committed. With CACHE_REDIS_URL the
  counter is a Redis INCR, done right after the commit.
- Reading the generation costs one primary-key SELECT (or one Redis GET). A worker may memo it
  for CACHE_GENERATION_TTL seconds (default 1): anonymous visitors of *other* workers may then
  see a change up to a second late; the worker that committed forgets its memo at once, and the
  person who made the change carries a flash or cookie, so bypasses the cache anyway.
- Seat counts are the exception: a statement marked with `may_show_late(stmt)` (the seat
  UPDATEs of an enrolment) bumps the generation too, but its worker keeps its memo, so every
  worker shows the new count within CACHE_GENERATION_TTL. In a rush of enrolments the pages
  are then rendered at most once per second per worker instead of after every enrolment;
  the person who enrolled carries their booking in the session and sees the page fresh.
- Entries also expire after `timeout` seconds, for pages that change with the clock
  (a scheduled article going public) rather than with content. The key holds today's date,
  so pages showing "upcoming" editions never outlive their day.
- Pages with a form (`cache_page(per_request=True)`): the CSRF token is stored as a placeholder
  and filled in for each visitor on a hit (a few microseconds), so a token is never served to
  another person. (The article page does without: its comment form fetches its values with a
  script, so the page is stored like any other; see sbo/news/views.py.) Such pages carry no ETag
  and are marked private. The session cookie a fresh visitor gets for the token is allowed.
- `track_content(Model, when=predicate)`: only changes for which predicate(obj) holds make
  pages stale (a pending comment does not; approving one does).
- Domains add their personal cookies with `bypass_cookies(*names)`.
- Personal pages are never stored: a response whose Cache-Control says `no-store` (set by the
  view or by an after_request hook, e.g. on pages behind a personal link) is not kept, and a
  page rendered for a visitor who carries state (a personal cookie, a flash, a login) is sent
  as PRIVATE_NO_STORE, since it may show their own name, e-mail or pending comment.
Storage: a bounded per-process LRU (CACHE_MAX_ENTRIES), or Redis when CACHE_REDIS_URL is set.
"""
from __future__ import annotations

from flask import Flask

from . import fastpath
from .decorator import PRIVATE_NO_STORE, bypass_cookies, cache_page, store_sent_pages
from .invalidation import mark_content_changed, may_show_late, track_content

__all__ = ["PRIVATE_NO_STORE", "bypass_cookies", "cache_page", "init_app", "mark_content_changed",
           "may_show_late", "track_content"]


def init_app(app: Flask) -> None:
    """Store the pages `cache_page` renders once they are sent, and put the fast path for
    cookie-less GETs (fastpath.py) in front of the app."""
    store_sent_pages(app)
    fastpath.install(app)
