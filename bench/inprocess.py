"""The benchmark's pages (and the staff lists) requested in-process, one at a time: the best
time of N requests and the SQL statements each page runs. On a machine shared with other work
the wrk figures swing by 2x from run to run; the best single-request time of the same code is
what compares two data sets (issue 18: 1x against 100x).

    DATABASE_URL=postgresql://…/sbo_bench python bench/inprocess.py [--cache] [--cold] [--repeat 7]

Uses the data set `bench/run.py` built in that database (its facts file); adds one staff
account (bench-staff@example.org) for the staff pages.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select  # noqa: E402

from bench import pages  # noqa: E402
from bench.run import database_url, load_facts  # noqa: E402

STAFF_EMAIL = "bench-staff@example.org"
STAFF_PAGES = ["/beheer/", "/beheer/reacties", "/beheer/reacties?status=approved&page=400",
               "/beheer/aanbod", "/beheer/aanbod?page=400", "/beheer/artikelen"]


def staff_client(app):
    from sbo.extensions import db
    from sbo.staff.models import StaffUser
    from tests.factories import make_staff
    from tests.staff.helpers import login
    with app.app_context():
        if db.session.scalar(select(StaffUser.id).where(StaffUser.email == STAFF_EMAIL)) is None:
            make_staff("admin", email=STAFF_EMAIL)
            db.session.commit()
    client = app.test_client()
    if login(client, STAFF_EMAIL).status_code != 302:
        raise SystemExit("could not log in the bench staff account")
    return client


DEEP_LISTS = {"comment queue, approved": "/beheer/reacties?status=approved", "staff offerings": "/beheer/aanbod"}
_PAGE_LINK = re.compile(r'<a href="([^"]*)"(?: rel="(?:prev|next)")?>(\d+)</a>')


def _page_links(client, path: str) -> dict[int, str]:
    """The numbered pagination links of a staff list page, by number (as a moderator clicks them)."""
    page = client.get(path).get_data(as_text=True)
    nav = page[page.index('aria-label="Paginering"'):]
    return {int(n): html.unescape(href) for href, n in _PAGE_LINK.findall(nav)}


def deep_pages(staff) -> list[tuple[str, str]]:
    """The middle and last pages of the long staff lists, each reached as a moderator reaches it
    (the last from page 1's link, the middle from its neighbour's: links that say where their
    page starts, sbo/paging.py) and typed in with its number only (read with OFFSET)."""
    todo = []
    for name, path in DEEP_LISTS.items():
        last = max(_page_links(staff, path))
        middle = last // 2
        sep = "&" if "?" in path else "?"
        todo += [(f"{name}, middle page {middle}, its link", _page_links(staff, f"{path}{sep}page={middle - 1}")[middle]),
                 (f"{name}, middle page {middle}, typed", f"{path}{sep}page={middle}"),
                 (f"{name}, last page {last}, its link", _page_links(staff, path)[last]),
                 (f"{name}, last page {last}, typed", f"{path}{sep}page={last}")]
    return todo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="requests per page; the best counts")
    parser.add_argument("--cache", action="store_true", help="page cache on (default off: the render path)")
    parser.add_argument("--cold", action="store_true",
                        help="clear the content memo (sbo/pagecache/memo.py) before every request: what the "
                             "first request after a content change, or a new worker, pays")
    args = parser.parse_args(argv)
    from sbo import create_app
    from sbo.extensions import db
    from sbo.pagecache.memo import MEMO_EXTENSION

    url = database_url()
    facts = load_facts(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-inprocess",
                      "CACHE_ENABLED": args.cache, "RATELIMIT_ENABLED": False, "CACHE_GENERATION_TTL": 0})
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    visitor = app.test_client()
    staff = staff_client(app)  # one login: a new login of the same account ends its other sessions
    todo = [(staff if page.staff else visitor, page.name, page.resolve(facts))
            for page in pages.PAGES if page.resolve(facts)]
    todo += [(staff, path, path) for path in STAFF_PAGES if path not in {path for _, _, path in todo}]
    todo += [(staff, name, path) for name, path in deep_pages(staff)]
    print(f"{facts.get('counts')}, page cache {'on' if args.cache else 'off'}, "
          f"content memo {'cleared before every request' if args.cold else 'kept'}, best of {args.repeat}")
    print(f"| page | ms | statements |\n|---|---|---|")
    for client, name, path in todo:
        best = float("inf")
        for _ in range(args.repeat):
            statements.clear()
            if args.cold:
                app.extensions.pop(MEMO_EXTENSION, None)
            started = time.perf_counter()
            response = client.get(path)
            best = min(best, time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
        print(f"| {name} | {best * 1000:.1f} | {len(statements)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
