"""Certificates per edition in /beheer: editors only; who qualifies, issuing, regenerating and
withdrawing (with a reason, CSRF); the points CSV per register and who lacks a number."""
from __future__ import annotations

import csv
import io

from sbo.certificates.models import Certificate
from sbo.certificates.services import issue
from sbo.extensions import db
from tests.certificates.data import past_course
from tests.staff.helpers import audit_actions


def _course(setup_data, issued: bool = True):
    with setup_data():
        course = past_course()
        certificate = issue(course.anna) if issued else None
    return course, certificate


def test_only_editors_and_up_see_the_certificates(app, client, logged_in, setup_data):
    course, certificate = _course(setup_data)
    urls = [f"/beheer/edities/{course.edition.id}/certificaten",
            f"/beheer/edities/{course.edition.id}/punten/{course.nova.id}.csv",
            f"/beheer/certificaten/{certificate.id}.pdf",
            f"/beheer/certificaten/{certificate.id}/intrekken"]
    for url in urls:
        assert client.get(url).status_code == 302, url  # to the login page
    moderator, _ = logged_in("moderator")
    for url in urls:
        assert moderator.get(url).status_code == 403, url
    editor, _ = logged_in("editor")
    for url in urls:
        assert editor.get(url).status_code == 200, url
    assert editor.post(f"/beheer/certificaten/{certificate.id}/opnieuw").status_code == 400  # no CSRF token


def test_the_page_shows_who_qualifies_and_what_was_issued(app, logged_in, setup_data):
    course, certificate = _course(setup_data)
    editor, _ = logged_in("editor")
    html = editor.get(f"/beheer/edities/{course.edition.id}/certificaten").get_data(as_text=True)
    assert "3</span> bevestigde deelnemers" in html
    assert "2</span> voldoen aan de aanwezigheidseis" in html
    assert "1</span> certificaten uitgegeven" in html
    assert html.count("Niet voldaan") == 1  # Bert, one day of two
    assert "Uitgegeven</span> op" in html and "nog niet gemaild" in html
    assert f"/beheer/edities/{course.edition.id}/certificaten" in editor.get(
        f"/beheer/edities/{course.edition.id}").get_data(as_text=True)  # linked from the edition


def test_issuing_regenerating_and_withdrawing(app, logged_in, setup_data, post_form):
    course, certificate = _course(setup_data)
    editor, _ = logged_in("editor")
    page = f"/beheer/edities/{course.edition.id}/certificaten"
    response = post_form(editor, f"{page}/uitgeven", {}, page=page)
    assert response.status_code == 303
    assert "1 certificaat uitgegeven." in editor.get(page).get_data(as_text=True)  # Carla's

    response = post_form(editor, f"/beheer/certificaten/{certificate.id}/opnieuw", {}, page=page)
    assert response.status_code == 303
    assert "opnieuw gemaakt (versie 2)" in editor.get(page).get_data(as_text=True)

    withdraw = f"/beheer/certificaten/{certificate.id}/intrekken"
    response = post_form(editor, withdraw, {"reason": "   "})
    assert response.status_code == 422 and "Vul de reden in." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Certificate, certificate.id).withdrawn_at is None
    response = post_form(editor, withdraw, {"reason": "Dubbel geregistreerd"})
    assert response.status_code == 303
    html = editor.get(page).get_data(as_text=True)
    assert "is ingetrokken" in html and "Dubbel geregistreerd" in html
    with app.app_context():
        assert db.session.get(Certificate, certificate.id).withdrawn_reason == "Dubbel geregistreerd"
    assert audit_actions(app, "certificate", certificate.id) == [
        "certificate.issued", "certificate.regenerated", "certificate.withdrawn"]


def test_points_csv_per_register_and_who_lacks_a_number(app, logged_in, setup_data):
    course, _ = _course(setup_data, issued=False)
    editor, _ = logged_in("editor")
    response = editor.get(f"/beheer/edities/{course.edition.id}/punten/{course.nova.id}.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "punten-nova-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    last_day = course.edition.sessions[-1].day.strftime("%d-%m-%Y")
    slug = course.edition.offering.slug
    assert rows == [
        ["Registratienummer", "Achternaam", "Voornaam", "E-mailadres", "Datum", "Punten", "Opleiding", "Cursuscode"],
        ["", "Bos", "Carla", "carla@gemeente.example", last_day, "8", "Bibob in de praktijk", slug],
        ["123456", "de Vries", "Anna", "anna@gemeente.example", last_day, "8", "Bibob in de praktijk", slug],
    ]  # Bert attended one day of two: not in it
    boa = editor.get(f"/beheer/edities/{course.edition.id}/punten/{course.boa.id}.csv").data.decode("utf-8-sig")
    assert ";6;" in boa
    assert editor.get(f"/beheer/edities/{course.edition.id}/punten/999999.csv").status_code == 404

    html = editor.get(f"/beheer/edities/{course.edition.id}/certificaten").get_data(as_text=True)
    nova = html.split("Aanwezig zonder registratienummer bij NOvA:")[1].split("</ul>")[0]
    assert "Carla Bos" in nova and "Anna" not in nova
    boa_list = html.split("Aanwezig zonder registratienummer bij BOA:")[1].split("</ul>")[0]
    assert "Carla Bos" in boa_list and "Anna de Vries" in boa_list and "Bert" not in boa_list
