"""Issue 18: staff lists draw their rows in Python from plain rows, in one statement with their
counts; the rows are what the template loops drew fed by the old queries (both kept here as the
reference), to the byte (the participant rows apart from whitespace)."""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

from flask import render_template_string
from sqlalchemy import case, func, select

from sbo.catalogue.models import Edition, EditionStatus, Offering, OfferingType
from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news.models import Article, ArticleStatus
from sbo.news.services import article_status
from sbo.enrolment import queries as enrolment_queries
from sbo.enrolment.models import Enrolment
from sbo.staff import content, enrolments, offer
from sbo.urls import Pattern
from tests.factories import make_article, make_edition, make_enrolment, make_offering, make_venue

# templates/staff/offerings.html's row loop before the rows were drawn in Python
OLD_OFFERING_ROWS = """
  {% for offering in page.items %}
    <tr>
      <td data-label="Titel"><a href="{{ url_for('staff.offering_edit', offering_id=offering.id) }}">{{ offering.title }}</a><br><span class="muted">/{{ offering.slug }}</span></td>
      <td data-label="Soort">{{ offering.type|label("OfferingType") }}</td>
      <td data-label="Status">{% if offering.published %}<span class="status status-open">Gepubliceerd</span>{% else %}<span class="status status-geannuleerd">Offline</span>{% endif %}</td>
      <td data-label="Edities" class="num">{{ counts.get(offering.id, 0) }}</td>
      <td><a class="button button-small button-secondary" href="{{ url_for('staff.offering_edit', offering_id=offering.id) }}">Bewerken<span class="visually-hidden"> {{ offering.title }}</span></a></td>
    </tr>
  {% endfor %}
"""


def old_offerings_and_counts(limit: int = 25) -> tuple[list[Offering], dict[int, int]]:
    """What the loop was fed (the old catalogue.staff_offerings() and active_edition_counts()):
    the first page of offerings by title and their editions that are not cancelled."""
    offerings = list(db.session.scalars(select(Offering).order_by(Offering.title, Offering.id).limit(limit)))
    counts = dict(db.session.execute(
        select(Edition.offering_id, func.count())
        .where(Edition.offering_id.in_([o.id for o in offerings]), Edition.status != EditionStatus.GEANNULEERD)
        .group_by(Edition.offering_id)).all())
    return offerings, counts


def test_offering_rows_are_what_the_loop_drew(app, setup_data):
    with setup_data():
        one = make_offering(title="Recht & <orde> \"nu\"", slug="recht-orde", type=OfferingType.CURSUS)
        make_edition(one)
        make_edition(one, status=EditionStatus.GEANNULEERD)
        make_offering(title="Geen 'edities'", published=False, type=OfferingType.JAAROPLEIDING)
        three = make_offering(title="Drie", type=OfferingType.CONGRES)
        for _ in range(3):
            make_edition(three)
    with app.test_request_context("/beheer/aanbod"):
        rows = db.session.execute(offer._all_offerings_statement(), {"limit": 25, "offset": 0}).all()
        assert [row.total for row in rows] == [3, 3, 3]
        offerings, counts = old_offerings_and_counts()
        assert [o.id for o in offerings] == [row.id for row in rows]
        new = offer._offering_rows(rows, Pattern("staff.offering_edit", "offering_id"))
        old = render_template_string(OLD_OFFERING_ROWS, page=SimpleNamespace(items=offerings), counts=counts)
        assert "\n  " + new == old  # (the template's last newline is dropped)


def test_staff_offerings_is_one_statement_after_the_login(logged_in, setup_data, count_queries):
    client, _ = logged_in("editor")
    with setup_data():
        for n in range(30):
            make_edition(make_offering())
    client.get("/beheer/aanbod")
    for query in ("", "?page=2", "?q=cursus&page=2"):
        with count_queries() as counter:
            html = client.get(f"/beheer/aanbod{query}").get_data(as_text=True)
        assert counter.count == 2, query  # the staff session with its account; the page
        assert "30 resultaten" in html


# templates/staff/articles.html's row loop before the rows were drawn in Python
OLD_ARTICLE_ROWS = """
  {% for article in page.items %}
    {% set state = article_status(article) %}
    <tr>
      <td data-label="Titel"><a href="{{ url_for('staff.article_edit', article_id=article.id) }}">{{ article.title }}</a><br><span class="muted">/nieuws/{{ article.slug }}</span></td>
      <td data-label="Status"><span class="status status-{{ {'gepubliceerd': 'open', 'gepland': 'vol'}.get(state, 'concept') }}">{{ state|label }}</span></td>
      <td data-label="Publicatie">{{ article.published_at|datumtijd if article.published_at else '–' }}</td>
      <td><div class="staff-row-actions">
        <a class="button button-small button-secondary" href="{{ url_for('staff.article_edit', article_id=article.id) }}">Bewerken<span class="visually-hidden"> {{ article.title }}</span></a>
        {% if state == 'gepubliceerd' %}<a href="{{ url_for('news.detail', slug=article.slug) }}">Bekijken<span class="visually-hidden"> {{ article.title }}</span></a>{% endif %}
        </div></td>
    </tr>
  {% endfor %}
"""


def old_articles(status: str, now, limit: int = 25) -> list[Article]:
    """What the loop was fed (the old news.staff_articles()): drafts first, then newest
    publication first, of one status or all."""
    query = select(Article).order_by(Article.published_at.desc().nulls_first(), Article.id.desc()).limit(limit)
    if status == ArticleStatus.DRAFT:
        query = query.where(Article.published_at.is_(None))
    elif status == ArticleStatus.SCHEDULED:
        query = query.where(Article.published_at > now)
    elif status == ArticleStatus.PUBLISHED:
        query = query.where(Article.published_at <= now)
    return list(db.session.scalars(query))


def test_article_rows_are_what_the_loop_drew(app, setup_data):
    now = utcnow()
    with setup_data():
        make_article(title="Concept & <b>", slug="concept-b", published_at=None)
        make_article(title="Straks \"gepland\"", slug="straks", published_at=now + timedelta(days=2))
        make_article(title="Oud 'nieuws'", slug="oud-nieuws", published_at=now - timedelta(days=3))
        make_article(title="Vers", slug="vers", published_at=now - timedelta(minutes=5))
    for status in ("", *ArticleStatus):
        with app.test_request_context("/beheer/artikelen"):
            rows = db.session.execute(content._listing_statement(status),
                                      {"now": now, "limit": 25, "offset": 0}).all()
            articles = old_articles(status, now)
            assert [a.id for a in articles] == [row.id for row in rows] and rows
            assert {row.total for row in rows} == {len(rows)}
            old = render_template_string(OLD_ARTICLE_ROWS, page=SimpleNamespace(items=articles),
                                         article_status=lambda a: article_status(a, now))
            assert "\n  " + content._article_rows(rows, now) == old  # (the template's last newline is dropped)


def test_staff_articles_is_one_statement_after_the_login(logged_in, setup_data, count_queries):
    client, _ = logged_in("editor")
    with setup_data():
        for n in range(30):
            make_article(title=f"Bericht {n}")
    client.get("/beheer/artikelen")
    for query in ("", "?page=2", "?q=bericht&page=2&status=gepubliceerd"):
        with count_queries() as counter:
            html = client.get(f"/beheer/artikelen{query}").get_data(as_text=True)
        assert counter.count == 2, query  # the staff session with its account; the page
        assert "30 artikelen" in html


# templates/staff/enrolments.html's row loop before the rows were drawn in Python
OLD_ENROLMENT_ROWS = """{% from "enrolment/_status.html" import enrolment_status %}
  {% for enrolment in page.items %}
    {% set booking = bookings[enrolment.booking_id] %}
    <tr>
      <td data-label="Status"><span class="status status-{{ {'confirmed': 'open', 'held': 'vol', 'offered': 'vol', 'waiting': 'vol'}.get(enrolment.status, 'geannuleerd') }}">{{ enrolment_status(enrolment, booking, positions.get(enrolment.id)) }}</span></td>
      <td data-label="Deelnemer">{{ enrolment.name }}<br><span class="muted">{{ enrolment.email }}</span></td>
      <td data-label="Organisatie">{{ booking.organisation or '–' }}{% if booking.po_number %}<br><span class="muted">Inkoopnr. {{ booking.po_number }}</span>{% endif %}</td>
      <td data-label="Ingeschreven">{{ enrolment.created_at|datum }}{% if enrolment.cancelled_at %}<br><span class="muted">geannuleerd {{ enrolment.cancelled_at|datum }}</span>{% endif %}</td>
      <td><div class="staff-row-actions">
        {% if enrolment.status != 'cancelled' %}
        <a class="button button-small button-secondary" href="{{ url_for('staff.enrolment_cancel', enrolment_id=enrolment.id) }}">Annuleren<span class="visually-hidden"> {{ enrolment.name }}</span></a>
        {% if booking.is_confirmed %}<a class="button button-small button-secondary" href="{{ url_for('staff.enrolment_rebook', enrolment_id=enrolment.id) }}">Omboeken<span class="visually-hidden"> {{ enrolment.name }}</span></a>{% endif %}
        {% endif %}
        </div></td>
    </tr>
  {% endfor %}
"""



def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def old_participants(edition_id: int, page_no: int, per_page: int) -> list[Enrolment]:
    """What the loop was fed (the old enrolment.queries.participants()): a page of the
    edition's enrolments in STATUS_ORDER, then by id."""
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.edition_id == edition_id)
        .order_by(case(enrolment_queries.STATUS_ORDER, value=Enrolment.status), Enrolment.id)
        .limit(per_page).offset((page_no - 1) * per_page)))


def test_participant_rows_are_what_the_loop_drew(app, setup_data):
    now = utcnow()
    with setup_data():
        edition = make_edition(make_offering(), capacity=3)
        other = make_edition(make_offering())
        make_enrolment(other, "waiting")  # another edition's waiting list does not count
        make_enrolment(edition, "waiting", first_name="Wacht", last_name="<Eerst>")
        make_enrolment(edition, "confirmed", first_name="Anna & Co", last_name="'t Hart").booking.po_number = "PO<7>"
        make_enrolment(edition, "held")
        offered = make_enrolment(edition, "offered")
        offered.booking.wait_any_date = True
        offered.booking.organisation = ""
        cancelled = make_enrolment(edition, "cancelled", last_name="Weg")
        cancelled.cancelled_at = now - timedelta(days=40)
        cancelled.created_at = now - timedelta(days=50, hours=23)
        make_enrolment(edition, "waiting", first_name="Wacht", last_name="Tweede")
        make_enrolment(edition, "waiting").booking.confirmed_at = None
        edition_id = edition.id
    for page_no, per_page in ((1, 50), (1, 3), (2, 3), (3, 3)):
        with app.test_request_context("/beheer"):
            edition = db.session.get(type(edition), edition_id)
            heading, rows = enrolments._page(edition_id, (page_no - 1) * per_page, per_page)
            items = old_participants(edition_id, page_no, per_page)
            assert [row.id for row in rows] == [e.id for e in items]
            counts = enrolment_queries.status_counts(edition)
            assert {key: getattr(heading, f"n_{key}") for key in counts} == counts
            old = render_template_string(OLD_ENROLMENT_ROWS, page=SimpleNamespace(items=items),
                                         bookings=enrolment_queries.bookings_by_id(e.booking_id for e in items),
                                         positions=enrolment_queries.waiting_positions(items))
            new = enrolments._participant_rows(heading, rows, (page_no - 1) * per_page)  # a line a cell
            assert "  " not in new and "\n\n" not in new and new.count("\n") == 7 * len(rows)
            assert _squeezed(new) == _squeezed(old)


def test_the_participant_list_heading_has_the_editions_place(app_ctx):
    """enrolments._place() of the statement's row is Edition.place: a venue's name and city win
    over the free-text place; online with or without a platform; a place without a city."""
    offering = make_offering()
    editions = [make_edition(offering, location=make_venue(name="Zaal <1>", city="Utrecht"), venue="Oud", city="X"),
                make_edition(offering, venue="Hotel Zuid", city="Amersfoort"),
                make_edition(offering, venue="Hotel Zuid", city=""),
                make_edition(offering, online=True, online_platform="Teams"),
                make_edition(offering, online=True, online_platform="", venue="", city="")]
    db.session.commit()
    for edition in editions:
        heading, rows = enrolments._page(edition.id, 0)
        assert enrolments._place(heading) == edition.place and rows == []


def test_the_participant_list_is_one_statement_after_the_login(logged_in, setup_data, count_queries):
    client, _ = logged_in("editor")
    with setup_data():
        edition = make_edition(make_offering(), capacity=60)
        for n in range(55):
            make_enrolment(edition, "waiting" if n % 5 == 0 else "confirmed")
    client.get(f"/beheer/edities/{edition.id}/inschrijvingen")
    for query, shown, place in (("", 50, 6), ("?page=2", 5, 11)):
        with count_queries() as counter:
            html = client.get(f"/beheer/edities/{edition.id}/inschrijvingen{query}").get_data(as_text=True)
        assert counter.count == 2, query  # the staff session with its account; the edition with the page
        assert html.count("<tr>") == shown + 1 and f"Wachtlijst, plaats {place}<" in html
    with count_queries() as counter:  # past the end: the heading and the counts, no rows
        html = client.get(f"/beheer/edities/{edition.id}/inschrijvingen?page=3").get_data(as_text=True)
    assert counter.count == 2 and "<tr>" not in html and "11</span> op de wachtlijst" in html
    with count_queries() as counter:
        assert client.get(f"/beheer/edities/{edition.id + 1}/inschrijvingen").status_code == 404
    assert counter.count == 2


def test_the_dashboard_reads_its_counts_and_waiting_comments_in_one_statement(logged_in, setup_data,
                                                                              count_queries):
    """The staff session with its account; the next editions; the offer's kept totals (a probe
    for passed dates and the totals); the waiting comments with their count, the failed mails
    and the new requests: 5 (8 before)."""
    from sbo.news.models import Comment
    client, _ = logged_in("admin")
    with setup_data():
        make_edition(make_offering())
        article = make_article(title="Stuk <een>")
        for n in range(7):
            db.session.add(Comment(article_id=article.id, depth=1, status="pending", author_name=f"Lezer {n}",
                                   author_email="l@voorbeeld.nl", body="Tekst", created_at=utcnow()))
    client.get("/beheer/")
    with count_queries() as counter:
        html = client.get("/beheer/").get_data(as_text=True)
    assert counter.count == 5
    assert '<span class="staff-stat-number">7</span> reacties wachten op goedkeuring' in html
    assert html.count("bij ‘Stuk &lt;een&gt;’") == 5


def test_date_times_are_dutch_datetime_around_both_changes_of_the_clock():
    from datetime import datetime
    from sbo.filters import dutch_datetime
    from sbo.staff.lists import DateTimes
    when = DateTimes()
    for start in (datetime(2027, 3, 27, 22, 0), datetime(2027, 10, 30, 22, 0), datetime(2026, 12, 31, 22, 30)):
        for minutes in range(0, 6 * 60, 7):
            moment = start + timedelta(minutes=minutes, seconds=minutes % 60)
            assert when(moment) == dutch_datetime(moment), moment
    assert when(None) == ""


def test_a_text_without_an_at_has_no_address_to_mark():
    from markupsafe import escape
    from sbo.news.markdown import mark_addresses
    from sbo.staff.lists import may_hold_address
    texts = ["Gewoon een reactie <b>&</b>", "mail piet@voorbeeld.nl", "piet (at) voorbeeld (punt) nl",
             "piet [ AT ] voorbeeld.nl", "piet {apenstaartje} voorbeeld.nl", "kat (atlas) at voorbeeld.nl",
             "zie https://example.org/?a=1&b=2", "piet at voorbeeld.nl", "(at)", "a@b"]
    for text in texts:
        if not may_hold_address(text):
            assert mark_addresses(text) == escape(text), text
    assert may_hold_address("piet (at) voorbeeld (punt) nl") and may_hold_address("a@b")
    assert not may_hold_address("Gewoon een reactie <b>&</b>")


def test_days_are_dutch_date_for_dates_and_moments():
    from datetime import date, datetime
    from sbo.filters import dutch_date
    from sbo.staff.lists import Days
    day = Days()
    for n in range(0, 800, 3):
        value = date(2026, 1, 1) + timedelta(days=n)
        assert day(value) == dutch_date(value), value
    for start in (datetime(2027, 3, 27, 21, 0), datetime(2027, 10, 30, 21, 0), datetime(2026, 12, 31, 21, 30)):
        for minutes in range(0, 6 * 60, 11):
            moment = start + timedelta(minutes=minutes)
            assert day(moment) == dutch_date(moment), moment
    assert day(None) == ""


def test_esc_is_markupsafes_escape_as_a_str():
    from markupsafe import escape

    from sbo.staff.lists import _escape_replacing, esc
    for text in ["", "plain", "Tom & Jerry's <b>\"x\"</b>", "é ü € 😀 <", "&amp;" * 40, "a\x00b>"]:
        assert esc(text) == str(escape(text)) == _escape_replacing(text)
        assert type(esc(text)) is str
