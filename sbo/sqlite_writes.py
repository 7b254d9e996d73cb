"""SQLite: writers queue for a lock instead of sleeping in SQLite's busy handler.

SQLite lets one write transaction run at a time. A second writer gets SQLITE_BUSY and, with
busy_timeout, sleeps and retries on a back-off schedule (1, 2, 5, 10, … 100 ms): it goes on
sleeping long after the first writer has committed, which made the slowest enrolments of a
rush take several hundred milliseconds. Here a connection takes an exclusive lock on a file
next to the database before its first writing statement and lets go after the commit or
rollback: threads of one process wait on a threading.Lock (woken the moment it is free), and
processes on an flock() of that file. SQLite's own locking stays underneath as before, and
busy_timeout still covers writers that do not use this class (the sqlite3 shell, say).

Used as the sqlite3 connection factory (see config.py); reads never touch the lock.

Checkpoints: SQLite copies the WAL into the database (and syncs both files, 10-25 ms here)
inside the COMMIT that takes the WAL past 1000 pages, after letting go of its own write lock
but while this class still held the lock file, so every other writer waited for the sync too.
These connections switch SQLite's automatic checkpoint off and run a PASSIVE one themselves
after every CHECKPOINT_EVERY write transactions of the process, once the lock is let go: the
committing request still pays for it, the others no longer queue behind it. (Other programs'
connections keep SQLite's own automatic checkpoint.)
"""
from __future__ import annotations

import errno
import fcntl
import itertools
import os
import re
import sqlite3
import threading
import time

WRITE_TIMEOUT_S = 10.0  # as busy_timeout: then "database is locked", as SQLite would say
POLL_FIRST_S, POLL_MAX_S = 0.00005, 0.0005  # a waiting process looks again after 50 us, ... 0.5 ms
_WRITES = re.compile(r"\s*(?:--[^\n]*\n\s*)*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b",
                     re.IGNORECASE)
CHECKPOINT_EVERY = 32  # write transactions of a process between its checkpoints (~500 pages)
_write_commits = itertools.count(1)  # this process's write transactions (next() is atomic)
_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def lock_path(database: str) -> str | None:
    """The lock file of a database file, or None for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file::memory:") \
            or "mode=memory" in database:
        return None
    path = database.removeprefix("file:").split("?", 1)[0]
    return os.path.abspath(path) + "-writelock"


def _process_lock(path: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(path, threading.Lock())


class WriteLockedConnection(sqlite3.Connection):
    """A sqlite3 connection that holds the database's write lock from its first write
    statement until the transaction ends."""

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self._lock_path = lock_path(os.fspath(database))
        self._lock_fd: int | None = None
        self._holding = False
        if self._lock_path is not None:
            super().execute("PRAGMA wal_autocheckpoint=0").close()  # see _checkpoint

    def cursor(self, factory=None):
        return super().cursor(factory or WriteLockedCursor)

    def execute(self, sql, parameters=(), /):
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, parameters, /):
        return self.cursor().executemany(sql, parameters)

    def commit(self):
        wrote = self._holding
        try:
            super().commit()
        finally:
            self._release()
        if wrote and next(_write_commits) % CHECKPOINT_EVERY == 0:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the WAL into the database without holding up the next writer (PASSIVE: it
        waits for no reader or writer, and copies what it can)."""
        try:
            super().execute("PRAGMA wal_checkpoint(PASSIVE)").close()
        except sqlite3.Error:
            pass  # e.g. another connection is checkpointing right now: the next one will do

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._release()

    def close(self):
        try:
            super().close()
        finally:
            self._release()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def __del__(self):
        self._release()  # a connection dropped in a transaction must not keep others waiting

    # -- the lock ------------------------------------------------------------------------------

    def _before(self, sql: str) -> None:
        if self._lock_path is None or self._holding or not _WRITES.match(sql):
            return
        deadline = time.monotonic() + WRITE_TIMEOUT_S
        thread_lock = _process_lock(self._lock_path)
        if not thread_lock.acquire(timeout=WRITE_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self._lock_fd is None:
                self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._flock(deadline)
        except BaseException:
            thread_lock.release()
            raise
        self._holding = True

    def _flock(self, deadline: float) -> None:
        """Only one thread per process gets here at a time, so a short poll is cheap. The lock
        is idle from the moment its holder lets go until the waiter looks again, so the
        pauses stay short (at most POLL_MAX_S): with 0.2 ms doubling to 2 ms a waiter came
        back on average about a millisecond late, on transactions of a few milliseconds."""
        pause = POLL_FIRST_S
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() > deadline:
                raise sqlite3.OperationalError("database is locked")
            time.sleep(pause)
            pause = min(pause * 2, POLL_MAX_S)

    def _after(self) -> None:
        """A write outside a transaction (autocommit, or one that failed to start) is over."""
        if self._holding and not self.in_transaction:
            self._release()

    def _release(self) -> None:
        if not getattr(self, "_holding", False):
            return
        self._holding = False
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        finally:
            _process_lock(self._lock_path).release()


class WriteLockedCursor(sqlite3.Cursor):
    def execute(self, sql, parameters=(), /):
        self.connection._before(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            self.connection._after()

    def executemany(self, sql, parameters, /):
        self.connection._before(sql)
        try:
            return super().executemany(sql, parameters)
        finally:
            self.connection._after()
