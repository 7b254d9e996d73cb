"""The incompany provider: a request and its notes are deleted RETENTION_DAYS["incompany_request"]
after the last change (clock moved forward), and /mijn-gegevens exports a requester's requests."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sbo import personal_data
from sbo.clock import utcnow
from sbo.extensions import db
from sbo.incompany.models import IncompanyNote, IncompanyRequest
from tests.factories import make_offering
from tests.incompany.helpers import make_request


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_requests_are_deleted_after_the_period_since_their_last_change(app, app_ctx):
    period = timedelta(days=app.config["RETENTION_DAYS"]["incompany_request"])
    now = utcnow()
    old = make_request(updated_at=now - period - timedelta(minutes=1))
    db.session.add(IncompanyNote(request_id=old.id, body="Offerte gestuurd"))
    recent = make_request(email="recent@gemeente.example", updated_at=now - period + timedelta(days=1))
    db.session.commit()

    assert personal_data.purge(now)["incompany_request"] == 1
    db.session.commit()
    assert db.session.scalars(select(IncompanyRequest.id)).all() == [recent.id]
    assert _count(IncompanyNote) == 0
    assert personal_data.purge(now)["incompany_request"] == 0


def test_the_period_is_on_the_privacy_page(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert 'data-kind="incompany_request">2 jaar na de laatste wijziging<' in html


def test_export_gives_the_requests_of_an_address(app_ctx):
    make_request(offering=make_offering(title="Omgevingswet in de praktijk"), email="Sanne@Gemeente.example")
    make_request(email="iemand@anders.example")
    db.session.commit()
    sections = personal_data.export("sanne@gemeente.example")
    [row] = sections["In-company-aanvragen"]
    assert row["opleiding"] == "Omgevingswet in de praktijk" and row["organisatie"] == "Gemeente Utrecht"
    assert row["vraag"] == "Kunnen jullie dit voor ons team verzorgen?" and row["status"] == "Nieuw"
    assert row["deelnemers"] == "14"


def test_erasure_deletes_the_requests_of_that_address_and_their_notes(app_ctx):
    mine = make_request(email="Sanne@Gemeente.example")
    db.session.add(IncompanyNote(request_id=mine.id, body="Gebeld"))
    other = make_request(email="ander@gemeente.example")
    db.session.commit()

    plan = personal_data.plan("sanne@gemeente.example")
    assert "Je in-company-aanvraag wordt verwijderd, met de notities die we erbij maakten." in plan.actions
    counts = personal_data.erase("sanne@gemeente.example", keep_comment_text=True, via="link")
    db.session.commit()
    assert counts["incompany_requests"] == 1
    assert db.session.scalars(select(IncompanyRequest.id)).all() == [other.id]
    assert _count(IncompanyNote) == 0
