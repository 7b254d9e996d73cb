"""The catalogue's facet counts and next dates, kept in step on write (issue 18).

Counting the published offerings per type, theme, month and place, and finding each offering's
next date, read every upcoming edition: at 20,000 offerings and 66,000 upcoming editions the
catalogue took 263 ms instead of 56 ms at 2,000. Instead:

- `offering.next_start_date`: the start of the offering's first upcoming, not cancelled
  edition, or NO_DATE (9999-12-31) when it has none: the catalogue's order is an index scan.
- `catalogue_facet_count`: one row per cell (type, theme, month, place) with the number of
  published offerings in it. theme 0, month '' and place '' mean "any": an offering counts in
  (cursus, 0, '', '') whatever its themes and editions, and in (cursus, 3, '2027-03', 'Utrecht')
  when it has theme 3 and an upcoming edition in March 2027 in Utrecht (the same edition for
  month and place, as the listing filters them). Every facet of /aanbod without a search term
  is then a lookup of at most a few hundred rows, whatever the size of the catalogue.
- `catalogue_facet_offering`: per offering, what it was counted with (published, type, themes,
  the (month, place) of its upcoming editions), so a change subtracts exactly what was added.
- `catalogue_total`: published and unpublished offerings and upcoming editions (the dashboard).

Kept by session hooks, not triggers: "upcoming" depends on today in Dutch time (sbo.clock, which
tests move), which a trigger cannot know. After a flush the offerings whose editions, type,
publication or themes changed are noted; before the commit they are counted again
(`refresh`) in the same transaction. Bulk statements the hooks cannot read count everything
again (`rebuild`); the bench builder and the migration call `rebuild` themselves.

A day passing: an offering's counts stay right until its next date passes (its upcoming
editions as of that day are still its upcoming editions later, until the first one starts).
So the data holds "as of today" when no offering has `next_start_date < today`; the catalogue
checks that with one index probe whenever it computes its facets (once per content generation
and day per worker, sbo/pagecache/memo.py) and counts those offerings again first (`roll_over`,
~1/365 of the offerings a day). No cron job is needed; `roll_over` may be run from one too.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from sqlalchemy import bindparam, delete, event, func, inspect, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import clock
from ..extensions import db
from ..postgres import day_in_text
from .models import (CatalogueTotal, Edition, EditionStatus, FacetCount, FacetSource, Offering, Theme,
                     offering_theme)

NO_DATE = date(9999, 12, 31)  # after every real date: "no upcoming edition" sorts last
ANY_THEME, ANY = 0, ""
ONLINE = "online"
PENDING = "sbo_facets_pending"  # Session.info: a set of offering ids, or ALL
ALL = "all"
CHUNK = 500
# edition columns that decide whether and where an edition counts; the others (seats, price,
# capacity, the venue's name) do not touch the derived data
EDITION_KEYS = ("offering_id", "start_date", "status", "online", "city")
OFFERING_KEYS = ("published", "type", "themes")


@dataclass(frozen=True)
class Counted:
    """One offering as counted."""
    published: bool
    type: str
    theme_ids: tuple[int, ...]
    slots: frozenset[tuple[str, str]]  # (month, place) of each upcoming edition
    upcoming: int
    next_date: date

    def cells(self) -> set[tuple[int, str, str, str]]:
        if not self.published:
            return set()
        months = {month for month, _ in self.slots}
        places = {place for _, place in self.slots if place}
        combos = {(ANY, ANY)} | {(m, ANY) for m in months} | {(ANY, p) for p in places} \
            | {(m, p) for m, p in self.slots if p}
        return {(theme, m, p, self.type) for theme in (ANY_THEME, *self.theme_ids) for m, p in combos}

    def totals(self) -> Counter:
        return Counter({"published" if self.published else "unpublished": 1, "upcoming": self.upcoming})

    @classmethod
    def from_row(cls, row) -> "Counted":
        slots = frozenset(tuple(line.split("\t", 1)) for line in row.slots.split("\n") if line)
        return cls(bool(row.published), row.type, tuple(int(t) for t in row.theme_ids.split()), slots,
                   row.upcoming, NO_DATE)

    def as_row(self, offering_id: int) -> dict:
        return {"offering_id": offering_id, "published": self.published, "type": self.type,
                "theme_ids": " ".join(map(str, self.theme_ids)),
                "slots": "\n".join(f"{m}\t{p}" for m, p in sorted(self.slots)), "upcoming": self.upcoming}


def place_of(online: bool, city: str) -> str:
    return ONLINE if online else (city or "")


def _current(connection: Connection, ids: list[int], today: date) -> tuple[dict[int, Counted], dict[int, date]]:
    """How the offerings `ids` count now (absent: deleted), and their stored next dates."""
    offerings = {row.id: row for row in connection.execute(
        select(Offering.id, Offering.published, Offering.type, Offering.next_start_date)
        .where(Offering.id.in_(ids)))}
    themes: dict[int, list[int]] = {}
    for offering_id, theme_id in connection.execute(
            select(offering_theme.c.offering_id, offering_theme.c.theme_id)
            .where(offering_theme.c.offering_id.in_(ids)).order_by(offering_theme.c.theme_id)):
        themes.setdefault(offering_id, []).append(theme_id)
    editions: dict[int, list] = {}
    for row in connection.execute(
            select(Edition.offering_id, Edition.start_date, Edition.online, Edition.city)
            .where(Edition.offering_id.in_(ids), Edition.start_date >= today,
                   Edition.status != EditionStatus.GEANNULEERD)):
        editions.setdefault(row.offering_id, []).append(row)
    counted = {}
    for ident, row in offerings.items():
        upcoming = editions.get(ident, [])
        counted[ident] = Counted(
            bool(row.published), str(row.type), tuple(themes.get(ident, ())),
            frozenset((f"{e.start_date:%Y-%m}", place_of(e.online, e.city)) for e in upcoming),
            len(upcoming), min((e.start_date for e in upcoming), default=NO_DATE))
    return counted, {ident: row.next_start_date for ident, row in offerings.items()}


def _upsert(connection: Connection, table, rows: list[dict], keys: list[str]) -> None:
    if not rows:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    connection.execute(statement.on_conflict_do_update(
        index_elements=keys, set_={"n": table.c.n + statement.excluded.n}), rows)


def refresh(connection: Connection, offering_ids: Iterable[int], today: date | None = None,
            *, fresh: bool = False) -> None:
    """Count the offerings `offering_ids` again as of `today`: subtract what they were counted
    with, add what they count now, set their next dates. `fresh`: they were not counted yet
    (after `clear`). On PostgreSQL their rows in catalogue_facet_offering are locked first, so
    two transactions changing one offering count it one after the other."""
    today = today or clock.today()
    ids = sorted(set(offering_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh(connection, ids[start:start + CHUNK], today, fresh)


def _refresh(connection: Connection, ids: list[int], today: date, fresh: bool) -> None:
    source = FacetSource.__table__
    old: dict[int, Counted] = {}
    if not fresh:
        query = select(source).where(source.c.offering_id.in_(ids)).order_by(source.c.offering_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        old = {row.offering_id: Counted.from_row(row) for row in connection.execute(query)}
    new, stored_dates = _current(connection, ids, today)

    cells: Counter = Counter()
    totals: Counter = Counter()
    for ident in ids:
        before, after = old.get(ident), new.get(ident)
        if before is not None:
            cells.subtract(before.cells())
            totals.subtract(before.totals())
        if after is not None:
            cells.update(after.cells())
            totals.update(after.totals())
    counts = FacetCount.__table__
    changed = sorted(cell for cell, n in cells.items() if n)  # one order: no deadlock between two writers
    _upsert(connection, counts, [{"theme_id": t, "month": m, "place": p, "type": k, "n": cells[(t, m, p, k)]}
                                 for t, m, p, k in changed], ["theme_id", "month", "place", "type"])
    if any(cells[cell] < 0 for cell in changed):
        connection.execute(delete(counts).where(
            counts.c.theme_id == bindparam("t"), counts.c.month == bindparam("m"),
            counts.c.place == bindparam("p"), counts.c.type == bindparam("k"), counts.c.n <= 0),
            [{"t": t, "m": m, "p": p, "k": k} for t, m, p, k in changed if cells[(t, m, p, k)] < 0])
    _upsert(connection, CatalogueTotal.__table__,
            [{"key": key, "n": n} for key, n in sorted(totals.items()) if n], ["key"])

    gone = [ident for ident in ids if ident in old and (ident not in new or old[ident] != _as_stored(new[ident]))]
    if gone:
        connection.execute(delete(source).where(source.c.offering_id.in_(gone)))
    added = [new[ident].as_row(ident) for ident in ids
             if ident in new and (ident not in old or old[ident] != _as_stored(new[ident]))]
    if added:
        connection.execute(source.insert(), added)
    dates = [{"ident": ident, "next": counted.next_date} for ident, counted in new.items()
             if stored_dates[ident] != counted.next_date]
    if dates:
        table = Offering.__table__
        # updated_at set to itself: a derived value is no edit of the offering (onupdate)
        connection.execute(update(table).where(table.c.id == bindparam("ident"))
                           .values(next_start_date=bindparam("next"), updated_at=table.c.updated_at), dates)


def _as_stored(counted: Counted) -> Counted:
    """As read back from catalogue_facet_offering (which holds no next date)."""
    return Counted(counted.published, counted.type, counted.theme_ids, counted.slots, counted.upcoming, NO_DATE)


def clear(connection: Connection) -> None:
    for model in (FacetCount, FacetSource, CatalogueTotal):
        connection.execute(delete(model.__table__))


def rebuild(connection: Connection, today: date | None = None) -> None:
    """Count every offering again (after a bulk load, or a change the hooks cannot follow):
    the same counting as `refresh`, written in one go (20,000 offerings: a few seconds)."""
    today = today or clock.today()
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE catalogue_facet_offering IN EXCLUSIVE MODE"))
    clear(connection)
    ids = connection.scalars(select(Offering.id).order_by(Offering.id)).all()
    cells: Counter = Counter()
    totals: Counter = Counter()
    rows = []
    for start in range(0, len(ids), CHUNK):
        counted, _ = _current(connection, ids[start:start + CHUNK], today)
        for ident, one in counted.items():
            cells.update(one.cells())
            totals.update(one.totals())
            rows.append(one.as_row(ident))
    if rows:
        connection.execute(FacetSource.__table__.insert(), rows)
    if cells:
        connection.execute(FacetCount.__table__.insert(), [
            {"theme_id": t, "month": m, "place": p, "type": k, "n": n} for (t, m, p, k), n in sorted(cells.items())])
    if +totals:
        connection.execute(CatalogueTotal.__table__.insert(), [{"key": k, "n": n} for k, n in sorted((+totals).items())])
    table = Offering.__table__
    first = func.coalesce(
        select(func.min(Edition.start_date)).where(
            Edition.offering_id == table.c.id, Edition.start_date >= today,
            Edition.status != EditionStatus.GEANNULEERD).scalar_subquery(), NO_DATE)
    connection.execute(update(table).where(table.c.next_start_date != first)
                       .values(next_start_date=first, updated_at=table.c.updated_at))


def stale_offerings(today: date | None = None) -> list[int]:
    """Offerings whose next date has passed: their counts hold for an earlier day."""
    day = day_in_text(value=today or clock.today())
    return list(db.session.scalars(select(Offering.id).where(Offering.next_start_date < day)))


def roll_over(today: date | None = None) -> int:
    """Count the offerings whose next date has passed again, in a transaction of its own
    (a GET may find them; one index probe when there are none); returns how many."""
    today = today or clock.today()
    ids = stale_offerings(today)
    if not ids:
        return 0
    sess = db.session()
    if _holds_sqlite_write_lock(sess):
        # this request already writes: a second connection would wait for its lock; count in
        # its transaction instead (committed with it; after a rollback the next request does it)
        refresh(sess.connection(), ids, today)
        return len(ids)
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # take the write lock (sbo/sqlite_writes.py) before reading what was counted
            connection.execute(update(FacetSource.__table__).where(text("0")).values(upcoming=0))
        # another worker may have rolled over already: only those still stale
        ids = connection.scalars(select(Offering.id).where(Offering.id.in_(ids),
                                                           Offering.next_start_date < today)).all()
        refresh(connection, ids, today)
    return len(ids)


def _holds_sqlite_write_lock(sess: Session) -> bool:
    if db.engine.dialect.name != "sqlite" or not sess.in_transaction():
        return False
    return bool(getattr(sess.connection().connection.dbapi_connection, "_holding", False))


# ---------------------------------------------------------------- the hooks

def note_offerings(sess: Session, ids: Iterable[int] | str) -> None:
    """Count these offerings (or ALL) again before the session commits."""
    pending = sess.info.get(PENDING)
    if pending == ALL:
        return
    if ids == ALL:
        sess.info[PENDING] = ALL
    else:
        sess.info.setdefault(PENDING, set()).update(i for i in ids if i is not None)


def _changed(obj, keys: tuple[str, ...]) -> bool:
    state = inspect(obj)
    for key in keys:
        history = state.attrs[key].history
        if history.has_changes():
            if key == "status":
                values = {*history.added, *history.deleted}
                if EditionStatus.GEANNULEERD not in values:  # open <-> vol: still upcoming
                    continue
            return True
    return False


@event.listens_for(Session, "after_flush")
def _note_changes(sess: Session, _context) -> None:
    if sess.info.get(PENDING) == ALL:
        return
    ids = set()
    for obj in sess.new | sess.deleted:
        if isinstance(obj, Edition):
            ids.add(obj.offering_id)
        elif isinstance(obj, Offering):
            ids.add(obj.id)
        elif isinstance(obj, Theme) and obj in sess.deleted:
            note_offerings(sess, ALL)  # its offering_theme rows go by ON DELETE CASCADE
            return
    for obj in sess.dirty:
        if isinstance(obj, Edition) and _changed(obj, EDITION_KEYS):
            ids.add(obj.offering_id)
            ids.update(inspect(obj).attrs.offering_id.history.deleted)
        elif isinstance(obj, Offering) and _changed(obj, OFFERING_KEYS):
            ids.add(obj.id)
    if ids:
        note_offerings(sess, ids)


_WATCHED = {"edition", "offering", "offering_theme", "theme"}
_HARMLESS = {"edition": {"seats_taken", "capacity", "price_cents_override", "enrolment_deadline", "venue",
                         "street_address", "postal_code", "online_platform", "venue_id"},
             "offering": {"search_title", "search_body", "title", "teaser", "description", "updated_at"}}


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    """Bulk statements: inserts of editions or theme links name their offerings; an update of
    columns that do not count is harmless; anything else counts everything again."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name not in _WATCHED or state.execution_options.get("sbo_facets") == "noted":
        return
    if state.is_update and table.name in _HARMLESS:
        values = getattr(state.statement, "_values", None) or {}
        names = {getattr(column, "key", column) for column in values}
        if names and names <= _HARMLESS[table.name]:
            return
    if state.is_insert and table.name in ("edition", "offering_theme"):
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        if rows and all("offering_id" in row for row in rows):
            note_offerings(state.session, [row["offering_id"] for row in rows])
            return
    note_offerings(state.session, ALL)


@event.listens_for(Session, "before_commit")
def _count_again(sess: Session) -> None:
    sess.flush()
    pending = sess.info.get(PENDING)
    if not pending:
        return
    connection = sess.connection()
    if pending == ALL:
        rebuild(connection)
    else:
        refresh(connection, pending)
    sess.info.pop(PENDING, None)


@event.listens_for(Session, "after_rollback")
def _after_rollback(sess: Session) -> None:
    sess.info.pop(PENDING, None)


# ---------------------------------------------------------------- reading

def offer_totals() -> dict[str, int]:
    return {key: n for key, n in db.session.execute(select(CatalogueTotal.key, CatalogueTotal.n))}
