"""Shared fixtures: a fresh app and database per test, a client, a CLI runner, data set up and
committed (`setup_data`), an app context for tests that make no requests (`app_ctx`), the queued mail
(`outbox`), an SMTP server, a SQL statement counter and a CSRF-aware form poster.

Set DATABASE_URL=postgresql://… to run the suite on PostgreSQL: the schema is dropped and
created once per session, and every table is emptied after each test. Under pytest-xdist
(`-n 2`) each worker has a database of its own (tests/helpers.py).
"""
from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import ProgrammingError

from sbo import create_app
from sbo.extensions import db
from sbo.mail import OutboxMessage
from tests.factories import make_staff
from tests.helpers import DATABASE_URL, PG_URL, csrf_from, pin_run_date, share_url_builders
from tests.staff.helpers import login

pin_run_date()  # one calendar date for the whole run
share_url_builders()  # each test makes an app of its own: its URL rules' code is the same


def pytest_collection_modifyitems(items):
    """Slow tests first: with xdist they then start on both workers at once, instead of one
    that came last in file order keeping one worker busy while the other has finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def _pg_schema():
    """PostgreSQL: start each session from an empty public schema."""
    if not PG_URL:
        yield None
        return
    server = create_engine(DATABASE_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        name = PG_URL.rpartition("/")[2].partition("?")[0]
        if PG_URL != DATABASE_URL and not conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))  # a pytest-xdist worker's own database
        # a test database need not wait for its commits to reach the disk (each test commits
        # many times; on a busy machine the fsyncs were most of the suite's time)
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    server.dispose()
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield PG_URL


@pytest.fixture(scope="session")
def _sqlite_schema(tmp_path_factory):
    """SQLite: the empty schema made once per session, copied for each test (making the 47
    tables, indexes and triggers every time cost ~30 ms a test)."""
    folder = tmp_path_factory.mktemp("schema")
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "INSTANCE_PATH": str(folder),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'schema.sqlite'}"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()  # the last connection checkpoints the WAL into the file
    return folder / "schema.sqlite"


@pytest.fixture
def make_app(tmp_path, _pg_schema, _sqlite_schema):
    """Build an app with config overrides; the database is created empty and cleaned up after."""
    apps = []

    def factory(**overrides):
        database = tmp_path / "test.sqlite"
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": None,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": _pg_schema or f"sqlite:///{database}",
            "RATELIMIT_ENABLED": False,
            "SITE_URL": "http://localhost",
        }
        config.update(overrides)
        (tmp_path / "instance").mkdir(exist_ok=True)
        if config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{database}" and not database.exists():
            shutil.copyfile(_sqlite_schema, database)  # a second app of the same test shares it
        app = create_app(config)
        with app.app_context():
            db.create_all()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
                _empty_postgres_tables()
            db.engine.dispose()


def _empty_postgres_tables():
    """Every table emptied and every sequence restarted, in one round trip. DELETE with the
    foreign-key triggers off (session_replication_role, as superuser: the test server's
    postgres) rather than TRUNCATE, which makes new files for every table and index and
    fsyncs them: ~35 ms against 1.5–2 s a test on a busy 2-core machine."""
    tables = db.metadata.sorted_tables
    try:
        with db.engine.begin() as conn:
            sequences = conn.scalars(text("SELECT sequencename FROM pg_sequences "
                                          "WHERE schemaname = current_schema()")).all()
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica;"
                                 + "".join(f'DELETE FROM "{table.name}";' for table in tables)
                                 + "".join(f'ALTER SEQUENCE "{name}" RESTART;' for name in sequences))
        return
    except ProgrammingError:  # not a superuser: the slow way
        pass
    names = ", ".join(f'"{table.name}"' for table in tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def setup_data(app):
    """with setup_data(): edition = make_edition(make_offering()) — builds data with the factories in
    an app context of its own and commits it at the end of the block (nothing on an error).
    What was built stays readable after the block (its loaded attributes: .id, .slug, the
    relationships it was built with), so the test then makes its requests outside any app
    context, as a browser would."""
    @contextmanager
    def setting_up():
        with app.app_context():
            session = db.session()
            session.expire_on_commit = False
            yield session
            session.commit()
    return setting_up


@pytest.fixture
def app_ctx(app):
    """The whole test runs in an app context: for tests of services, queries and models that
    make no requests (a test that makes requests sets up its data with `setup_data`)."""
    with app.app_context():
        yield app


@pytest.fixture
def outbox(app):
    """outbox(to=None) → the mail queued so far (OutboxMessage rows, oldest first, detached),
    only the mail to `to` when given. Reads in an app context of its own, so it sees what has
    been committed, also when called inside a test's app context."""
    def read(to: str | None = None) -> list[OutboxMessage]:
        with app.app_context():
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if to:
                query = query.where(OutboxMessage.to_addr == to)
            messages = db.session.scalars(query).all()
            db.session.expunge_all()
            return messages
    return read


@pytest.fixture
def post_form():
    """post_form(client, url, data, page=None): GET `page` (default `url`), take its CSRF token,
    POST `data` with it, like a browser submitting the form."""
    def post(client, url, data, page=None, **kwargs):
        html = client.get(page or url).get_data(as_text=True)
        payload = {"csrf_token": csrf_from(html), **data}
        return client.post(url, data=payload, **kwargs)
    return post


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: client.get(...); counter.count"""
    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)
    return counting


class MailSink:
    """Collects what a real SMTP server (aiosmtpd) receives."""
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default
        with self.lock:
            self.messages.append(message_from_bytes(envelope.original_content, policy=default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtpd():
    """A real SMTP server on loopback; .port, .messages (email.message.EmailMessage), .stop()/.start()."""
    from aiosmtpd.controller import Controller
    import socket
    sink = MailSink()
    with socket.socket() as probe:  # aiosmtpd cannot start on port 0 (its ready-check connects to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    controller.messages = sink.messages
    controller.port = port
    yield controller
    try:
        controller.stop()
    except AssertionError:  # already stopped by the test
        pass


@pytest.fixture
def staff_user(app):
    """staff_user("editor") → (id, email) of a new committed account."""
    def make(role: str = "editor", **overrides):
        with app.app_context():
            user = make_staff(role, **overrides)
            db.session.commit()
            return user.id, user.email
    return make


@pytest.fixture
def logged_in(app, staff_user):
    """logged_in("admin") → (client, user_id): a fresh client logged in with that role."""
    def make(role: str = "editor"):
        client = app.test_client()
        user_id, email = staff_user(role)
        response = login(client, email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client, user_id
    return make
