"""Flask extensions, created once and bound in create_app()."""
from __future__ import annotations

import os
import sqlite3
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import MetaData, Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class StaffLoginManager(LoginManager):
    """Flask-Login with "strong" session protection for logged-in staff only.

    Flask-Login checks every non-empty session against the browser's identifier, so an
    anonymous visitor's session (a CSRF secret, nothing more) counted as a protection failure
    on each request: the remember cookie was cleared and the session rewritten, a Set-Cookie on
    every response. A session without a user has nothing to protect, so it is left alone; a
    staff session taken to another browser is still dropped."""

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()

    def _load_user_from_remember_cookie(self, cookie):
        """Bind a session restored from the remember cookie to this browser, as login_user
        does, so that strong protection does not drop it on the next request."""
        user = super()._load_user_from_remember_cookie(cookie)
        if user is not None:
            session["_id"] = self._session_identifier_generator()
        return user


class CheapCSRFProtect(CSRFProtect):
    """Flask-WTF's protection, checking the method first: a GET or HEAD has nothing to validate,
    so the exemption look-up (a blueprint and view search on every request) is skipped for it."""

    def init_app(self, app):
        processors = list(app.template_context_processors[None])
        super().init_app(app)
        # Flask-WTF puts csrf_token and csrf_meta_tag both in the Jinja globals and in a context
        # processor returning the same two functions on every render: the globals suffice.
        app.template_context_processors[None] = processors
        app.jinja_env.globals["csrf_token"] = csrf_token

    def protect(self, apply_exemptions=False):
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        super().protect(apply_exemptions=apply_exemptions)


def csrf_token() -> str:
    """Flask-WTF's generate_csrf(), the same token (serializer, salt, secret, the session's key
    and the request's copy in g), signed by a signer made once per secret: Flask-WTF builds its
    serializer and derives its key on every call, ~40 µs on every page with a form or the staff
    logout button (issue 18). A form's own csrf_token field then finds the token in g."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    token = g.get(field)
    if token is None:
        if not isinstance(session.get(field), str):
            session[field] = os.urandom(20).hex()  # what generate_csrf stores: 40 hex digits
        token = csrf_signer(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key).dumps(session[field])
        setattr(g, field, token)
    return token


@lru_cache(maxsize=8)
def csrf_signer(secret):
    """Flask-WTF's token signer for `secret`, with its key derived once (also the page cache's)."""
    from .tokens import quick_signer
    return quick_signer(URLSafeTimedSerializer(secret, salt="wtf-csrf-token"))


def trim_template_context(app: Flask) -> None:
    """Every blueprint brings its own copy of Flask's default context processor (g, request,
    session), run again after the app's own for each of its pages: the app's one suffices."""
    from flask.templating import _default_template_ctx_processor

    for name, processors in app.template_context_processors.items():
        if name is not None:
            processors[:] = [p for p in processors if p is not _default_template_ctx_processor]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Table, "after_parent_attach")
def _sqlite_autoincrement(table, parent) -> None:
    """Every table of the site gets AUTOINCREMENT on SQLite (where it has an integer primary key
    of its own): without it SQLite hands out the highest id again after that row is deleted, and
    an id held in a visitor's cookie or a link could come to mean another person's row. The
    migration news_0001 rebuilds existing SQLite tables the same way; PostgreSQL's sequences
    never reuse an id anyway."""
    if parent is Base.metadata:
        table.dialect_kwargs["sqlite_autoincrement"] = True


db = SQLAlchemy(model_class=Base)
csrf = CheapCSRFProtect()
login = StaffLoginManager()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address)

def commit_keeping_loaded() -> None:
    """Commit without expiring the loaded objects, for a view that afterwards only reads back
    what it has just written (an id for the redirect, say): it saves a reload query per object.
    Only this request's session is affected; the next request gets a fresh one."""
    session_ = db.session()
    session_.expire_on_commit = False
    try:
        session_.commit()
    finally:
        session_.expire_on_commit = True


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    from . import postgres
    with app.app_context():
        for engine in db.engines.values():
            postgres.install(engine)
    csrf.init_app(app)
    # `current_user` in templates is Flask-Login's proxy: the user is loaded when a template
    # looks at it (the staff layout), not for every page (Flask-Login's own context processor
    # loads it eagerly, an anonymous user object included).
    login.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user
    login.login_view = "staff.login"
    login.login_message = "Log in om deze pagina te bekijken."
    login.login_message_category = "info"
    login.session_protection = "strong"
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    from . import ratelimit  # noqa: F401  (registers the sbo+database:// storage)

    limiter.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, let readers and a writer work side by side, and wait
    for a lock instead of failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
