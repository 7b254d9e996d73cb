"""Values derived from content (the catalogue's facet counts, the ids of a listing page),
memoised per worker under the content generation and today's date: a commit of a tracked model
makes them stale exactly when it makes stored pages stale (see invalidation.py). Unlike stored
pages they serve everyone, staff and visitors with a session too, also with CACHE_ENABLED off:
a memo holds plain data or public fragments of HTML drawn from it (catalogue cards, theme
tiles, a page of approved comment threads: no ORM objects, nothing personal, nothing that
changes without a commit, such as seats left, which each page reads live), never a whole page.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from .store import page_store

MEMO_EXTENSION = "sbo_content_memo"
T = TypeVar("T")


class ContentMemo:
    """A bounded LRU of computed values."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


def content_memo(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its value from an earlier call with the same name and key under the same
    content generation and date. Without a readable generation it just computes."""
    app = current_app._get_current_object()
    memo = app.extensions.get(MEMO_EXTENSION)
    if memo is None:
        memo = app.extensions[MEMO_EXTENSION] = ContentMemo(int(app.config["CACHE_MAX_ENTRIES"]))
    try:
        generation = page_store().generation()
    except (SQLAlchemyError, RedisError, OSError) as error:
        current_app.logger.warning("content memo skipped, no generation: %s", error)
        return compute()
    return memo.get((name, generation, clock.today(), key), compute)
