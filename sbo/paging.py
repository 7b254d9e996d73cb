"""Pages of long lists, shared layer (issue 18, a hundred times the size): a page of rows read
already (`RowsPage`), and keyset links.

A page deep in a long list read with OFFSET walks every row before it in the index: at a
hundred times the provider's size the last page of approved comments took 109 ms against 2 ms
for the first. So a page link says where its page starts, as seen from the page it is on: after
the last row shown (na=<id>), before the first (voor=<id>), with the page it came from
(van=<n>); or counted from the end of the list (eind=1), for the back half. A list reads such a
page from that row in its index, a few pages at most. A link without these (typed, bookmarked,
after an action), or whose row is gone, is read with OFFSET as before. A row moved away since
the page was drawn does not pull the next page's first row out of sight, as it does with
OFFSET (tests/staff/test_keyset_paging.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Integer, Table, bindparam, select, tuple_

from .security import id_number


class RowsPage(Pagination):
    """db.paginate()'s page (items, total, pages, iter_pages …) of rows and a total read
    already, so that one statement can bring both, or the total come from kept counts."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        self._items, self._total = items, total
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)

    def _query_items(self) -> list:
        return self._items

    def _query_count(self) -> int:
        return self._total


SEEK_REACH = 3  # the pages either side of the current one whose links carry where they start


@dataclass(frozen=True)
class Seek:
    """Where a page starts: after row `after` (by the list's order) or before row `before`,
    `skip` rows further on; or (`from_end`) counted from the end of the list."""
    after: int | None = None
    before: int | None = None
    skip: int = 0
    from_end: bool = False


def seek_from_args(args: Mapping[str, str], page: int, per_page: int) -> Seek | None:
    """What a page link said about where page `page` starts (None: nothing usable; read with
    OFFSET). Anything odd in the query string is ignored, never an error."""
    origin = id_number(args.get("van"))
    if origin is not None:
        after, before = id_number(args.get("na")), id_number(args.get("voor"))
        if after is not None and 1 <= page - origin <= SEEK_REACH:
            return Seek(after=after, skip=(page - origin - 1) * per_page)
        if before is not None and 1 <= origin - page <= SEEK_REACH:
            return Seek(before=before, skip=(origin - page - 1) * per_page)
    if args.get("eind") == "1" and page > 1:
        return Seek(from_end=True)
    return None


@dataclass(frozen=True)
class Window:
    """How a list reads a page: in its order or against it (from its end, or back from a row),
    from the row `cursor` (its id) or from the start, skipping `offset` rows, `limit` rows."""
    in_order: bool
    cursor: int | None
    offset: int
    limit: int

    def params(self) -> dict[str, int]:
        """The values of the binds of `page_order` and `past_cursor`'s statement."""
        return {"offset": self.offset, "limit": self.limit,
                **({"cursor": self.cursor} if self.cursor is not None else {})}


def page_window(seek: Seek | None, page: int, per_page: int, total: Callable[[], int] | None) -> Window:
    """How to read page `page`: as its link said (`total` counts the list, for a page counted
    from its end; None: the list cannot, so OFFSET), else with OFFSET."""
    if seek is not None and seek.from_end and total is not None:
        rows = total()
        start, end = (page - 1) * per_page, min(page * per_page, rows)
        if start < end:
            return Window(False, None, rows - end, end - start)
    if seek is not None and seek.after is not None:
        return Window(True, seek.after, seek.skip, per_page)
    if seek is not None and seek.before is not None:
        return Window(False, seek.before, seek.skip, per_page)
    return Window(True, None, (page - 1) * per_page, per_page)


@dataclass(frozen=True)
class SeekLinks:
    """What the links of the page drawn need: its number, its first and last row's ids, the
    number of pages, and whether the list can be read from its end (its total is kept)."""
    page: int
    first: int
    last: int
    pages: int
    from_end: bool = True

    @classmethod
    def of_page(cls, page: RowsPage, from_end: bool) -> "SeekLinks | None":
        """The links of a page of rows with ids (None for an empty page: its links say nothing)."""
        rows = page.items
        return cls(page.page, rows[0].id, rows[-1].id, page.pages, from_end) if rows else None

    def query(self, n: int) -> str:
        """The arguments that say where page n starts, seen from this page ('' for none)."""
        if n == 1 or n == self.page:
            return ""
        if 1 <= n - self.page <= SEEK_REACH:
            return f"&na={self.last}&van={self.page}"
        if 1 <= self.page - n <= SEEK_REACH:
            return f"&voor={self.first}&van={self.page}"
        if self.from_end and 2 * n > self.pages:
            return "&eind=1"
        return ""


def page_order(table: Table, columns: tuple[str, ...], descending: bool, in_order: bool) -> list:
    """ORDER BY of a list ordered by `columns` (the last the id), `descending` or not, read in
    its order or against it."""
    down = descending == in_order
    return [table.c[name].desc() if down else table.c[name].asc() for name in columns]


def past_cursor(table: Table, columns: tuple[str, ...], descending: bool, in_order: bool):
    """The rows past the row `cursor` (a bind: its id) in the direction the list is read: its
    columns compared as one value with the row's, which an index on them reads as a range."""
    at = table.alias("at_cursor")
    cursor = bindparam("cursor", type_=Integer)
    row = tuple_(*[select(at.c[name]).where(at.c.id == cursor).scalar_subquery() for name in columns[:-1]],
                 cursor)
    key = tuple_(*[table.c[name] for name in columns])
    return key < row if descending == in_order else key > row
