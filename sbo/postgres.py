"""PostgreSQL connections without needless round trips and planning (issue 18).

**A transaction that wrote nothing ends with COMMIT, not ROLLBACK.** Every request ends its
transaction when the session closes; SQLAlchemy rolls it back. psycopg forgets its prepared
statements on every ROLLBACK (a rollback may undo a PREPARE), so no statement was ever used
often enough on one connection to be prepared, and PostgreSQL planned every statement of every
request again (0.05 ms for the staff login, 0.3-0.5 ms for the participant list). For a
transaction that only read, COMMIT and ROLLBACK do the same, and psycopg keeps its prepared
statements after a COMMIT. So the dialect's rollback commits instead when no statement other
than a SELECT ran in the transaction and the transaction is not in error; everything else is
rolled back as before. The Session is not involved: it still sees a rollback (no after_commit
hooks run), and a transaction that wrote anything, or failed, is rolled back.

**A pooled connection is pinged only when it may have gone away.** SQLAlchemy's
pool_pre_ping sends `SELECT 1` every time a connection leaves the pool, a round trip on every
request (on this machine ~0.1 ms of the app's and the server's time, a fifth of
a staff page's five round trips). A connection the server has closed (a restart, an
administrator's pg_terminate_backend, an idle timeout) has its socket readable: the server
sent an error and closed it. So the ping is sent only when the socket of an idle connection
is readable, or the connection has been idle for longer than IDLE_PING_S (a connection lost
without a word, say behind a firewall that dropped it). A failed ping is handled as
pool_pre_ping handles it: the pool discards the connection and opens a new one, so no request
sees the dead connection. (A request in the instant between the server's signal and its
backend's exit, while a restart is under way, can still meet it and get the 503 page the
database's absence gives anyway.)

**LIMIT and OFFSET are written into the statement, not sent as parameters.** PostgreSQL
plans a prepared statement for its parameters' values five times, then switches to one generic
plan only when that plan's estimate is not much worse. With `LIMIT $1` the generic plan cannot
know that a page is 25 rows, its estimate stays far worse, and every execution of a paged
statement was planned again: the comment queue's statement cost the server 0.8 ms a request
against 0.2 ms with `LIMIT 25` in its text (measured with psycopg, server CPU from /proc). The
compiler renders them as SQLAlchemy's literal_execute parameters: the compiled statement is
still cached once, and the values (always integers) go into the SQL text at execution, so each
page size and offset is a statement of its own that psycopg prepares and PostgreSQL plans once.

SQLite connections are files: none of this applies to them.
"""
from __future__ import annotations

import re
import select
import time
import weakref

from datetime import date

from sqlalchemy import BindParameter, Date, bindparam, event, exc
from sqlalchemy.engine import Engine

_READS = re.compile(r"\s*SELECT\b", re.IGNORECASE)  # WITH may hold an INSERT: it counts as a write
IDLE_PING_S = 30.0
IDLE_SINCE = "sbo_idle_since"  # key in the pool record's info: when it was last checked in


def install(engine: Engine) -> None:
    """Both of the above for `engine` (PostgreSQL; nothing for SQLite)."""
    if engine.dialect.name == "sqlite":
        return
    dialect = engine.dialect
    dialect.statement_compiler = _literal_limits(dialect.statement_compiler)
    wrote: weakref.WeakSet = weakref.WeakSet()  # DBAPI connections whose transaction wrote
    rollback = dialect.do_rollback

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if not _READS.match(statement):
            wrote.add(conn.connection.dbapi_connection)

    def do_rollback(dbapi_connection) -> None:  # (the pool's proxy of the DBAPI connection)
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        if raw in wrote or not idle_in_transaction(raw):
            wrote.discard(raw)
            rollback(dbapi_connection)
        else:
            raw.commit()  # it only read: the same, and psycopg keeps its prepared statements
    dialect.do_rollback = do_rollback

    def do_commit(dbapi_connection, _commit=dialect.do_commit) -> None:
        wrote.discard(getattr(dbapi_connection, "dbapi_connection", dbapi_connection))
        _commit(dbapi_connection)
    dialect.do_commit = do_commit

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:
        if not may_be_gone(dbapi_connection, record.info.get(IDLE_SINCE)):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError(str(error)) from error  # the pool opens a new one
            raise


def day_in_text(name: str = "today", value: date | None = None) -> BindParameter:
    """A date bound as `name` but written into the SQL text (literal_execute), one statement a
    day: PostgreSQL's generic plan for `start_date >= $1` guesses a third of the rows and it
    planned such statements again on every execution (the catalogue's roll-over check 50
    against 15 µs of server time; the home's upcoming editions at 20,000 offerings 1,075
    against 650 µs). Harmless on SQLite."""
    return bindparam(name, value, type_=Date, literal_execute=True)


def _literal_limits(compiler: type) -> type:
    """The dialect's compiler, rendering LIMIT and OFFSET values into the SQL text."""
    class LiteralLimitCompiler(compiler):
        def limit_clause(self, select, **kw):
            return super().limit_clause(select, **{**kw, "literal_execute": True})

        def render_literal_value(self, value, type_):
            # a named bindparam("limit") has no type: its value is still an int
            if type_._isnull and type(value) is int:
                return str(value)
            return super().render_literal_value(value, type_)
    return LiteralLimitCompiler


def may_be_gone(dbapi_connection, idle_since: float | None) -> bool:
    """True when a connection leaving the pool should be pinged: new to this check, idle for
    long, or with something (an error, end of file) waiting on its socket."""
    if idle_since is None or time.monotonic() - idle_since > IDLE_PING_S:
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (AttributeError, OSError, ValueError):
        return True
    return bool(readable)


def idle_in_transaction(dbapi_connection) -> bool:
    """True when the connection is in a transaction that has not failed (psycopg's INTRANS)."""
    from psycopg.pq import TransactionStatus
    info = getattr(dbapi_connection, "info", None)
    return getattr(info, "transaction_status", None) == TransactionStatus.INTRANS
