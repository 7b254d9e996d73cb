"""/beheer/privacy: an administrator handles a request by letter or phone (overview, export,
erasure); each step is in the audit log without the address; other roles are refused."""
from __future__ import annotations

import json

from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.enrolment.models import Enrolment, EnrolmentStatus, InterestRegistration
from sbo.extensions import db
from sbo.news.models import Comment
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

ADDRESS = "kees@provincie.example"


def held(app):
    with app.app_context():
        offering = make_offering(title="Omgevingsrecht")
        make_enrolment(make_edition(offering), email=ADDRESS, first_name="Kees")
        db.session.add(InterestRegistration(offering=offering, name="Kees", email=ADDRESS, status="active"))
        make_comment(make_article(title="Participatie"), author_email=ADDRESS, body="Mooi verhaal.")
        db.session.commit()


def look_up(client, email=ADDRESS):
    page = client.get("/beheer/privacy")
    assert page.status_code == 200
    return client.post("/beheer/privacy", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                "email": email})


def test_admin_sees_exports_and_erases_without_the_address_in_the_log(app, logged_in):
    held(app)
    client, _ = logged_in("admin")
    assert 'href="/beheer/privacy"' in client.get("/beheer/").get_data(as_text=True)
    page = look_up(client, ADDRESS.upper())
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Omgevingsrecht" in html and "Mooi verhaal." in html
    assert "Je inschrijving voor Omgevingsrecht" in html and "wordt geannuleerd: kosteloos." in html

    token = csrf_from(html)
    exported = client.post("/beheer/privacy/gegevens.json", data={"csrf_token": token, "email": ADDRESS})
    assert exported.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.get_data(as_text=True))
    assert data["gegevens"]["Reacties"][0]["tekst"] == "Mooi verhaal."
    csv = client.post("/beheer/privacy/gegevens.csv", data={"csrf_token": token, "email": ADDRESS})
    assert "onderdeel,nummer,veld,waarde" in csv.get_data(as_text=True)

    response = client.post("/beheer/privacy/verwijderen",
                           data={"csrf_token": token, "email": ADDRESS, "comment_text": "keep"})
    assert response.status_code == 303 and response.headers["Location"] == "/beheer/privacy"
    assert "De gegevens zijn verwijderd." in client.get("/beheer/privacy").get_data(as_text=True)
    with app.app_context():
        [enrolment] = db.session.scalars(select(Enrolment))
        assert enrolment.status == EnrolmentStatus.CANCELLED and enrolment.email.startswith("anoniem-")
        assert db.session.scalars(select(InterestRegistration)).all() == []
        [comment] = db.session.scalars(select(Comment))
        assert (comment.author_name, comment.author_email, comment.body) == ("Anoniem", "", "Mooi verhaal.")
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "personal_data")
                                     .order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["personal_data.viewed", "personal_data.exported",
                                               "personal_data.exported", "personal_data.erased"]
        assert all(e.actor_id is not None for e in entries)
        assert entries[-1].data["via"] == "staff" and entries[-1].data["counts"]["enrolment_cancelled"] == 1
        assert all("kees" not in json.dumps(e.data).lower() for e in db.session.scalars(select(AuditEntry)))
    log = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Persoonsgegevens verwijderd" in log and ADDRESS not in log
    # the address appears in no URL: every step is a POST
    assert client.get("/beheer/privacy/verwijderen").status_code == 405


def test_a_bad_address_is_an_error_at_the_field(app, logged_in):
    client, _ = logged_in("admin")
    response = look_up(client, "geen-adres")
    assert response.status_code == 422


def test_only_admins(app, logged_in):
    for role in ("moderator", "editor"):
        client, _ = logged_in(role)
        assert client.get("/beheer/privacy").status_code == 403
        assert 'href="/beheer/privacy"' not in client.get("/beheer/").get_data(as_text=True)
