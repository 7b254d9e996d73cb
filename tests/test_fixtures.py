"""The shared fixtures do what tests/conftest.py says: setup_data commits (and only without an
error), what it built stays readable, app_ctx pushes a context, outbox reads committed mail."""
from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import func, select

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
