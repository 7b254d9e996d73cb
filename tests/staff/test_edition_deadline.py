"""Issue 17: staff set an edition's own enrolment deadline (optional, on or before the start)."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.catalogue.models import Edition
from sbo.extensions import db
from tests.factories import make_edition, make_offering


def _form(**overrides):
    data = {"dates": "14-04-2027\n07-04-2027", "start_time": "10:00", "end_time": "17:00",
            "venue": "Jaarbeurs", "city": "Utrecht", "capacity": "16", "price_override": "",
            "deadline": ""}
    data.update(overrides)
    return data


def _deadlines(app) -> list[date | None]:
    with app.app_context():
        return list(db.session.scalars(select(Edition.enrolment_deadline).order_by(Edition.id)))


def test_create_with_and_without_a_deadline(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering()
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering.id}/edities/nieuw"
    page = client.get(url).get_data(as_text=True)
    assert "Inschrijven kan tot en met" in page and "Leeg: 7 dagen voor de start." in page
    assert post_form(client, url, _form()).status_code == 302
    assert post_form(client, url, _form(deadline="31-03-2027")).status_code == 302
    assert post_form(client, url, _form(deadline="07-04-2027")).status_code == 302  # the start day itself
    assert _deadlines(app) == [None, date(2027, 3, 31), date(2027, 4, 7)]


def test_a_bad_deadline_is_refused_next_to_the_field(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering()
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering.id}/edities/nieuw"
    for deadline, message in [("08-04-2027", "De inschrijfdeadline mag niet na de startdatum liggen."),
                              ("31-02-2027", "31-02-2027 bestaat niet: februari 2027 heeft 28 dagen."),
                              ("volgende week", "‘volgende week’ is geen datum.")]:
        response = post_form(client, url, _form(deadline=deadline))
        html = response.get_data(as_text=True)
        assert response.status_code == 422, deadline
        assert f'<p class="field-error" id="deadline-error">{message}' in html, deadline
        field = re.search(r'<input[^>]*id="deadline"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field and "deadline-error" in field, field
    assert _deadlines(app) == []


def test_edit_shows_changes_and_clears_the_deadline(app, setup_data, logged_in, post_form):
    with setup_data():
        edition = make_edition(make_offering(), start_date=date(2027, 4, 7), enrolment_deadline=date(2027, 3, 20))
    client, _ = logged_in("editor")
    url = f"/beheer/edities/{edition.id}"
    assert 'value="20-03-2027"' in client.get(url).get_data(as_text=True)
    assert post_form(client, url, _form(deadline="25-03-2027")).status_code == 302
    assert _deadlines(app) == [date(2027, 3, 25)]
    assert post_form(client, url, _form(deadline="")).status_code == 302
    assert _deadlines(app) == [None]
    with app.app_context():
        changed = [entry.data["changed"] for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "edition.updated").order_by(AuditEntry.id))]
    assert all("enrolment_deadline" in names for names in changed)
    assert "inschrijfdeadline" in client.get(url).get_data(as_text=True)  # the edition's history
