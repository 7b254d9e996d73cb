"""Plain helpers every test folder may import (fixtures live in conftest.py, which nothing imports)."""
from __future__ import annotations

import os
import re
from datetime import date

from sbo import clock
from sbo.config import _normalise_db_url



# which pytest-xdist worker runs this (0 without xdist)
WORKER_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets a database of its own next to the one DATABASE_URL
    names (test → test_gw0, test_gw1; conftest creates it), so workers never empty each
    other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base, _, name = url.rpartition("/")
    name, query = name.partition("?")[::2]
    return f"{base}/{name}_{worker}" + (f"?{query}" if query else "")


# the suite runs on PostgreSQL when DATABASE_URL points there, else on a SQLite file per test
DATABASE_URL = _normalise_db_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
PG_URL = _worker_database(DATABASE_URL)


def pin_run_date() -> None:
    """Let `clock.today()` answer the run's date (SBO_TEST_TODAY, set here by the first process
    of the run and inherited by pytest-xdist workers and the gunicorn servers tests start) for
    the rest of this process while the clock is the real one. Test modules take TODAY when they
    are imported and build their editions around it; a run that crosses midnight in the
    Netherlands would otherwise ask the app about a day the data was not made for. A test that
    moves `clock.utcnow` moves the date with it, and a moment passed in (`clock.today(now)`) is
    converted as it is."""
    day = date.fromisoformat(os.environ.setdefault("SBO_TEST_TODAY", clock.today().isoformat()))
    real_today, real_utcnow = clock.today, clock.utcnow

    def today(now=None):
        return day if now is None and clock.utcnow is real_utcnow else real_today(now)

    clock.today = today


def share_url_builders() -> None:
    """Werkzeug compiles two Python functions for each URL rule an app adds (its URL builders,
    through `ast` and `compile`): ~90 % of `create_app()` once the modules are imported, ~75 ms
    of every test's app on this machine. A builder's code depends only on the rule's text, its
    parsed parts and its defaults, and takes the rule as its first argument, so the apps of one
    test process share them. Werkzeug's own compiler makes each the first time; a Werkzeug
    without this method is left as it is."""
    from werkzeug.routing import Rule
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "shared", False):
        return
    builders: dict[tuple, object] = {}

    def shared_builder(self, append_unknown=True):
        key = (self.rule, tuple(self._trace), append_unknown,
               tuple(sorted((name, repr(value)) for name, value in (self.defaults or {}).items())),
               tuple((name, type(converter)) for name, converter in self._converters.items()))
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = compile_builder(self, append_unknown)
        return builder

    shared_builder.shared, shared_builder.original = True, compile_builder
    Rule._compile_builder = shared_builder


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def comment_keys(client) -> dict[str, str]:
    """The comment form's CSRF token and signed start time, fetched as static/js/comment-form.js
    fetches them when a reader moves into the form (the article page holds neither)."""
    response = client.get("/nieuws/reactieformulier.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    return response.get_json()


def form_values(client, html: str) -> dict[str, str]:
    """The values a browser sends with a page's form besides what the visitor types: the CSRF
    token, and the comment form's signed start time. The comment form holds neither; its script
    fetches them (data-form-keys), and so does this."""
    if re.search(r'data-form-keys="[^"]+"', html):
        return comment_keys(client)
    return {"csrf_token": csrf_from(html)}
