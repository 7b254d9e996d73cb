"""SQLite writers queue on a lock file (sbo/sqlite_writes.py): who holds it, and when it is let go."""
from __future__ import annotations

import fcntl
import os
import threading

import pytest
from sqlalchemy import func, select, text

from sbo.catalogue.models import Theme
from sbo.extensions import db
from sbo.sqlite_writes import WriteLockedConnection, lock_path
from tests.factories import make_theme

pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite only")


def lock_is_free(path: str) -> bool:
    """Whether another open file (as another process would have) can take the lock now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing also lets go of a lock taken here
    return True


@pytest.fixture
def database(app):
    with app.app_context():
        yield lock_path(db.engine.url.database)


def test_the_app_uses_the_queueing_connection(app, database):
    with app.app_context():
        assert isinstance(db.session.connection().connection.driver_connection, WriteLockedConnection)
    assert database.endswith("test.sqlite-writelock")


def test_a_write_transaction_holds_the_lock_until_commit(app_ctx, database):
    db.session.scalar(select(func.count()).select_from(Theme))
    assert lock_is_free(database), "a read takes no lock"
    make_theme(name="Ondermijning")
    assert not lock_is_free(database)
    db.session.commit()
    assert lock_is_free(database)
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


def test_a_rollback_lets_go_and_stores_nothing(app_ctx, database):
    make_theme(name="Radicalisering")
    assert not lock_is_free(database)
    db.session.rollback()
    assert lock_is_free(database)
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0


def test_a_failed_statement_outside_a_transaction_lets_go(app, database):
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        with pytest.raises(Exception):
            raw.execute("CREATE TABLE theme (id INTEGER)")  # exists already
        assert lock_is_free(database)


def test_a_second_writer_waits_and_then_writes(app, database):
    """Thread B's write waits while A's transaction is open and goes through right after A commits."""
    order: list[str] = []
    b_started = threading.Event()

    def writer_b():
        with app.app_context():
            b_started.set()
            db.session.execute(text("INSERT INTO theme (slug, name, description) "
                                    "VALUES ('b', 'B', '')"))
            order.append("b wrote")
            db.session.commit()

    with app.app_context():
        make_theme(name="A", slug="a")
        thread = threading.Thread(target=writer_b)
        thread.start()
        b_started.wait(5)
        thread.join(0.3)
        assert thread.is_alive(), "B must wait for A's transaction"
        order.append("a commits")
        db.session.commit()
        thread.join(5)
        assert not thread.is_alive()
        assert order == ["a commits", "b wrote"]
        assert sorted(db.session.scalars(select(Theme.slug))) == ["a", "b"]
        assert lock_is_free(database)


def test_in_memory_databases_have_no_lock_file():
    assert lock_path(":memory:") is None
    assert lock_path("file::memory:?cache=shared") is None
    assert lock_path("/srv/sbo/instance/sbo.sqlite") == "/srv/sbo/instance/sbo.sqlite-writelock"


def test_checkpoints_run_after_the_lock_is_let_go(tmp_path, monkeypatch):
    """SQLite's automatic checkpoint (inside COMMIT, so under the lock) is off; every
    CHECKPOINT_EVERY-th write transaction checkpoints once the lock is free."""
    import itertools
    import sqlite3

    from sbo import sqlite_writes
    path = str(tmp_path / "wal.sqlite")
    conn = sqlite3.connect(path, factory=WriteLockedConnection)
    conn.execute("PRAGMA journal_mode=WAL")
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    conn.execute("CREATE TABLE t (v)")
    conn.commit()
    monkeypatch.setattr(sqlite_writes, "CHECKPOINT_EVERY", 4)
    monkeypatch.setattr(sqlite_writes, "_write_commits", itertools.count(1))
    lock_free_at_checkpoint = []
    checkpoint = WriteLockedConnection._checkpoint

    def watched(self):
        lock_free_at_checkpoint.append(lock_is_free(lock_path(path)))
        checkpoint(self)
    monkeypatch.setattr(WriteLockedConnection, "_checkpoint", watched)
    for i in range(3):
        conn.execute("INSERT INTO t VALUES (?)", (i,))
        conn.commit()
        conn.execute("SELECT count(*) FROM t").fetchone()
        conn.commit()  # a commit after a read only is no write transaction
    assert lock_free_at_checkpoint == []
    conn.execute("INSERT INTO t VALUES (3)")
    conn.commit()
    assert lock_free_at_checkpoint == [True]
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM t").fetchone() == (4,)
    other.close()
    conn.close()
