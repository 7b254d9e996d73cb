"""How many comments each moderation tab holds, kept by the database itself.

Counting them (`SELECT status, count(*) FROM comment GROUP BY status`) reads every comment:
at 2,000,000 comments ~400 ms on every staff page that shows the tabs (issue 18). Instead the
table `comment_status_count` holds one row per status, and triggers on `comment` keep it in
step with every insert, delete (also ON DELETE CASCADE from an article, and TRUNCATE on
PostgreSQL) and status change, whatever makes them: services, purges, raw SQL, bulk loads.

`install(connection)` creates the triggers (idempotent) and recounts; it runs after
`create_all` creates the table and in migration scale_0002.
"""
from __future__ import annotations

from sqlalchemy import String, delete, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# an insert makes the status's row when it is missing (after a TRUNCATE of the counts)
_SQLITE_ADD = ("INSERT INTO comment_status_count (status, n) VALUES (new.status, 1) "
               "ON CONFLICT (status) DO UPDATE SET n = n + 1;")
SQLITE_DDL = [
    "DROP TRIGGER IF EXISTS comment_status_count_insert",
    "DROP TRIGGER IF EXISTS comment_status_count_delete",
    "DROP TRIGGER IF EXISTS comment_status_count_update",
    f"""CREATE TRIGGER comment_status_count_insert AFTER INSERT ON comment BEGIN
           {_SQLITE_ADD} END""",
    """CREATE TRIGGER comment_status_count_delete AFTER DELETE ON comment BEGIN
           UPDATE comment_status_count SET n = n - 1 WHERE status = old.status; END""",
    f"""CREATE TRIGGER comment_status_count_update AFTER UPDATE OF status ON comment
           WHEN old.status IS NOT new.status BEGIN
           UPDATE comment_status_count SET n = n - 1 WHERE status = old.status;
           {_SQLITE_ADD} END""",
]
PG_DDL = [
    """CREATE OR REPLACE FUNCTION comment_status_count_change() RETURNS trigger AS $$
       BEGIN
           IF TG_OP IN ('UPDATE', 'DELETE') THEN
               UPDATE comment_status_count SET n = n - 1 WHERE status = OLD.status;
           END IF;
           IF TG_OP = 'TRUNCATE' THEN
               DELETE FROM comment_status_count;
           ELSIF TG_OP IN ('UPDATE', 'INSERT') THEN
               INSERT INTO comment_status_count (status, n) VALUES (NEW.status, 1)
               ON CONFLICT (status) DO UPDATE SET n = comment_status_count.n + 1;
           END IF;
           RETURN NULL;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS comment_status_count_insert_delete ON comment",
    "DROP TRIGGER IF EXISTS comment_status_count_update ON comment",
    "DROP TRIGGER IF EXISTS comment_status_count_truncate ON comment",
    """CREATE TRIGGER comment_status_count_insert_delete AFTER INSERT OR DELETE ON comment
       FOR EACH ROW EXECUTE FUNCTION comment_status_count_change()""",
    """CREATE TRIGGER comment_status_count_update AFTER UPDATE OF status ON comment
       FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
       EXECUTE FUNCTION comment_status_count_change()""",
    """CREATE TRIGGER comment_status_count_truncate AFTER TRUNCATE ON comment
       FOR EACH STATEMENT EXECUTE FUNCTION comment_status_count_change()""",
]


class CommentStatusCount(db.Model):
    """One row per comment status: how many comments have it (kept by triggers, see above)."""
    __tablename__ = "comment_status_count"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def recount(connection: Connection) -> None:
    """Count the comments again (after a bulk load with the triggers switched off)."""
    connection.execute(delete(CommentStatusCount.__table__))
    connection.execute(text("INSERT INTO comment_status_count (status, n) "
                            "SELECT status, count(*) FROM comment GROUP BY status"))


def install(connection: Connection) -> None:
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else PG_DDL
    for statement in statements:
        connection.exec_driver_sql(statement)
    recount(connection)


@event.listens_for(db.metadata, "after_create")
def _after_create(_metadata, connection: Connection, tables=None, **_kw) -> None:
    """create_all: once both tables exist (the triggers name both)."""
    names = {table.name for table in tables} if tables is not None else {"comment", "comment_status_count"}
    if {"comment", "comment_status_count"} & names:
        install(connection)
