"""Moments are stored in UTC and shown in Dutch time everywhere: 08:04 UTC is 09:04 in
Utrecht in winter (CET) and 10:04 in summer (CEST)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from sbo.clock import today
from sbo.extensions import db
from sbo.mail import OutboxMessage
from sbo.audit import log_action
from sbo.staff.moderation_services import send_moderation_digest
from sbo.staff.models import StaffUser
from sbo.staff.export import cell
from tests.factories import make_article, make_comment, make_staff
from tests.staff.helpers import login

WINTER = (datetime(2025, 12, 4, 8, 4), "4 december 2025 om 09:04", "2025-12-04T09:04+01:00")
SUMMER = (datetime(2026, 7, 3, 8, 4), "3 juli 2026 om 10:04", "2026-07-03T10:04+02:00")
MOMENTS = pytest.mark.parametrize("moment, shown, iso", [WINTER, SUMMER], ids=["winter", "summer"])


def test_today_is_the_dutch_date_not_the_utc_one():
    assert today(datetime(2026, 6, 30, 23, 30)) == date(2026, 7, 1)  # 01:30 CEST
    assert today(datetime(2026, 12, 31, 22, 59)) == date(2026, 12, 31)  # 23:59 CET
    assert today(datetime(2026, 12, 31, 23, 0)) == date(2027, 1, 1)


@pytest.fixture
def admin(setup_data, client):
    with setup_data():
        make_staff("admin", email="beheer@sbo.example")
    assert login(client, "beheer@sbo.example").status_code == 302
    return client


@MOMENTS
def test_the_public_comment_list_shows_dutch_time(setup_data, client, moment, shown, iso):
    with setup_data():
        article = make_article(title="Wijkaanpak", published_at=datetime(2025, 11, 1, 8, 0))
        make_comment(article, now=moment, body="Mooi stuk.")
        slug = article.slug
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    assert "Mooi stuk." in html
    assert shown in html
    assert f'datetime="{iso}"' in html
    assert "om 08:04" not in html


@MOMENTS
def test_the_staff_comment_pages_and_dashboard_show_dutch_time(setup_data, admin, moment, shown, iso):
    with setup_data():
        article = make_article(title="Wijkaanpak", published_at=datetime(2025, 11, 1, 8, 0))
        comment_id = make_comment(article, status="pending", now=moment).id
    for url in ("/beheer/", "/beheer/reacties", f"/beheer/reacties/{comment_id}"):
        html = admin.get(url).get_data(as_text=True)
        assert shown in html, url
        assert "om 08:04" not in html, url


@MOMENTS
def test_the_audit_log_shows_dutch_time(app, admin, moment, shown, iso):
    with app.app_context():
        actor = db.session.scalars(select(StaffUser)).first()
        log_action("theme.created", "theme", 1, actor=actor, data={"name": "Thema Jeugd"}).created_at = moment
        db.session.commit()
    html = admin.get("/beheer/logboek").get_data(as_text=True)
    assert "Thema Jeugd" in html
    assert shown in html
    assert "om 08:04" not in html


@MOMENTS
def test_the_moderator_mail_gives_the_time_in_dutch_time(app, moment, shown, iso):
    with app.app_context():
        make_staff("moderator", email="mo@sbo.example")
        article = make_article(title="Wijkaanpak", published_at=datetime(2025, 11, 1, 8, 0))
        make_comment(article, status="pending", now=moment)
        assert send_moderation_digest() == 1
        db.session.commit()
        mail = db.session.scalars(select(OutboxMessage)).one()
    assert f"ontvangen {shown}" in mail.body_text


def test_a_moment_late_in_the_evening_is_shown_on_its_dutch_day(setup_data, client):
    """23:30 UTC on 30 June is 1 July in Utrecht: the article date and the CSV cell agree."""
    with setup_data():
        slug = make_article(title="Zomerartikel", published_at=datetime(2026, 6, 30, 23, 30)).slug
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    assert '<time datetime="2026-07-01">1 juli 2026</time>' in html
    assert cell(datetime(2026, 6, 30, 23, 30)) == "01-07-2026"


def test_dutch_datetime_matches_babel_in_every_month():
    """dutch_datetime formats by hand (speed, issue 18): the same text as babel's pattern."""
    from datetime import datetime

    from babel.dates import format_datetime

    from sbo.clock import LOCAL_TZ, local
    from sbo.filters import dutch_datetime

    for month in range(1, 13):
        for moment in (datetime(2026, month, 1, 0, 5), datetime(2027, month, 28, 22, 59)):
            expected = format_datetime(local(moment), "d MMMM y 'om' HH:mm", tzinfo=LOCAL_TZ, locale="nl_NL")
            assert dutch_datetime(moment) == expected


def test_dutch_date_and_time_by_hand_match_babel():
    """The common date formats and the time of day are written by hand (issue 18): the same
    text as babel's patterns, for dates, for stored moments (in Dutch time) and for times."""
    from datetime import time

    from babel.dates import format_date, format_datetime, format_time

    from sbo.clock import LOCAL_TZ, local
    from sbo.filters import dutch_date, dutch_time

    for month in range(1, 13):
        for day in (date(2026, month, 1), date(2027, month, 28)):
            for fmt in ("d MMMM y", "MMMM y", "EEEE d MMMM y"):
                assert dutch_date(day, fmt) == format_date(day, fmt, locale="nl_NL")
        for moment in (datetime(2026, month, 1, 0, 5), datetime(2027, month, 28, 22, 59)):
            for fmt in ("d MMMM y", "MMMM y", "d MMM"):
                assert dutch_date(moment, fmt) == format_datetime(local(moment), fmt, tzinfo=LOCAL_TZ, locale="nl_NL")
            assert dutch_time(moment) == format_datetime(local(moment), "HH:mm", tzinfo=LOCAL_TZ, locale="nl_NL")
    for clock_time in (time(0, 0), time(9, 5), time(16, 30), time(23, 59)):
        assert dutch_time(clock_time) == format_time(clock_time, "HH:mm", locale="nl_NL")
    assert dutch_date(None) == dutch_time(None) == ""
