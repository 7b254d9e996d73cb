"""Full-text search over offerings, with the database's own engine and a Dutch stemmer.

Both databases index `offering.search_title` and `offering.search_body`: copies of the text that
are lower-cased and stripped of diacritics in Python (`normalise`). The body also holds the names
of the offering's themes and the places of its upcoming editions, so "ondermijning rotterdam"
finds the offerings in the theme Ondermijning with an edition in Rotterdam. A session hook
(`_before_flush`) refreshes both columns whenever an offering, its themes, a theme's name or an
edition's date, place or cancellation changes; `flask reindex-search` rebuilds everything (run it
daily so that places of past editions drop out).

Words are matched on their Dutch stem (Snowball's Dutch algorithm, the Porter-based one), so
"radicaal" finds "radicalisering" and "signalen" finds "signaal":
- SQLite: an FTS5 table `offering_fts(title, body)` (rowid = offering.id) holding the stems, kept
  in step by triggers on `offering` that call the SQL function `dutch_stems()`, which every
  SQLite connection of the app registers (`snowballstemmer`, algorithm `dutch_porter`).
- PostgreSQL: a GIN expression index over a tsvector with the built-in `dutch` configuration
  (the same Snowball algorithm), title weight A, body weight B; no extension needed.

`install_search(connection)` holds the DDL that create_all cannot express; it runs after the
`offering` table is created and must also be called from the migrations that change it.
`matches(q)` returns a subquery (id, title_hit, score) to join; `reindex_all()` rebuilds.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from datetime import date
from functools import lru_cache

import snowballstemmer
from sqlalchemy import Float, Integer, event, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from .. import clock

MAX_QUERY = 200  # characters of the query that are looked at
MAX_TERMS = 8
_TERM = re.compile(r"[^\W_]+")
STEMMER = "dutch_porter"  # the algorithm of PostgreSQL's 'dutch' configuration
ONLINE_WORD = "online"

PG_CONFIG = "'dutch'::regconfig"
PG_TITLE = f"to_tsvector({PG_CONFIG}, search_title)"
PG_VECTOR = (f"(setweight({PG_TITLE}, 'A') || "
             f"setweight(to_tsvector({PG_CONFIG}, search_body), 'B'))")

SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS offering_fts USING fts5(
           title, body, tokenize = "unicode61 remove_diacritics 2")""",
    "DROP TRIGGER IF EXISTS offering_fts_insert",
    "DROP TRIGGER IF EXISTS offering_fts_update",
    "DROP TRIGGER IF EXISTS offering_fts_delete",
    """CREATE TRIGGER offering_fts_insert AFTER INSERT ON offering BEGIN
           INSERT INTO offering_fts(rowid, title, body)
           VALUES (new.id, dutch_stems(new.search_title), dutch_stems(new.search_body));
       END""",
    """CREATE TRIGGER offering_fts_update AFTER UPDATE OF search_title, search_body ON offering BEGIN
           DELETE FROM offering_fts WHERE rowid = old.id;
           INSERT INTO offering_fts(rowid, title, body)
           VALUES (new.id, dutch_stems(new.search_title), dutch_stems(new.search_body));
       END""",
    """CREATE TRIGGER offering_fts_delete AFTER DELETE ON offering BEGIN
           DELETE FROM offering_fts WHERE rowid = old.id;
       END""",
    "DELETE FROM offering_fts",
    "INSERT INTO offering_fts(rowid, title, body) "
    "SELECT id, dutch_stems(search_title), dutch_stems(search_body) FROM offering",
]
# dropped first: an index over the older 'simple' configuration must not survive an upgrade
PG_DDL = ["DROP INDEX IF EXISTS ix_offering_search",
          f"CREATE INDEX ix_offering_search ON offering USING gin ({PG_VECTOR})"]


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


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer(STEMMER)


def stem(word: str) -> str:
    """The Dutch stem of one normalised word: 'radicalisering' -> 'radicaliser'."""
    return _stemmer().stemWord(word)


def dutch_stems(value: str | None) -> str:
    """Normalised text -> its words as stems, space separated (what SQLite's index holds)."""
    return " ".join(stem(word) for word in _TERM.findall(normalise(value)))


@event.listens_for(Engine, "connect")
def _register_sqlite_function(dbapi_connection, _record) -> None:
    """The FTS5 triggers call dutch_stems(); every SQLite connection of the app knows it."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("dutch_stems", 1, dutch_stems, deterministic=True)


def search_texts(title: str, fields: list[str | None], theme_names: list[str],
                 places: list[str]) -> tuple[str, str]:
    """(search_title, search_body): the title; the body holds the text fields, the theme
    names and the places of the upcoming editions."""
    body = "\n".join(filter(None, [*fields, *theme_names, *places]))
    return normalise(title), normalise(body)


TEXT_COLUMNS = ("teaser", "description", "learning_outcomes", "audience", "accreditation")


def _offering_fields(offering, skip=frozenset()) -> list[str | None]:
    """The text columns, the titles of the programme items and the trainers' names."""
    return [*(getattr(offering, name) for name in TEXT_COLUMNS),
            *(item.title for item in offering.programme_items if item not in skip),
            *(trainer.name for trainer in offering.trainers if trainer not in skip)]


def _upcoming_places(editions, today: date) -> list[str]:
    places = []
    for edition in editions:
        if edition.start_date < today or edition.status == "geannuleerd":
            continue
        place = ONLINE_WORD if edition.online else edition.city
        if place and place not in places:
            places.append(place)
    return places


def offering_texts(offering, skip=frozenset()) -> tuple[str, str]:
    """The search texts of a loaded Offering; editions, programme items and trainers in `skip`
    (being deleted) are left out."""
    editions = [e for e in offering.editions if e not in skip]
    return search_texts(offering.title, _offering_fields(offering, skip),
                        [theme.name for theme in offering.themes],
                        _upcoming_places(editions, clock.today()))


# What an edition contributes to the text: its place, and whether it is upcoming and not cancelled.
_EDITION_FIELDS = ("start_date", "city", "online", "status", "offering")


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _before_flush(session: Session, _context, _instances) -> None:
    """Refresh the search texts of every offering whose own text, themes, theme names or
    edition places change in this flush."""
    from .models import Edition, Offering, ProgrammeItem, Theme, Trainer, offering_theme

    stale: list = []

    def add(offering) -> None:
        if offering is not None and offering not in stale:
            stale.append(offering)

    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Offering):
            add(obj)
        elif isinstance(obj, Edition):
            if obj in session.new or _changed(obj, _EDITION_FIELDS):
                add(obj.offering)
                for old in inspect(obj).attrs.offering.history.deleted or ():
                    add(old)
        elif isinstance(obj, ProgrammeItem):
            add(obj.offering)
        elif isinstance(obj, Trainer) and obj not in session.new and _changed(obj, ("name",)):
            for offering in obj.offerings:
                add(offering)
        elif isinstance(obj, Theme) and obj not in session.new and _changed(obj, ("name",)):
            with session.no_autoflush:
                for offering in session.scalars(
                        select(Offering).join(offering_theme, offering_theme.c.offering_id == Offering.id)
                        .where(offering_theme.c.theme_id == obj.id)):
                    add(offering)
    deleted = frozenset(session.deleted)
    for obj in deleted:
        if isinstance(obj, (Edition, ProgrammeItem)):
            add(obj.offering)
        elif isinstance(obj, Trainer):
            for offering in obj.offerings:
                add(offering)
    with session.no_autoflush:
        for offering in stale:
            if offering in deleted:
                continue
            title, body = offering_texts(offering, skip=deleted)
            if offering.search_title != title:
                offering.search_title = title
            if offering.search_body != body:
                offering.search_body = body


def install_search(connection: Connection) -> None:
    """Create the full-text index for `offering` (idempotent) and fill it from existing rows."""
    name = connection.dialect.name
    statements = SQLITE_DDL if name == "sqlite" else PG_DDL if name == "postgresql" else []
    for statement in statements:
        connection.exec_driver_sql(statement)


def _after_create(_table, connection: Connection, **_kw) -> None:
    install_search(connection)


def register(offering_cls) -> None:
    event.listen(Session, "before_flush", _before_flush)
    event.listen(offering_cls.__table__, "after_create", _after_create)


def matches(q: str | None, dialect: str):
    """A subquery of the offerings matching every word of `q` (its stem, as a prefix), with
    `title_hit` (1 when all words are in the title) and `score` (higher is better);
    None when the query has no words."""
    words = terms(q)
    if not words:
        return None
    if dialect == "sqlite":
        stems = [stem(w) for w in words]
        sql = text(
            "SELECT rowid AS id, "
            "(rowid IN (SELECT rowid FROM offering_fts WHERE offering_fts MATCH :title_q)) AS title_hit, "
            "-bm25(offering_fts, 10.0, 1.0) AS score "
            "FROM offering_fts WHERE offering_fts MATCH :q"
        ).bindparams(
            q=" ".join(f'"{w}"*' for w in stems),
            title_q=" AND ".join(f'title : "{w}"*' for w in stems),
        )
    else:
        sql = text(
            f"SELECT id, CASE WHEN {PG_TITLE} @@ query THEN 1 ELSE 0 END AS title_hit, "
            f"ts_rank({PG_VECTOR}, query) AS score "
            f"FROM offering, to_tsquery({PG_CONFIG}, :q) AS query WHERE {PG_VECTOR} @@ query"
        ).bindparams(q=" & ".join(f"{w}:*" for w in words))
    return sql.columns(id=Integer, title_hit=Integer, score=Float).subquery("search")


def _linked_texts(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    """The programme item titles and trainer names of these offerings, by offering id. Empty
    before the migration that adds those tables (older migrations call reindex too)."""
    from sqlalchemy import column, inspect as inspect_db, table

    texts: dict[int, list[str]] = {}
    if not inspect_db(connection).has_table("programme_item"):
        return texts
    item = table("programme_item", column("offering_id"), column("day"), column("position"), column("title"))
    trainer = table("trainer", column("id"), column("name"))
    link = table("offering_trainer", column("offering_id"), column("trainer_id"))
    for offering_id, value in [
            *connection.execute(select(item.c.offering_id, item.c.title).where(item.c.offering_id.in_(ids))
                                .order_by(item.c.day, item.c.position)),
            *connection.execute(select(link.c.offering_id, trainer.c.name)
                                .join(trainer, trainer.c.id == link.c.trainer_id)
                                .where(link.c.offering_id.in_(ids)).order_by(trainer.c.name))]:
        texts.setdefault(offering_id, []).append(value)
    return texts


def reindex(connection: Connection, batch: int = 500) -> int:
    """Recompute the search texts of every offering with plain SQL (usable from a migration)
    and rebuild the index. Returns the number of offerings."""
    from sqlalchemy import Boolean, Date, column, table

    offering = table("offering", column("id"), column("title"), *(column(name) for name in TEXT_COLUMNS),
                     column("search_title"), column("search_body"))
    theme = table("theme", column("id"), column("name"))
    link = table("offering_theme", column("offering_id"), column("theme_id"))
    edition = table("edition", column("offering_id"), column("start_date", Date), column("city"),
                    column("online", Boolean), column("status"))
    today = clock.today()
    count, last_id = 0, 0
    while True:
        rows = connection.execute(select(offering).where(offering.c.id > last_id)
                                  .order_by(offering.c.id).limit(batch)).mappings().all()
        if not rows:
            break
        ids = [row["id"] for row in rows]
        themes: dict[int, list[str]] = {}
        for offering_id, name in connection.execute(
                select(link.c.offering_id, theme.c.name).join(theme, theme.c.id == link.c.theme_id)
                .where(link.c.offering_id.in_(ids)).order_by(theme.c.name)):
            themes.setdefault(offering_id, []).append(name)
        editions: dict[int, list] = {}
        for row in connection.execute(select(edition).where(edition.c.offering_id.in_(ids))
                                      .order_by(edition.c.start_date)):
            editions.setdefault(row.offering_id, []).append(row)
        linked = _linked_texts(connection, ids)
        for row in rows:
            title, body = search_texts(
                row["title"], [*(row[name] for name in TEXT_COLUMNS), *linked.get(row["id"], [])],
                themes.get(row["id"], []), _upcoming_places(editions.get(row["id"], []), today))
            connection.execute(offering.update().where(offering.c.id == row["id"])
                               .values(search_title=title, search_body=body))
        count += len(rows)
        last_id = ids[-1]
    install_search(connection)
    return count


def reindex_all(batch: int = 500) -> int:
    """Recompute the search text of every offering and rebuild the index. Returns the count."""
    from ..pagecache import mark_content_changed
    from ..extensions import db

    db.session.flush()
    count = reindex(db.session.connection(), batch)
    mark_content_changed(db.session())  # plain SQL: the page cache cannot see it by itself
    return count
