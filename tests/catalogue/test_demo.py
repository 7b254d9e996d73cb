"""`flask seed-demo`: the catalogue demo content, idempotent and always upcoming."""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sbo import clock
from sbo.catalogue.models import Edition, EditionStatus, Offering, SessionDate, Theme
from sbo.catalogue import demo
from sbo.catalogue.demo_data import OFFERINGS
from sbo.clock import is_working_day, public_holidays, to_local
from sbo.extensions import db
from sbo.news.models import Article

SEED = Path("/work/shared/seed/000_91daf931a73bcb7f.txt")


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Theme, Offering, Edition, SessionDate))


def test_seed_demo_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = counts(app)
    assert after_first[:2] == (9, 18)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "(0 new records)" in second.output
    assert counts(app) == after_first


def test_demo_content_is_complete_and_upcoming(app, runner, client):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        offerings = db.session.scalars(select(Offering)).all()
        assert {o.type for o in offerings} == {"cursus", "opleiding", "jaaropleiding", "congres"}
        for o in offerings:
            assert 60 <= len(o.teaser) <= 200 and o.teaser.endswith((".", "?"))
            assert all((o.description, o.learning_outcomes, o.audience, o.programme_items, o.trainers, o.duration))
            assert all(t.bio for t in o.trainers) and all(i.start_time for i in o.programme_items)
            assert o.themes and 1 <= len(o.editions) <= 3
        # upcoming, but for the one past course whose attendance the demo shows (sbo/attendance/demo.py)
        past = [(o.slug, len(e.sessions)) for o in offerings for e in o.editions if e.start_date < clock.today()]
        assert past == [("bibob-coordinator", 2)]
        statuses = [e.status for o in offerings for e in o.editions]
        assert statuses.count(EditionStatus.VOL) == 1 and statuses.count(EditionStatus.GEANNULEERD) == 1
        assert any(len(e.sessions) > 1 for o in offerings for e in o.editions)
        assert any(e.online for o in offerings for e in o.editions)
    assert client.get("/aanbod/coordinator-evenementenveiligheid").status_code == 200


def test_demo_titles_follow_the_meer_weten_list(app, runner):
    if not SEED.exists():
        pytest.skip(f"{SEED} not available")
    text = SEED.read_text().replace("\xa0", " ")
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        titles = db.session.scalars(select(Offering.title)).all()
    for title in titles:
        assert title.lower() in text.lower(), title
    assert len(re.findall(r"^Tijdens |tijdens het congres", text.split("Meer weten?")[1].split("Over sbo")[0], re.M)) == 18


def test_reindex_search_command(app, runner, client):
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["reindex-search"])
    assert result.exit_code == 0 and "18 offerings indexed." in result.output
    assert "Coördinator Evenementenveiligheid" in client.get("/aanbod?q=coordinator").get_data(as_text=True)


def test_the_dutch_public_holidays():
    assert {d.isoformat() for d in public_holidays(2027)} == {
        "2027-01-01", "2027-03-26", "2027-03-28", "2027-03-29", "2027-04-27", "2027-05-05",
        "2027-05-06", "2027-05-16", "2027-05-17", "2027-12-25", "2027-12-26"}
    assert date(2025, 4, 26) in public_holidays(2025)  # King's Day on a Saturday when the 27th is a Sunday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 5, 14))  # Ascension Day
    assert not is_working_day(date(2026, 12, 5))  # a Saturday
    assert is_working_day(date(2026, 12, 4))


def test_demo_sessions_fall_on_working_days_whatever_the_day_of_seeding():
    """Every edition of the demo, seeded on any day of two years: never a weekend, a public
    holiday or the Christmas break, and never two sessions on one day."""
    plans = {(offset, sessions, options.get("interval", 7))
             for data in OFFERINGS for offset, _city, sessions, options in data["editions"]}
    today = date(2026, 1, 1)
    while today < date(2028, 1, 1):
        for offset, sessions, interval in plans:
            days = demo.session_days(today + timedelta(days=offset), sessions, interval)
            assert len(days) == sessions and days == sorted(set(days))
            for day in days:
                assert demo.teaching_day(day), (today, offset, day)
        today += timedelta(days=1)


def test_a_demo_seeded_before_christmas_starts_nothing_on_a_holiday(app):
    """Seeded on 11 December 2026, two editions were planned for 25 December and 1 January."""
    with app.app_context():
        demo.seed(today=date(2026, 12, 11))
        db.session.commit()
        starts = db.session.scalars(select(Edition.start_date)).all()
        days = db.session.scalars(select(SessionDate.day)).all()
    assert len(starts) > 20
    for day in [*starts, *days]:
        assert day.weekday() < 5 and day not in public_holidays(day.year), day
        assert not (day.month == 12 and day.day >= 24), day


def test_demo_teasers_are_varied(app, runner):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        offerings = db.session.scalars(select(Offering)).all()
    openings = [" ".join(o.teaser.split()[:2]).lower() for o in offerings]
    assert len(set(openings)) == len(openings), openings
    for o in offerings:
        assert not o.teaser.lower().startswith("tijdens"), o.teaser
        assert o.title.lower() not in o.teaser.lower(), o.teaser


REGISTERS = ("Registerplein", "SKJ", "NOvA", "Kwaliteitsregister V&VN", "BOA-register", "Register Integriteit")


def test_many_demo_offerings_are_accredited_as_the_about_page_says(app, runner, client):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        offerings = db.session.scalars(select(Offering)).all()
        courses = {o.slug: {a.register.short_name: a.points for a in o.accreditations} for o in offerings}
        # the free text became accreditations per register
        assert not any(o.accreditation for o in offerings)
    accredited = [slug for slug, registers in courses.items() if registers]
    assert len(accredited) >= 10 and len(accredited) > len(offerings) / 2
    assert {name for registers in courses.values() for name in registers} >= set(REGISTERS)
    assert courses["bibob-coordinator"] == {"NOvA": 20, "Register Integriteit": 16}  # lawyers' points for a legal course
    assert "SKJ" in courses["aanpak-van-jeugdcriminaliteit-en-jeugdgroepen"]  # youth workers' register
    about = client.get("/over-sbo").get_data(as_text=True)
    assert "geaccrediteerd" in about and "Registerplein" in about and "NOvA" in about
    page = client.get("/aanbod/bibob-coordinator").get_data(as_text=True)
    assert "Accreditatie" in page and "Nederlandse Orde van Advocaten: 20 punten" in page
    assert "Register Integriteit: 16 punten" in page


def test_demo_articles_appear_at_nine_on_a_working_day(app, runner):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        moments = db.session.scalars(select(Article.published_at)).all()
    assert len(moments) >= 6
    for moment in moments:
        shown = to_local(moment)
        assert shown.time() == time(9, 0) and is_working_day(shown.date()), shown
