"""Where stored pages and the content generation live: a bounded LRU per process, or Redis
when CACHE_REDIS_URL is set; the generation in the database row `cache_generation` (or a
Redis counter), memoised per worker for CACHE_GENERATION_TTL seconds."""
from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from functools import cache

from flask import current_app
from sqlalchemy import Integer, event, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

GENERATION_KEY = "sbo:cache:generation"
STORE_EXTENSION = "sbo_cache"
REDIS_EXTENSION = "sbo_cache_redis"


class CacheGeneration(db.Model):
    """One row (id 1): a counter bumped whenever cached content changes."""
    __tablename__ = "cache_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(CacheGeneration.__table__, "after_create")
def _insert_generation_row(target, connection, **kw) -> None:
    connection.execute(target.insert().values(id=1, value=0))


@cache
def _generation_statement():
    """Built once: building a select cost more than running it on SQLite (issue 18)."""
    return select(CacheGeneration.value).where(CacheGeneration.id == 1)


def redis_url() -> str | None:
    """The configured Redis, or None for the database and a per-process LRU (also outside an
    app context, or in an app that is not this site: the session hooks see every commit)."""
    try:
        return current_app.config.get("CACHE_REDIS_URL")
    except RuntimeError:
        return None


def redis_client():
    """The current app's Redis client, made on first use."""
    import redis
    app = current_app._get_current_object()
    client = app.extensions.get(REDIS_EXTENSION)
    if client is None:
        client = app.extensions[REDIS_EXTENSION] = redis.Redis.from_url(
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
        if redis_url():
            value = int(redis_client().get(GENERATION_KEY) or 0)
        else:
            value = db.session.scalar(_generation_statement()) or 0
        if self.generation_ttl > 0:
            self._generation = (now + self.generation_ttl, value)
        return value

    def forget_generation(self) -> None:
        self._generation = None

    def get(self, key: str) -> dict | None:
        if redis_url():
            raw = redis_client().get(key)
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
        if redis_url():
            head = json.dumps({k: v for k, v in entry.items() if k != "body"}).encode()
            redis_client().set(key, head + b"\n" + entry["body"], ex=timeout)
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


def page_store() -> PageStore:
    """The current app's store, made on first use (so a test may change the config first)."""
    app = current_app._get_current_object()
    store = app.extensions.get(STORE_EXTENSION)
    if store is None:
        store = app.extensions[STORE_EXTENSION] = PageStore(
            int(app.config["CACHE_MAX_ENTRIES"]), float(app.config["CACHE_GENERATION_TTL"]))
    return store


def forget_generation_memo() -> None:
    """Read the generation afresh at the next request (no app context, or no store yet:
    nothing is memoised)."""
    try:
        store = current_app.extensions.get(STORE_EXTENSION)
    except RuntimeError:
        return
    if store is not None:
        store.forget_generation()
