"""Flask extensions, created once and bound in create_app()."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
login = LoginManager()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores what create_all does not manage: the full-text search objects
    (SQLite FTS5 table and its shadow tables, the PostgreSQL GIN expression index) that
    catalogue.search.install_search creates with its own DDL."""
    from .catalogue.search import is_search_object

    return not is_search_object(name)


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    login.init_app(app)
    login.login_view = "staff.login"
    login.login_message = "Log in om deze pagina te bekijken."
    login.login_message_category = "info"
    login.session_protection = "strong"
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True,
                     compare_type=True, include_object=include_in_migrations)
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
