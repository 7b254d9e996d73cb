"""The staff queue /beheer/maatwerk: only editors and admins; a status filter; the detail with
status, owner and notes, each change in the audit log without personal data; the CSV export."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.extensions import db
from sbo.incompany.models import IncompanyNote, IncompanyRequest, RequestStatus
from tests.helpers import csrf_from
from tests.factories import make_offering, make_staff
from tests.incompany.helpers import make_request

PERSONAL = ("Gemeente Utrecht", "Sanne", "sanne@gemeente.example", "030 123", "Kunnen jullie",
            "Utrecht", "vertrouwelijk")

PAGES = [("GET", "/beheer/maatwerk"), ("GET", "/beheer/maatwerk?status=new"),
         ("GET", "/beheer/maatwerk/{id}"), ("GET", "/beheer/maatwerk.csv"),
         ("POST", "/beheer/maatwerk/{id}"), ("POST", "/beheer/maatwerk/{id}/notitie")]


def _post(client, url: str, data: dict, page: str):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _entries(app, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        entries = db.session.scalars(query).all()
        db.session.expunge_all()
        return entries


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_anonymous_is_sent_to_login(client, a_request, method, path):
    url = path.format(id=a_request)
    response = client.get(url) if method == "GET" else _post(client, url, {}, "/beheer/login")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/beheer/login"
    assert "next=" in urlsplit(response.location).query


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_a_moderator_may_not_open_the_queue(app, logged_in, a_request, method, path):
    client, _ = logged_in("moderator")
    url = path.format(id=a_request)
    response = client.get(url) if method == "GET" else _post(client, url, {}, "/beheer/")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(IncompanyRequest, a_request).status == RequestStatus.NEW


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_see_the_queue_in_their_navigation(logged_in, a_request, role):
    client, _ = logged_in(role)
    dashboard = client.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/maatwerk"' in dashboard
    response = client.get("/beheer/maatwerk")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Gemeente Utrecht" in response.get_data(as_text=True)
    assert client.get(f"/beheer/maatwerk/{a_request}").status_code == 200


def test_the_moderators_navigation_has_no_queue(logged_in):
    client, _ = logged_in("moderator")
    assert 'href="/beheer/maatwerk"' not in client.get("/beheer/").get_data(as_text=True)


def test_an_unknown_request_is_404(logged_in):
    client, _ = logged_in("editor")
    assert client.get("/beheer/maatwerk/999").status_code == 404


def test_the_list_filters_by_status(app, logged_in):
    with app.app_context():
        offering = make_offering(title="Omgevingswet in de praktijk")
        make_request(organisation="Waterschap Rivierenland", status=RequestStatus.NEW)
        make_request(organisation="Provincie Gelderland", status=RequestStatus.QUOTE_SENT, offering=offering)
        db.session.commit()
    client, _ = logged_in("editor")
    everything = client.get("/beheer/maatwerk").get_data(as_text=True)
    assert "Waterschap Rivierenland" in everything and "Provincie Gelderland" in everything
    assert "Omgevingswet in de praktijk" in everything and "2 aanvragen" in everything
    quoted = client.get("/beheer/maatwerk?status=quote_sent").get_data(as_text=True)
    assert "Provincie Gelderland" in quoted and "Waterschap Rivierenland" not in quoted
    assert 'aria-current="page">Offerte verstuurd' in quoted
    assert "Geen aanvragen met de status ‘akkoord’." in client.get(
        "/beheer/maatwerk?status=accepted").get_data(as_text=True)
    # an unknown status shows everything rather than an error
    assert "Waterschap Rivierenland" in client.get("/beheer/maatwerk?status=zomaar").get_data(as_text=True)


def test_the_detail_shows_the_request(app, logged_in, a_request):
    client, _ = logged_in("editor")
    html = client.get(f"/beheer/maatwerk/{a_request}").get_data(as_text=True)
    for text in ("Aanvraag van Gemeente Utrecht", "Sanne de Vries", "sanne@gemeente.example",
                 "030 123 45 67", "voorjaar 2027", "Kunnen jullie dit voor ons team verzorgen?"):
        assert text in html, text


def test_status_and_owner_change_are_stored_and_audited(app, logged_in, a_request):
    client, user_id = logged_in("editor")
    with app.app_context():
        colleague = make_staff("admin", name="Bram Beheer")
        db.session.commit()
        colleague_id = colleague.id
    page = f"/beheer/maatwerk/{a_request}"
    response = _post(client, page, {"status": "quote_sent", "owner": str(colleague_id)}, page)
    assert response.status_code == 303 and response.location.endswith(page)
    assert "De aanvraag is bijgewerkt." in client.get(page).get_data(as_text=True)
    with app.app_context():
        request = db.session.get(IncompanyRequest, a_request)
        assert request.status == RequestStatus.QUOTE_SENT and request.owner_id == colleague_id
        assert request.updated_at >= request.created_at
    [status] = _entries(app, "incompany.status_changed")
    [owner] = _entries(app, "incompany.owner_changed")
    assert (status.object_type, status.object_id, status.actor_id) == ("incompany_request", a_request, user_id)
    assert status.data == {"from": "new", "to": "quote_sent"}
    assert owner.data == {"from": None, "to": colleague_id}
    html = client.get(page).get_data(as_text=True)
    assert "Nieuw → Offerte verstuurd" in html  # the history on the detail page

    # the same values again: nothing changes, nothing is logged
    _post(client, page, {"status": "quote_sent", "owner": str(colleague_id)}, page)
    assert len(_entries(app, "incompany.status_changed")) == 1
    assert len(_entries(app, "incompany.owner_changed")) == 1
    # back to nobody
    _post(client, page, {"status": "quote_sent", "owner": ""}, page)
    assert _entries(app, "incompany.owner_changed")[-1].data == {"from": colleague_id, "to": None}


@pytest.mark.parametrize(("data", "message"), [
    ({"status": "misschien", "owner": ""}, "Kies een status uit de lijst."),
    ({"status": "accepted", "owner": "999"}, "Kies een behandelaar uit de lijst."),
])
def test_a_bad_status_or_owner_is_refused(app, logged_in, a_request, data, message):
    client, _ = logged_in("editor")
    page = f"/beheer/maatwerk/{a_request}"
    response = _post(client, page, data, page)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(IncompanyRequest, a_request).status == RequestStatus.NEW
    assert [e for e in _entries(app) if e.action.startswith("incompany.")] == []


def test_a_moderator_cannot_be_made_owner(app, logged_in, a_request):
    with app.app_context():
        moderator_id = make_staff("moderator").id
        db.session.commit()
    client, _ = logged_in("editor")
    page = f"/beheer/maatwerk/{a_request}"
    assert _post(client, page, {"status": "new", "owner": str(moderator_id)}, page).status_code == 422


def test_notes_are_stored_and_audited_without_their_text(app, logged_in, a_request):
    client, user_id = logged_in("admin")
    page = f"/beheer/maatwerk/{a_request}"
    note = "Gebeld met Sanne: budget is vertrouwelijk, offerte voor 14 personen."
    response = _post(client, f"{page}/notitie", {"body": note}, page)
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert note in html and "De notitie is toegevoegd." in html
    with app.app_context():
        [stored] = db.session.scalars(select(IncompanyNote)).all()
        assert (stored.request_id, stored.author_id, stored.body) == (a_request, user_id, note)
    [entry] = _entries(app, "incompany.note_added")
    assert entry.data == {"note_id": stored.id}

    response = _post(client, f"{page}/notitie", {"body": "   "}, page)
    assert response.status_code == 422 and "Vul de notitie in." in response.get_data(as_text=True)
    assert len(_entries(app, "incompany.note_added")) == 1


def test_audit_entries_hold_no_personal_data(app, logged_in, a_request):
    client, _ = logged_in("admin")
    page = f"/beheer/maatwerk/{a_request}"
    _post(client, page, {"status": "in_progress", "owner": ""}, page)
    _post(client, f"{page}/notitie", {"body": "Sanne belt terug, vertrouwelijk"}, page)
    client.get("/beheer/maatwerk.csv")
    entries = [e for e in _entries(app) if e.action.startswith("incompany.")]
    assert {e.action for e in entries} == {"incompany.status_changed", "incompany.note_added",
                                           "incompany.exported"}
    dumped = json.dumps([e.data for e in entries])
    for text in PERSONAL:
        assert text not in dumped, text
    log = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Status van aanvraag gewijzigd" in log and "Nieuw → In behandeling" in log
    assert f'href="/beheer/maatwerk/{a_request}"' in log


def test_csv_export(app, logged_in):
    with app.app_context():
        offering = make_offering(title="Omgevingswet in de praktijk")
        owner = make_staff("editor", name="Eva Redacteur")
        make_request(organisation="=HYPERLINK(\"http://x\")", status=RequestStatus.ACCEPTED,
                     offering=offering, owner_id=owner.id, question="Regel 1\nRegel 2")
        make_request(organisation="Provincie Gelderland", status=RequestStatus.DECLINED)
        db.session.commit()
    client, user_id = logged_in("editor")
    response = client.get("/beheer/maatwerk.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="maatwerk-aanvragen.csv"' in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nummer", "Status", "Ontvangen op"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1]))
    assert first["Status"] == "Akkoord" and first["Opleiding"] == "Omgevingswet in de praktijk"
    assert first["Organisatie"].startswith("'=")  # no formula in Excel
    assert first["E-mailadres"] == "sanne@gemeente.example" and first["Behandelaar"] == "Eva Redacteur"
    assert first["Vraag"] == "Regel 1\nRegel 2" and first["Aantal deelnemers"] == "14"
    assert dict(zip(rows[0], rows[2]))["Opleiding"] == "Maatwerk"

    filtered = client.get("/beheer/maatwerk.csv?status=declined")
    assert 'filename="maatwerk-aanvragen-declined.csv"' in filtered.headers["Content-Disposition"]
    assert "Provincie Gelderland" in filtered.get_data(as_text=True)
    assert "HYPERLINK" not in filtered.get_data(as_text=True)

    entries = _entries(app, "incompany.exported")
    assert [e.data for e in entries] == [{"rows": 2, "status": None}, {"rows": 1, "status": "declined"}]
    assert entries[0].actor_id == user_id


def test_the_dashboard_counts_new_requests_for_handlers_only(app, logged_in):
    with app.app_context():
        make_request()
        make_request(status=RequestStatus.IN_PROGRESS)
        db.session.commit()
    editor, _ = logged_in("editor")
    html = editor.get("/beheer/").get_data(as_text=True)
    assert "1 nieuwe aanvraag voor maatwerk of in-company." in html
    assert 'href="/beheer/maatwerk?status=new"' in html
    moderator, _ = logged_in("moderator")
    assert "nieuwe aanvraag" not in moderator.get("/beheer/").get_data(as_text=True)
