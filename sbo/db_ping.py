"""PostgreSQL: a pooled connection is pinged only when it may have gone away.

SQLAlchemy's pool_pre_ping sends `SELECT 1` every time a connection leaves the pool, a round
trip on every request (on this machine ~0.1 ms of the app's and the server's time, a fifth of
a staff page's five round trips). A connection the server has closed (a restart, an
administrator's pg_terminate_backend, an idle timeout) has its socket readable: the server
sent an error and closed it. So the ping is sent only when the socket of an idle connection
is readable, or the connection has been idle for longer than IDLE_PING_S (a connection lost
without a word, say behind a firewall that dropped it). A failed ping is handled as
pool_pre_ping handles it: the pool discards the connection and opens a new one, so no request
sees the dead connection. SQLite connections are files and are never pinged.
"""
from __future__ import annotations

import select
import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_PING_S = 30.0
IDLE_SINCE = "sbo_idle_since"  # key in the pool record's info: when it was last checked in


def install(engine: Engine) -> None:
    """Ping `engine`'s pooled connections on checkout when they may have gone (see above)."""
    if engine.dialect.name == "sqlite":
        return
    dialect = engine.dialect

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
