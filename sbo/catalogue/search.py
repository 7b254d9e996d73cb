"""Full-text search over offerings, with the database's own engine.

Both databases index `offering.search_title` and `offering.search_body`: copies of the text that
are lower-cased and stripped of diacritics in Python (`normalise`), refreshed by mapper events
whenever an Offering is flushed.

- SQLite: an FTS5 table `offering_fts(title, body)` (rowid = offering.id), kept in step by
  triggers on `offering`.
- PostgreSQL: a GIN expression index over a tsvector ('simple' config, title weight A, body
  weight B); no extension needed because the text is already normalised.

`install_search(connection)` holds the DDL that create_all cannot express; it runs after the
`offering` table is created and must also be called from the migration that creates it.
`matches(q)` returns a subquery (id, title_hit, score) to join; `reindex_all()` rebuilds.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Float, Integer, event, select, text
from sqlalchemy.engine import Connection

MAX_QUERY = 200  # characters of the query that are looked at
MAX_TERMS = 8
_TERM = re.compile(r"[^\W_]+")

PG_TITLE = "to_tsvector('simple'::regconfig, search_title)"
PG_VECTOR = (f"(setweight({PG_TITLE}, 'A') || "
             "setweight(to_tsvector('simple'::regconfig, search_body), 'B'))")

SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS offering_fts USING fts5(
           title, body, tokenize = "unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER IF NOT EXISTS offering_fts_insert AFTER INSERT ON offering BEGIN
           INSERT INTO offering_fts(rowid, title, body) VALUES (new.id, new.search_title, new.search_body);
       END""",
    """CREATE TRIGGER IF NOT EXISTS offering_fts_update AFTER UPDATE OF search_title, search_body ON offering BEGIN
           DELETE FROM offering_fts WHERE rowid = old.id;
           INSERT INTO offering_fts(rowid, title, body) VALUES (new.id, new.search_title, new.search_body);
       END""",
    """CREATE TRIGGER IF NOT EXISTS offering_fts_delete AFTER DELETE ON offering BEGIN
           DELETE FROM offering_fts WHERE rowid = old.id;
       END""",
    "DELETE FROM offering_fts",
    "INSERT INTO offering_fts(rowid, title, body) SELECT id, search_title, search_body FROM offering",
]
PG_DDL = [f"CREATE INDEX IF NOT EXISTS ix_offering_search ON offering USING gin ({PG_VECTOR})"]


def is_search_object(name: str | None) -> bool:
    """For Alembic's include_object/include_name: the FTS5 table (and its shadow tables) and the
    GIN index are made by install_search, not by the models, so autogenerate must skip them."""
    return bool(name) and (name == "ix_offering_search" or name.startswith("offering_fts"))


def normalise(value: str | None) -> str:
    """'Coördinator Evenementen' -> 'coordinator evenementen' (NFKD, combining marks dropped)."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value.replace("\x00", " "))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def terms(q: str | None) -> list[str]:
    """The words of a query, normalised; everything else (quotes, *, :, brackets) is dropped."""
    return _TERM.findall(normalise((q or "")[:MAX_QUERY]))[:MAX_TERMS]


def offering_texts(offering) -> tuple[str, str]:
    body = "\n".join(filter(None, (
        offering.teaser, offering.description, offering.learning_outcomes, offering.audience,
        offering.programme, offering.speakers, offering.accreditation)))
    return normalise(offering.title), normalise(body)


def _refresh(_mapper, _connection, offering) -> None:
    offering.search_title, offering.search_body = offering_texts(offering)


def install_search(connection: Connection) -> None:
    """Create the full-text index for `offering` (idempotent) and fill it from existing rows."""
    name = connection.dialect.name
    statements = SQLITE_DDL if name == "sqlite" else PG_DDL if name == "postgresql" else []
    for statement in statements:
        connection.exec_driver_sql(statement)


def _after_create(_table, connection: Connection, **_kw) -> None:
    install_search(connection)


def register(offering_cls) -> None:
    event.listen(offering_cls, "before_insert", _refresh)
    event.listen(offering_cls, "before_update", _refresh)
    event.listen(offering_cls.__table__, "after_create", _after_create)


def matches(q: str | None, dialect: str):
    """A subquery of the offerings matching every word of `q` (as a prefix), with
    `title_hit` (1 when all words are in the title) and `score` (higher is better);
    None when the query has no words."""
    words = terms(q)
    if not words:
        return None
    if dialect == "sqlite":
        sql = text(
            "SELECT rowid AS id, "
            "(rowid IN (SELECT rowid FROM offering_fts WHERE offering_fts MATCH :title_q)) AS title_hit, "
            "-bm25(offering_fts, 10.0, 1.0) AS score "
            "FROM offering_fts WHERE offering_fts MATCH :q"
        ).bindparams(
            q=" ".join(f'"{w}"*' for w in words),
            title_q=" AND ".join(f'title : "{w}"*' for w in words),
        )
    else:
        sql = text(
            f"SELECT id, CASE WHEN {PG_TITLE} @@ query THEN 1 ELSE 0 END AS title_hit, "
            f"ts_rank({PG_VECTOR}, query) AS score "
            f"FROM offering, to_tsquery('simple'::regconfig, :q) AS query WHERE {PG_VECTOR} @@ query"
        ).bindparams(q=" & ".join(f"{w}:*" for w in words))
    return sql.columns(id=Integer, title_hit=Integer, score=Float).subquery("search")


def reindex_all(batch: int = 500) -> int:
    """Recompute the normalised text of every offering and rebuild the index. Returns the count."""
    from ..extensions import db
    from .models import Offering

    count, last_id = 0, 0
    while True:
        offerings = db.session.scalars(
            select(Offering).where(Offering.id > last_id).order_by(Offering.id).limit(batch)).all()
        if not offerings:
            break
        for offering in offerings:
            offering.search_title, offering.search_body = offering_texts(offering)
        db.session.flush()
        count += len(offerings)
        last_id = offerings[-1].id
    install_search(db.session.connection())
    return count
