"""The calendar file of an edition."""
from __future__ import annotations

from datetime import date, time

from sbo.catalogue.models import SessionDate
from sbo.enrolment.ics import escape, fold
from sbo.extensions import db
from tests.factories import make_edition, make_offering


def test_edition_downloads_as_calendar_with_every_session(app, client):
    with app.app_context():
        offering = make_offering(title="Toezicht; handhaving, en de Wet \\ Bibob", slug="bibob")
        edition = make_edition(offering, days=3, start_date=date(2027, 3, 12), venue="Hotel Zuid")
        edition.sessions[1].start_time = time(13, 0)
        db.session.commit()
        url = f"/aanbod/bibob/{edition.id}.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert 'attachment; filename="bibob-20270312.ics"' == response.headers["Content-Disposition"]
    body = response.get_data()
    lines = body.split(b"\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert lines[0] == b"BEGIN:VCALENDAR" and b"VERSION:2.0" in lines
    assert body.count(b"BEGIN:VEVENT") == 3 and body.count(b"DTSTAMP:") == 3
    assert len(set(line for line in lines if line.startswith(b"UID:"))) == 3
    assert b"TZID:Europe/Amsterdam" in lines
    assert b"DTSTART;TZID=Europe/Amsterdam:20270312T093000" in lines
    assert b"DTSTART;TZID=Europe/Amsterdam:20270319T130000" in lines
    unfolded = body.replace(b"\r\n ", b"")
    assert b"SUMMARY:Toezicht\\; handhaving\\, en de Wet \\\\ Bibob (dag 1 van 3)" in unfolded
    assert b"LOCATION:Hotel Zuid\\, Utrecht" in unfolded
    assert all(len(line) <= 75 for line in lines)


def test_escape_and_fold():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 60)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 60


def test_unknown_edition_is_404(app, client):
    with app.app_context():
        edition = make_edition(make_offering(slug="een"))
        db.session.commit()
        assert db.session.get(SessionDate, edition.sessions[0].id)
        edition_id = edition.id
    assert client.get(f"/aanbod/twee/{edition_id}.ics").status_code == 404
    assert client.get(f"/aanbod/een/{edition_id + 1}.ics").status_code == 404
