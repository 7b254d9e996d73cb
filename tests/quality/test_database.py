"""The database away: a Dutch 503 without a stack trace, and the site recovers by itself.
The backup command: a consistent copy while writes go on."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, func, select, text

from sbo import create_app
from sbo.extensions import db
from sbo.mail import OutboxMessage, queue_mail
from tests.helpers import PG_URL

from .pages import discover_pages
from .testapp import build_site


def add_count_route(app) -> None:
    @app.get("/_test/telling", endpoint="_test_count")
    def count():
        return str(db.session.scalar(select(func.count()).select_from(OutboxMessage)))


def assert_dutch_503(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in html and 'lang="nl"' in html
    assert response.headers["Retry-After"] == "30"
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite3", "127.0.0.1:9"):
        assert leak not in html


def test_unreachable_database_gives_a_dutch_503(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql://sbo@127.0.0.1:9/sbo",
                      "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x" * 32,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                                    "connect_args": {"connect_timeout": 2}}})
    add_count_route(app)
    client = app.test_client()
    assert_dutch_503(client.get("/_test/telling"))
    for url in ("/", "/bestaat-niet", "/beheer/"):  # with or without the database: never a 500
        status = client.get(url).status_code
        assert status < 500 or status == 503, f"{url}: {status}"


def test_site_recovers_when_the_sqlite_file_comes_back(make_app, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'site.sqlite'}", TESTING=False)
    add_count_route(app)
    client = app.test_client()
    assert client.get("/_test/telling").get_data(as_text=True) == "0"

    with app.app_context():
        db.engine.dispose()  # close pooled connections, as a restart of the database would
    folder.rename(tmp_path / "weg")
    assert_dutch_503(client.get("/_test/telling"))
    (tmp_path / "weg").rename(folder)
    response = client.get("/_test/telling")
    assert response.status_code == 200 and response.get_data(as_text=True) == "0"


def test_every_page_answers_503_not_500_while_the_database_is_gone(make_app, tmp_path):
    site = build_site(make_app, TESTING=False)
    add_count_route(site.app)
    pages = discover_pages(site.app, site.client, site.staff_client, site.samples)
    assert "/_test/telling" in [url for url, _ in pages]
    with site.app.app_context():
        db.engine.dispose()
        engine_url, pool = db.engine.url, db.engine.pool
        dbapi = db.engine.dialect.loaded_dbapi

    def refuse(*args, **kwargs):
        raise dbapi.OperationalError("connection refused")

    original = pool._creator
    pool._creator = refuse  # every new connection fails, as when the server is down
    try:
        assert_dutch_503(site.client.get("/_test/telling"))
        for url, who in pages:
            status = who.get(url).status_code
            assert status < 500 or status == 503, f"{url} ({engine_url.get_backend_name()}): {status}"
        assert site.client.get("/_test/fout").status_code == 500  # (a real bug stays a 500)
    finally:
        pool._creator = original
    site.log_in_again()  # a staff page may have sent the administrator to the login page
    for url, who in pages:
        assert who.get(url).status_code == 200, url



def end_other_connections() -> None:
    """Every other connection to the test database ended by the server, as a restart ends them:
    each backend has exited (and closed its socket) when this returns (PostgreSQL 14+ waits, up
    to 5 s, with pg_terminate_backend's timeout)."""
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        ended = conn.execute(text("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalars().all()
    admin.dispose()
    assert all(ended)

@pytest.mark.skipif(not PG_URL, reason="needs DATABASE_URL=postgresql://…")
def test_postgres_connection_killed_is_replaced_before_use(make_app):
    app = make_app(TESTING=False)
    add_count_route(app)
    client = app.test_client()
    assert client.get("/_test/telling").status_code == 200
    end_other_connections()  # what a database restart does to the pooled connections
    assert client.get("/_test/telling").status_code == 200



@pytest.mark.skipif(not PG_URL, reason="needs DATABASE_URL=postgresql://…")
def test_postgres_pings_only_a_connection_that_may_have_gone(make_app, monkeypatch):
    """sbo/postgres.py: no round trip for a connection that was in use a moment ago; a ping
    when the server has closed it (and a new connection instead), or after a long idle."""
    from sbo import postgres
    app = make_app(TESTING=False)
    add_count_route(app)
    client = app.test_client()
    with app.app_context():
        dialect = db.engine.dialect
    pings = []
    original = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(1) or original(conn))
    assert client.get("/_test/telling").status_code == 200
    first = len(pings)  # a connection new to the pool is pinged once
    for _ in range(5):
        assert client.get("/_test/telling").status_code == 200
    assert len(pings) == first
    end_other_connections()  # the server closes the pooled connections
    assert client.get("/_test/telling").status_code == 200
    assert len(pings) > first
    monkeypatch.setattr(postgres, "IDLE_PING_S", -1.0)  # every connection counts as idle for long
    before = len(pings)
    assert client.get("/_test/telling").status_code == 200
    assert len(pings) == before + 1


@pytest.mark.skipif(not PG_URL, reason="needs DATABASE_URL=postgresql://…")
def test_postgres_ends_a_reading_transaction_with_commit_and_rolls_back_the_rest(make_app):
    """sbo/postgres.py: a request that only read ends its transaction with COMMIT, so psycopg
    keeps its prepared statements (PostgreSQL plans them once per connection, not per request);
    what was written without a commit, or a transaction in error, is still rolled back."""
    app = make_app()

    def stored() -> int:
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))

    with app.app_context():
        for _ in range(6):  # psycopg prepares a statement on its fifth use on a connection
            stored()
            db.session.close()
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
        assert any("outbox_message" in statement for statement in prepared)
        db.session.close()

        queue_mail("deelnemer@example.nl", "Bewaard", "Tekst")
        db.session.commit()
        before = stored()
        queue_mail("deelnemer@example.nl", "Niet bewaard", "Tekst")
        db.session.flush()
        db.session.close()  # flushed, never committed: rolled back
        assert stored() == before
        db.session.close()
        db.session.execute(text("DELETE FROM outbox_message"))
        db.session.close()  # a Core write, never committed: rolled back
        assert stored() == before == 1
        db.session.close()
        with pytest.raises(Exception):
            db.session.execute(text("SELECT 1 / 0"))
        db.session.close()  # the transaction in error is rolled back; the connection lives on
        assert stored() == before

@pytest.mark.skipif(not PG_URL, reason="needs DATABASE_URL=postgresql://…")
def test_postgres_gets_limit_and_offset_in_the_statement_text(make_app):
    """sbo/postgres.py: LIMIT and OFFSET are written into the SQL (PostgreSQL plans `LIMIT 25`
    once; `LIMIT $1` it planned again on every execution), and a statement compiled once
    still pages correctly with other values, named or not."""
    from sqlalchemy import bindparam, event
    app = make_app()
    sent: list[str] = []
    with app.app_context():
        for n in range(5):
            queue_mail(f"deelnemer{n}@example.nl", f"Bericht {n}", "Tekst")
        db.session.commit()
        ids = db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).all()
        event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
        pages = [db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)
                                    .limit(2).offset(offset)).all() for offset in (0, 2, 4)]
        named = select(OutboxMessage.id).order_by(OutboxMessage.id).limit(bindparam("limit")).offset(
            bindparam("offset"))
        second = db.session.scalars(named, {"limit": 3, "offset": 1}).all()
        db.session.close()
    assert pages == [ids[0:2], ids[2:4], ids[4:5]]
    assert second == ids[1:4]
    assert [sql.split("LIMIT")[1].strip() for sql in sent] == [
        "2 OFFSET 0", "2 OFFSET 2", "2 OFFSET 4", "3 OFFSET 1"]


def test_backup_copies_the_database_while_writes_go_on(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    with app.app_context():
        for i in range(300):
            queue_mail(f"deelnemer{i}@example.nl", "Bevestiging", "Tekst " * 200)
        db.session.commit()
    stop, written = threading.Event(), []

    def writer():
        with app.app_context():
            while not stop.is_set():
                queue_mail("nieuw@example.nl", "Tijdens de backup", "x")
                db.session.commit()
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:  # the writer is really running
            threading.Event().wait(0.01)
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "kopie.sqlite")])
    finally:
        stop.set()
        thread.join(10)
    assert result.exit_code == 0, result.output
    assert "kopie.sqlite" in result.output
    assert (tmp_path / "kopie.sqlite").stat().st_mode & 0o077 == 0  # owner only

    copy = sqlite3.connect(tmp_path / "kopie.sqlite")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = copy.execute("SELECT count(*) FROM outbox_message").fetchone()[0]
    finally:
        copy.close()
    assert 300 + 5 <= copied <= 300 + len(written)


def test_backup_refuses_to_overwrite(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    (tmp_path / "bestaat.sqlite").write_text("oud")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bestaat.sqlite")])
    assert result.exit_code != 0 and "already exists" in result.output
    assert (tmp_path / "bestaat.sqlite").read_text() == "oud"


@pytest.mark.skipif(not PG_URL, reason="needs DATABASE_URL=postgresql://…")
def test_backup_of_postgres_runs_pg_dump_or_explains(make_app, tmp_path, monkeypatch):
    import shutil
    app = make_app()
    with app.app_context():
        queue_mail("a@example.nl", "Bewaard", "x")
        db.session.commit()
    target = tmp_path / "sbo.dump"
    if shutil.which("pg_dump"):
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(b"PGDMP")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "ander.dump")])
    assert result.exit_code != 0 and "pg_dump --format=custom" in result.output
    assert not (tmp_path / "ander.dump").exists()
