"""When stored pages go stale: a change to a tracked model bumps the content generation in
the same transaction (or, with Redis, right after the commit), and the generation is part of
every page key."""
from __future__ import annotations

from typing import Any, Callable

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..extensions import db
from .store import GENERATION_KEY, CacheGeneration, forget_generation_memo, redis_client, redis_url

_tracked: dict[type, Callable[[Any], bool] | None] = {}
_tracked_tables: set[str] = set()

DIRTY = "sbo_cache_dirty"  # in Session.info: True, or SHOWN_LATE, when the generation is to be bumped
SHOWN_LATE = "shown-late"


def track_content(*models, when: Callable[[Any], bool] | None = None) -> None:
    """Register models (or plain association Tables) whose changes make rendered pages stale.
    `when(obj)`: only changes of objects for which it holds count (ORM unit of work; bulk
    statements on the table always count)."""
    for model in models:
        if isinstance(model, type):
            _tracked[model] = when
        _tracked_tables.add(getattr(model, "__table__", model).name)


def may_show_late(statement):
    """Mark a bulk statement that only changes a count shown on pages (seats left): it bumps
    the generation, but the worker keeps its memo, so pages may show the old count for up to
    CACHE_GENERATION_TTL (see sbo/pagecache/__init__.py)."""
    return statement.execution_options(sbo_cache=SHOWN_LATE)


def mark_content_changed(sess: Session | None = None) -> None:
    """For changes the hooks cannot see (raw SQL): bump the generation at the next commit."""
    (sess or db.session()).info[DIRTY] = True


def _is_tracked(obj: Any) -> bool:
    return any(isinstance(obj, model) and (when is None or when(obj)) for model, when in _tracked.items())


@event.listens_for(Session, "after_flush")
def _note_changes(sess: Session, _context) -> None:
    if sess.info.get(DIRTY) is not True:
        changed = (obj for group in (sess.new, sess.dirty, sess.deleted) for obj in group)
        if any(_is_tracked(obj) and (obj not in sess.dirty or sess.is_modified(obj))
               for obj in changed):
            sess.info[DIRTY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in _tracked_tables:
            if state.execution_options.get("sbo_cache") == SHOWN_LATE:
                state.session.info.setdefault(DIRTY, SHOWN_LATE)
            else:
                state.session.info[DIRTY] = True


@event.listens_for(Session, "before_commit")
def _bump_in_transaction(sess: Session) -> None:
    sess.flush()  # let after_flush see the last changes; the bump then holds its row lock briefly
    if not sess.info.get(DIRTY) or redis_url():
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
    dirty = sess.info.pop(DIRTY, False)
    if dirty:
        if redis_url():
            try:
                redis_client().incr(GENERATION_KEY)
            except RedisError as error:
                current_app.logger.error("page cache generation not bumped: %s", error)
        if dirty is not SHOWN_LATE:
            forget_generation_memo()


@event.listens_for(Session, "after_rollback")
def _after_rollback(sess: Session) -> None:
    sess.info.pop(DIRTY, None)
