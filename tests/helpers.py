"""Plain helpers every test folder may import (fixtures live in conftest.py, which nothing imports)."""
from __future__ import annotations

import os
import re

from sbo.config import _normalise_db_url

# the suite runs on PostgreSQL when DATABASE_URL points there, else on a SQLite file per test
PG_URL = _normalise_db_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)
