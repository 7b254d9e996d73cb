"""Every schema change is a migration: an empty database upgraded to head matches the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from sbo import create_app
from sbo.extensions import db, include_in_migrations


def _empty_app(tmp_path, pg_url):
    url = pg_url or f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    if pg_url:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    return app


def test_upgrade_from_empty_matches_models(tmp_path, _pg_schema):
    app = _empty_app(tmp_path, _pg_schema)
    try:
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"offering", "edition", "theme", "outbox_message", "staff_user"} <= tables
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={
                    "compare_type": True, "include_object": include_in_migrations})
                diff = compare_metadata(context, db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
    finally:
        if _pg_schema:  # leave the schema as the other tests expect it
            with app.app_context():
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
                db.create_all()
                db.engine.dispose()


def test_cli_upgrade_creates_schema(tmp_path, _pg_schema):
    app = _empty_app(tmp_path, _pg_schema)
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert "offering" in inspect(db.engine).get_table_names()
    finally:
        if _pg_schema:
            with app.app_context():
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
                db.create_all()
                db.engine.dispose()
