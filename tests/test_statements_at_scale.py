"""Issue 18: the number of SQL statements per page does not grow with the data. The benchmark's
own data set (bench/dataset.py) is built small and ten times larger, and the benchmark's pages
plus the staff list pages must run the same statements on both. (The 100x set itself is never
built by the suite: `bench/run.py --scale 10` measures it.)"""
from __future__ import annotations

import pytest

from bench import dataset
from bench.pages import PAGES
from sbo.extensions import db
from sbo.pagecache.memo import MEMO_EXTENSION
from tests.factories import make_staff
from tests.staff.helpers import login

STAFF_PAGES = ["/beheer/", "/beheer/reacties", "/beheer/reacties?status=pending", "/beheer/aanbod",
               "/beheer/artikelen", "/beheer/themas"]


@pytest.fixture
def app(make_app):
    """The render path (page cache off), the generation read on every request (as in
    tests/catalogue/test_query_counts.py)."""
    return make_app(CACHE_ENABLED=False, CACHE_GENERATION_TTL=0)


def statements_per_page(app, count_queries, scale: float) -> dict[str, int]:
    with app.app_context():
        db.drop_all()
        db.create_all()
        facts, _ = dataset.build(db.session, scale=scale)
        email = make_staff("admin").email
        db.session.commit()
    # the data set was made anew, its content generation with it: the memo of the other size
    # would answer for it (the filtered catalogue of 400 offerings showed the 40's empty page)
    app.extensions.pop(MEMO_EXTENSION, None)
    visitor, staff = app.test_client(), app.test_client()
    assert login(staff, email).status_code == 302
    counts = {}
    pages = [(staff if page.staff else visitor, page.name, page.resolve(facts)) for page in PAGES] + \
        [(staff, path, path) for path in STAFF_PAGES]
    for client, name, path in pages:
        client.get(path)  # a first visit makes the session and the CSRF token
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        # and with the content memo cleared: what the first request after a content change pays
        # (the catalogue's facets from the kept counts, sbo/catalogue/facets.py)
        app.extensions.pop(MEMO_EXTENSION, None)
        with count_queries() as cold:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = (counter.count, cold.count)
    return counts


@pytest.mark.slow
def test_statement_counts_do_not_grow_with_the_bench_data_set(app, count_queries, monkeypatch):
    monkeypatch.setattr(dataset, "BUSY_COMMENTS", 200)
    # 100 offerings: the smallest set whose filtered catalogue (courses of thema-2) is not empty
    small = statements_per_page(app, count_queries, scale=0.05)   # 100 offerings, 10,000 comments
    large = statements_per_page(app, count_queries, scale=0.2)    # 400 offerings, 40,000 comments
    assert len(small) == len(PAGES) + len(STAFF_PAGES)
    assert small == large, (small, large)
