"""Plain helpers every test folder may import (fixtures live in conftest.py, which nothing imports)."""
from __future__ import annotations

import os
import re

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

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)
