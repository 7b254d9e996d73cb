"""The shared fixtures do what tests/conftest.py says: setup_data commits (and only without an
error), what it built stays readable, app_ctx pushes a context, outbox reads committed mail.
Fixtures live in conftest.py files, plain helpers in helpers.py files, and nothing imports a
conftest."""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.routing import Rule

from sbo import clock
from sbo.catalogue.models import Offering
from sbo.extensions import db
from sbo.mail import queue_mail
from tests.factories import make_edition, make_offering


def offering_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Offering))


def test_setup_data_commits_and_what_it_built_stays_readable(app, setup_data, client):
    with setup_data():
        edition = make_edition(make_offering(slug="gezien", title="Gezien"))
    assert edition.id and edition.offering.slug == "gezien"  # outside any app context
    assert "Gezien" in client.get("/aanbod/gezien").get_data(as_text=True)
    assert offering_count(app) == 1


def test_setup_data_commits_nothing_on_an_error(app, setup_data):
    with pytest.raises(RuntimeError), setup_data():
        make_offering()
        raise RuntimeError("half-built")
    assert offering_count(app) == 0


def test_app_ctx_runs_the_test_in_an_app_context(app, app_ctx):
    assert app_ctx is app and current_app._get_current_object() is app


def test_outbox_reads_the_committed_mail_also_inside_a_context(app, app_ctx, outbox):
    queue_mail("een@example.org", "Eerste", "tekst")
    queue_mail("twee@example.org", "Tweede", "tekst")
    assert outbox() == []  # not committed yet
    db.session.commit()
    assert [m.subject for m in outbox()] == ["Eerste", "Tweede"]
    assert [m.subject for m in outbox("twee@example.org")] == ["Tweede"]


def test_shared_url_builders_build_what_werkzeug_compiles_for_each_rule(make_app):
    """tests/helpers.share_url_builders: the apps share each rule's builders, and every rule of
    the site builds the same URL with them as with builders Werkzeug compiles for it alone."""
    first, second = make_app(), make_app()
    compile_alone = Rule._compile_builder.original
    rules = list(first.url_map.iter_rules())
    assert len(rules) > 150
    for rule, other in zip(rules, second.url_map.iter_rules()):
        assert rule.rule == other.rule and rule._build.__func__ is other._build.__func__
        values = {name: 7 for name in rule.arguments if name not in (rule.defaults or {})}
        if rule.endpoint == "static":
            values["filename"] = "css/site b.css"
        alone, alone_unknown = compile_alone(rule, False), compile_alone(rule, True)
        assert rule._build(**values) == alone.__get__(rule)(**values)
        assert rule._build_unknown(**values, q="a b&c") == alone_unknown.__get__(rule)(**values, q="a b&c")


def test_the_date_is_the_runs_while_the_clock_is_real(monkeypatch):
    """tests/helpers.pin_run_date: clock.today() keeps the date the run started with (the test
    modules built their data for it), and follows a test that moves the clock."""
    assert clock.today().isoformat() == os.environ["SBO_TEST_TODAY"]
    later = datetime(2031, 5, 4, 23, 30)  # UTC: already 5 May in the Netherlands
    assert clock.today(later) == date(2031, 5, 5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert clock.today() == date(2031, 5, 5)


def test_no_module_imports_a_conftest():
    tests = Path(__file__).parent
    offenders = [f"{path.relative_to(tests)}: {line.strip()}" for path in sorted(tests.rglob("*.py"))
                 for line in path.read_text().splitlines()
                 if re.match(r"\s*(from\s+\S*conftest\s+import|import\s+\S*conftest)", line)]
    assert offenders == [], "import helpers from a helpers.py, not from a conftest.py:\n" + "\n".join(offenders)
