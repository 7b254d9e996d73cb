"""Rate-limit counters all workers and hosts share.

Flask-Limiter keeps its counters where RATELIMIT_STORAGE_URI says. `memory://` is per worker
process (with 2 gunicorn workers a "10 per minute" limit let 20 through), so the default is
`sbo+database://`: the counters live in the site's own database (table rate_limit_counter),
which every worker on every host already shares. With Redis, set
RATELIMIT_STORAGE_URI=redis://host:6379 instead (faster, and no writes on the database).

The storage implements what the fixed-window strategy (Flask-Limiter's default) needs: one row
per key with a count and the moment its window ends, incremented with one atomic
INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite 3.35+ and PostgreSQL), on a connection of
its own, so the counter commits at once and never joins the request's transaction.
"""
from __future__ import annotations

import hashlib
import random
import time
from functools import lru_cache

from limits.storage import Storage
from sqlalchemy import Float, Integer, String, bindparam, case, delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

SCHEME = "sbo+database"
KEY_LENGTH = 200
PURGE_CHANCE = 0.01  # one hit in a hundred deletes the counters whose window has ended


class RateLimitCounter(db.Model):
    """One Flask-Limiter counter: hits in the current window, and when that window ends."""
    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # Unix time, as limits uses


_TABLE = RateLimitCounter.__table__
# The statements are built once (building one costs more than running it: issue 18); each
# call binds its own values.
_GET = select(_TABLE.c.count).where(_TABLE.c.key == bindparam("key"),
                                    _TABLE.c.expires_at > bindparam("now", type_=Float()))
_GET_EXPIRY = select(_TABLE.c.expires_at).where(_TABLE.c.key == bindparam("key"))
_PURGE = delete(_TABLE).where(_TABLE.c.expires_at < bindparam("now", type_=Float()))


@lru_cache(maxsize=2)
def _incr_statement(postgresql: bool):
    """INSERT … ON CONFLICT DO UPDATE … RETURNING count: a new window starts at `now` when the
    old one has ended (count = amount, expires = now + expiry), else count + amount."""
    insert = pg_insert if postgresql else sqlite_insert
    amount = bindparam("amount", type_=Integer())
    expires = bindparam("expires", type_=Float())
    ended = _TABLE.c.expires_at <= bindparam("now", type_=Float())
    statement = insert(_TABLE).values(key=bindparam("key"), count=amount, expires_at=expires)
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.key],
        set_={"count": case((ended, amount), else_=_TABLE.c.count + amount),
              "expires_at": case((ended, expires), else_=_TABLE.c.expires_at)},
    ).returning(_TABLE.c.count)


def _key(key: str) -> str:
    if len(key) <= KEY_LENGTH:
        return key
    return key[:KEY_LENGTH - 65] + ":" + hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """limits storage on the application's database (the app of the current context)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @staticmethod
    def _engine():
        return db.engine  # Flask-Limiter asks within a request, so the current app's database

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = self._engine()
        with engine.begin() as conn:
            count = conn.execute(_incr_statement(engine.dialect.name == "postgresql"), {
                "key": _key(key), "amount": amount, "now": now, "expires": now + expiry}).scalar_one()
            if random.random() < PURGE_CHANCE:
                conn.execute(_PURGE, {"now": now})
        return count

    def get(self, key: str) -> int:
        with self._engine().connect() as conn:
            count = conn.execute(_GET, {"key": _key(key), "now": time.time()}).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with self._engine().connect() as conn:
            expires = conn.execute(_GET_EXPIRY, {"key": _key(key)}).scalar()
        return expires if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        table = RateLimitCounter.__table__
        with self._engine().begin() as conn:
            conn.execute(delete(table).where(table.c.key == _key(key)))
