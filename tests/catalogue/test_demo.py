"""`flask seed-demo`: the catalogue demo content, idempotent and always upcoming."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sbo.catalogue.models import Edition, EditionStatus, Offering, SessionDate, Theme
from sbo.extensions import db

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
            assert o.teaser.startswith("Tijdens ") and " je " in o.teaser
            assert all((o.description, o.learning_outcomes, o.audience, o.programme, o.speakers, o.duration))
            assert o.themes and 1 <= len(o.editions) <= 3
            assert all(e.start_date >= date.today() for e in o.editions)
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
