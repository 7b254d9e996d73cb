"""What the staff lists read, against the one-statement queries that read it (sbo/staff/offer.py,
content.py, enrolments.py and the dashboard in views.py): order, search (case-insensitive, `%`
and `_` no wildcards), paging, status filter, totals. Moved here from the tests of the old
catalogue/news/enrolment query functions these statements replaced."""
from __future__ import annotations

from datetime import timedelta

from sbo import clock
from sbo.catalogue.models import EditionStatus
from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news.models import ArticleStatus
from sbo.staff import content, enrolments, offer, views
from tests.factories import make_article, make_comment, make_edition, make_mixed_enrolments, make_offering


def offering_rows(search: str = "", page: int = 1, per_page: int = 25) -> list:
    statement = offer._offerings_statement(search) if search else offer._all_offerings_statement()
    return db.session.execute(statement, {"limit": per_page, "offset": (page - 1) * per_page}).all()


def test_staff_offerings_include_unpublished_by_title_with_search(app_ctx):
    make_offering(title="Crisiscommunicatie", slug="crisis", published=False)
    make_offering(title="Bestuursrecht", slug="bestuur")
    make_offering(title="100% veilig", slug="veilig")
    db.session.commit()
    titles = lambda rows: [row.title for row in rows]  # noqa: E731
    assert titles(offering_rows()) == ["100% veilig", "Bestuursrecht", "Crisiscommunicatie"]
    assert {row.total for row in offering_rows()} == {3}
    assert titles(offering_rows("CRISIS")) == ["Crisiscommunicatie"]
    assert titles(offering_rows("bestuur")) == ["Bestuursrecht"]  # (the slug)
    assert titles(offering_rows("0%")) == ["100% veilig"]
    assert titles(offering_rows("%s")) == []  # % is no wildcard
    assert titles(offering_rows("u_s")) == []  # _ is no wildcard ("Bestuursrecht")
    second = offering_rows(page=2, per_page=2)
    assert titles(second) == ["Crisiscommunicatie"] and second[0].total == 3


def test_staff_offerings_count_editions_that_are_not_cancelled(app_ctx):
    one, two, none = make_offering(title="A"), make_offering(title="B"), make_offering(title="C")
    make_edition(one)
    make_edition(one)
    make_edition(one, status=EditionStatus.GEANNULEERD)
    make_edition(two, status=EditionStatus.VOL)
    db.session.commit()
    assert [(row.id, row.editions) for row in offering_rows()] == [(one.id, 2), (two.id, 1), (none.id, 0)]


def test_the_offerings_page_searches_and_pages(logged_in, setup_data):
    client, _ = logged_in("editor")
    with setup_data():
        make_offering(title="100% veilig", slug="veilig")
        for n in range(26):
            make_offering(title=f"Leergang {n:02d}", slug=f"leergang-{n:02d}")
    html = client.get("/beheer/aanbod?q=0%25").get_data(as_text=True)
    assert "100% veilig" in html and "Leergang" not in html
    html = client.get("/beheer/aanbod?page=2").get_data(as_text=True)
    assert "27 resultaten" in html and "Leergang 25" in html and "Leergang 23" not in html


def test_the_offerings_total_comes_from_the_kept_totals(logged_in, setup_data, count_queries):
    """Without a search the number of offerings is the catalogue's kept published and
    unpublished totals (sbo/catalogue/facets.py), not a count: right before any offering is
    unpublished (no such total yet), and after one is added or unpublished."""
    client, _ = logged_in("editor")
    with setup_data():
        first = make_offering(title="Eerste")
        make_offering(title="Tweede")
    assert "2 resultaten" in client.get("/beheer/aanbod").get_data(as_text=True)
    with setup_data():
        make_offering(title="Derde", published=False)
        db.session.get(type(first), first.id).published = False
    with count_queries() as counter:
        html = client.get("/beheer/aanbod").get_data(as_text=True)
    assert "3 resultaten" in html and counter.count == 2  # the login; the page with its total


def article_titles(search: str = "", status: str = "", page: int = 1, per_page: int = 25, now=None) -> list[str]:
    statement = content._articles_statement(search, status) if search else content._listing_statement(status)
    rows = db.session.execute(statement, {"now": now, "limit": per_page, "offset": (page - 1) * per_page}).all()
    assert {row.total for row in rows} <= {len(rows) + (page - 1) * per_page}
    return [row.title for row in rows]


def test_staff_articles_drafts_first_then_newest_with_filters(app_ctx):
    now = utcnow()
    make_article(title="Oud nieuws", published_at=now - timedelta(days=9))
    make_article(title="Vers nieuws", published_at=now - timedelta(days=1))
    make_article(title="Straks", published_at=now + timedelta(days=3))
    make_article(title="Concept_A", published_at=None)
    db.session.commit()
    assert article_titles(now=now) == ["Concept_A", "Straks", "Vers nieuws", "Oud nieuws"]
    assert article_titles(status=ArticleStatus.DRAFT, now=now) == ["Concept_A"]
    assert article_titles(status=ArticleStatus.SCHEDULED, now=now) == ["Straks"]
    assert article_titles(status=ArticleStatus.PUBLISHED, now=now) == ["Vers nieuws", "Oud nieuws"]
    assert article_titles("NIEUWS", now=now) == ["Vers nieuws", "Oud nieuws"]
    assert article_titles("NIEUWS", ArticleStatus.PUBLISHED, now=now) == ["Vers nieuws", "Oud nieuws"]
    assert article_titles("s_n", now=now) == []  # _ is not a wildcard ("Vers nieuws")
    assert article_titles("T_A", now=now) == ["Concept_A"]
    assert article_titles("%", now=now) == []  # % is not a wildcard
    assert article_titles(per_page=3, page=2, now=now) == ["Oud nieuws"]


def test_the_dashboard_lists_upcoming_editions_that_are_not_cancelled(app_ctx):
    today = clock.today()
    published, offline = make_offering(title="Online"), make_offering(title="Offline", published=False)
    later = make_edition(published, start_date=today + timedelta(days=20))
    soon = make_edition(offline, start_date=today + timedelta(days=5))
    make_edition(published, start_date=today - timedelta(days=1))
    make_edition(published, start_date=today + timedelta(days=1), status=EditionStatus.GEANNULEERD)
    db.session.commit()
    upcoming = lambda: db.session.scalars(views._upcoming_statement(), {"today": today}).all()  # noqa: E731
    assert upcoming() == [soon, later]
    for n in range(10):
        make_edition(published, start_date=today + timedelta(days=30 + n))
    db.session.commit()
    assert upcoming()[:2] == [soon, later] and len(upcoming()) == 10


def test_the_dashboard_shows_the_newest_waiting_comments(app_ctx):
    article = make_article(title="Over de Omgevingswet")
    now = utcnow()
    waiting = [make_comment(article, status="pending", created_at=now - timedelta(minutes=10 - n)) for n in range(7)]
    make_comment(article, status="approved")
    db.session.commit()
    rows = db.session.execute(views._dashboard_statement(False, False)).all()
    assert [row.id for row in rows] == [c.id for c in reversed(waiting)][:5]
    assert rows[0].pending == 7 and rows[0].article_title == "Over de Omgevingswet"


def test_participants_are_listed_confirmed_held_waiting_cancelled_then_in_order(app_ctx):
    """Enrolments created out of order, and a waiting enrolment of another edition in between."""
    edition = make_mixed_enrolments()
    db.session.commit()

    def page(page_no: int = 1, per_page: int = 50) -> tuple:
        return enrolments._page(edition.id, (page_no - 1) * per_page, per_page)

    heading, rows = page()
    assert [row.first_name for row in rows] == ["b1", "b2", "h1", "w1", "w2", "c1"]
    assert {s: getattr(heading, f"n_{s}") for s in ("confirmed", "held", "offered", "waiting", "cancelled")} == {
        "confirmed": 2, "held": 1, "offered": 0, "waiting": 2, "cancelled": 1}  # total 6
    # the waiting list in order, counting only this edition's, on a later page too
    assert [(row.first_name, place) for row, place in zip(rows, enrolments._waiting_places(heading, rows, 0))
            if place] == [("w1", 1), ("w2", 2)]
    heading, second = page(2, 4)
    assert [row.first_name for row in second] == ["w2", "c1"]
    assert enrolments._waiting_places(heading, second, 4) == [2, None]
    assert page(3, 4)[1] == [] and page(3, 4)[0].n_waiting == 2  # past the end: the heading only
    assert enrolments._page(edition.id + 99, 0) == (None, [])
