"""Every schema change is a migration: an empty database upgraded to head matches the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, select, text

from sbo import clock
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


def _restore_schema(app, pg_url) -> None:
    """PostgreSQL: leave the schema as the other tests expect it."""
    if pg_url:
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            db.create_all()
            db.engine.dispose()


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
        _restore_schema(app, _pg_schema)


def test_cli_upgrade_creates_schema(tmp_path, _pg_schema):
    app = _empty_app(tmp_path, _pg_schema)
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert "offering" in inspect(db.engine).get_table_names()
    finally:
        _restore_schema(app, _pg_schema)


def test_comment_body_hash_migration_fills_existing_comments_and_keeps_the_email_index(tmp_path, _pg_schema):
    from sbo.news.models import body_hash
    app = _empty_app(tmp_path, _pg_schema)
    try:
        with app.app_context():
            upgrade(revision="48bdd698b901")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO article (id, slug, title, lead, body, created_at, updated_at) "
                                  "VALUES (1, 'a', 'A', '', '', '2026-01-01', '2026-01-01')"))
                for n, body in enumerate(["Eerste reactie.", "Tweede reactie.", "Eerste reactie."], 1):
                    conn.execute(text(
                        "INSERT INTO comment (id, article_id, depth, author_name, author_email, body, status, "
                        "is_staff, notify_replies, approval_mailed, reply_mailed, created_at, status_changed_at) "
                        "VALUES (:id, 1, 1, 'Lezer', 'lezer@voorbeeld.nl', :body, 'approved', false, false, "
                        "false, false, '2026-01-01', '2026-01-01')"), {"id": n, "body": body})
            upgrade()
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT body, body_hash FROM comment ORDER BY id")).all()
            assert [digest for _body, digest in rows] == [body_hash(body) for body, _digest in rows]
            assert rows[0].body_hash == rows[2].body_hash != rows[1].body_hash
            indexes = {index["name"] for index in inspect(db.engine).get_indexes("comment")}
            if not _pg_schema:  # SQLite does not report expression indexes through inspect()
                with db.engine.connect() as conn:
                    indexes |= set(conn.execute(text(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comment'")).scalars())
            assert {"ix_comment_author_email_lower", "ix_comment_article_body_hash",
                    "ix_comment_ip_created"} <= indexes
            assert "ix_comment_ip_address" not in indexes
    finally:
        _restore_schema(app, _pg_schema)


def test_news_0001_keeps_every_row_and_makes_sqlite_ids_never_reused(tmp_path, _pg_schema):
    """Issue 12 item 3: the rebuild to AUTOINCREMENT (SQLite) keeps rows, references (no cascade
    fires), indexes and triggers; afterwards a deleted highest id is not handed out again."""
    app = _empty_app(tmp_path, _pg_schema)
    try:
        with app.app_context():
            upgrade(revision="20b53cfbcc40")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO article (id, slug, title, lead, body, created_at, updated_at) "
                                  "VALUES (1, 'a', 'A', '', '', '2026-01-01', '2026-01-01')"))
                conn.execute(text("INSERT INTO theme (id, slug, name, description) VALUES (1, 't', 'T', '')"))
                conn.execute(text("INSERT INTO article_theme (article_id, theme_id) VALUES (1, 1)"))
                for n in (1, 2, 3):
                    conn.execute(text(
                        "INSERT INTO comment (id, article_id, parent_id, depth, author_name, author_email, body, "
                        "status, is_staff, notify_replies, approval_mailed, reply_mailed, created_at, "
                        "status_changed_at) VALUES (:id, 1, :parent, 1, 'Lezer', 'lezer@voorbeeld.nl', :body, "
                        "'pending', false, false, false, false, '2026-01-01', '2026-01-01')"),
                        {"id": n, "parent": 1 if n > 1 else None, "body": f"Reactie {n}"})
                if _pg_schema:  # rows inserted with their ids: move the sequence past them
                    conn.execute(text("SELECT setval(pg_get_serial_sequence('comment', 'id'), 3)"))
            upgrade()
            with db.engine.begin() as conn:
                assert conn.execute(text("SELECT count(*) FROM comment")).scalar() == 3
                assert conn.execute(text("SELECT count(*) FROM article_theme")).scalar() == 1
                assert conn.execute(text("SELECT comments_closed FROM article")).scalar() in (False, 0)
                assert conn.execute(text("SELECT count(*) FROM comment WHERE moderators_notified_at IS NULL")
                                    ).scalar() == 0  # mailed one by one before the digest existed
                if not _pg_schema:
                    sql = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
                    for table in ("article", "comment", "offering", "edition", "staff_user", "outbox_message",
                                  "comment_form_use"):
                        assert "AUTOINCREMENT" in sql[table], table
                    names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
                    assert {"ix_comment_author_email_lower", "ix_comment_thread_roots", "offering_fts_insert",
                            "offering_fts_delete", "ix_comment_moderators_notified_at"} <= names
                    assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
                conn.execute(text("DELETE FROM comment WHERE id = 3"))
                conn.execute(text(
                    "INSERT INTO comment (article_id, depth, author_name, author_email, body, status, is_staff, "
                    "notify_replies, approval_mailed, reply_mailed, created_at, status_changed_at) "
                    "VALUES (1, 1, 'B', 'b@voorbeeld.nl', 'Nieuw', 'pending', false, false, false, false, "
                    "'2026-01-02', '2026-01-02')"))
                new_id = conn.execute(text("SELECT id FROM comment WHERE body = 'Nieuw'")).scalar()
            assert new_id == 4
    finally:
        _restore_schema(app, _pg_schema)


def test_catalogue_migration_reindexes_with_dutch_stems_themes_and_places(tmp_path, _pg_schema):
    from datetime import timedelta

    from tests.catalogue.util import card_titles
    app = _empty_app(tmp_path, _pg_schema)
    try:
        with app.app_context():
            upgrade(revision="20b53cfbcc40")
            soon = (clock.today() + timedelta(days=30)).isoformat()
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO theme (id, slug, name, description) VALUES (1, 'o', 'Ondermijning', '')"))
                conn.execute(text(
                    "INSERT INTO offering (id, slug, title, type, teaser, description, learning_outcomes, audience, "
                    "programme, speakers, duration, price_cents, accreditation, published, search_title, search_body, "
                    "created_at, updated_at) VALUES (1, 'vastgoed', 'Vastgoed en criminaliteit', 'cursus', "
                    "'Over radicalisering.', '', '', '', '', '', '', 0, '', true, 'vastgoed en criminaliteit', "
                    "'over radicalisering.', '2026-01-01', '2026-01-01')"))
                conn.execute(text("INSERT INTO offering_theme (offering_id, theme_id) VALUES (1, 1)"))
                conn.execute(text(
                    "INSERT INTO edition (id, offering_id, start_date, venue, city, online, capacity, seats_taken, "
                    "status, created_at) VALUES (1, 1, :day, '', 'Rotterdam', false, 10, 0, 'open', '2026-01-01')"),
                    {"day": soon})
            upgrade()
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT street_address, postal_code FROM edition")).one() == ("", "")
        client = app.test_client()
        for q in ("radicaal", "ondermijning rotterdam"):
            page = client.get("/aanbod", query_string={"q": q}).get_data(as_text=True)
            assert card_titles(page) == ["Vastgoed en criminaliteit"], q
    finally:
        _restore_schema(app, _pg_schema)


def test_audit_0001_keeps_the_old_detail_text_as_data(tmp_path, _pg_schema):
    """Issue 14 item 5: detail becomes structured data; an old entry keeps its text under
    data["text"] (shown as it was), an empty one gets {}; SQLite keeps AUTOINCREMENT."""
    app = _empty_app(tmp_path, _pg_schema)
    try:
        with app.app_context():
            upgrade(revision="news_0001")
            with db.engine.begin() as conn:
                for n, detail in ((1, "Thema Jeugd"), (2, "")):
                    conn.execute(text("INSERT INTO audit_entry (id, action, object_type, object_id, detail, "
                                      "created_at) VALUES (:id, 'theme.created', 'theme', 1, :detail, "
                                      "'2026-01-01')"), {"id": n, "detail": detail})
            upgrade()
            from sbo.audit import AuditEntry
            entries = {e.id: e for e in db.session.scalars(select(AuditEntry))}
            assert entries[1].data == {"text": "Thema Jeugd"} and entries[1].description == "Thema Jeugd"
            assert entries[2].data == {}
            if not _pg_schema:
                with db.engine.connect() as conn:
                    sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'audit_entry'")).scalar()
                assert "AUTOINCREMENT" in sql
            db.session.remove()
    finally:
        _restore_schema(app, _pg_schema)
