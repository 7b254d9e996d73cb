"""Certificates: only for who qualifies; the PDF says name, hours, points per register with the
registration number, and the code; regenerating and withdrawing."""
from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.certificates import document, queries, services
from sbo.certificates.models import Certificate
from sbo.enrolment.models import RegistrationNumber
from sbo.extensions import db
from tests.certificates.data import past_course

SCREENSHOTS = Path(__file__).resolve().parent.parent / "browser" / "screenshots"


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_only_who_met_the_attendance_requirement_gets_a_certificate(app_ctx):
    course = past_course()
    assert services.issue(course.anna).code
    assert services.issue(course.carla).code
    with pytest.raises(services.NotQualified):
        services.issue(course.bert)
    assert queries.of_enrolment(course.bert.id) is None
    assert services.issue_all(course.edition.id) == 0  # both who qualify have theirs
    codes = db.session.scalars(select(Certificate.code)).all()
    assert len(codes) == 2 and len(set(codes)) == 2
    assert all(queries.normalise_code(code) == code for code in codes)  # 24 base32 characters


def test_issuing_twice_gives_the_same_certificate(app_ctx):
    course = past_course()
    first = services.issue(course.anna)
    assert services.issue(course.anna) is first
    assert db.session.scalar(select(AuditEntry.data).where(AuditEntry.action == "certificate.issued")) == {
        "enrolment": course.anna.id}


def test_the_pdf_says_name_hours_points_per_register_and_code(app_ctx):
    course = past_course()
    certificate = services.issue(course.anna)
    data = document.render(certificate)
    text = _text(data)
    assert "Bewijs van deelname" in text
    assert "Anna de Vries" in text
    assert "Bibob in de praktijk" in text
    assert "14 uur aanwezig" in text
    assert "Nederlandse Orde van Advocaten" in text and "123456" in text
    assert "BOA-register" in text and "niet opgegeven" in text
    assert "SBO is bij NOvA bekend als opleider 4711." in text
    assert queries.display_code(certificate.code) in text
    lines = [line for line in text.splitlines() if "123456" in line]
    assert lines and lines[0].rstrip().endswith("8"), lines  # NOvA: 8 points, next to the number
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)
    assert reader.metadata.title == "Bewijs van deelname – Bibob in de praktijk"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = pypdfium2.PdfDocument(data)[0]
    page.render(scale=1.5).to_pil().save(SCREENSHOTS / "certificate-page1.png")


def test_regenerating_takes_todays_facts_under_the_same_code(app_ctx):
    course = past_course()
    certificate = services.issue(course.anna)
    code, old_hash = certificate.code, certificate.content_hash
    db.session.add(RegistrationNumber(enrolment_id=course.anna.id, register_id=course.boa.id, number="BOA1234"))
    course.anna.last_name = "de Vries-Bakker"
    db.session.flush()
    assert "BOA1234" not in _text(document.render(certificate))  # issued as it was

    services.regenerate(certificate)
    assert certificate.code == code and certificate.version == 2
    assert certificate.content_hash != old_hash
    text = _text(document.render(certificate))
    assert "Anna de Vries-Bakker" in text and "BOA1234" in text and "versie 2" in text


def test_withdrawing_keeps_the_reason_out_of_the_audit_log(app_ctx):
    course = past_course()
    certificate = services.issue(course.anna)
    services.withdraw(certificate, "Aanwezigheid bleek onjuist geregistreerd")
    assert certificate.withdrawn and certificate.withdrawn_reason == "Aanwezigheid bleek onjuist geregistreerd"
    with pytest.raises(services.AlreadyWithdrawn):
        services.withdraw(certificate, "nogmaals")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.withdrawn"))
    assert entry.data == {"enrolment": course.anna.id}
    services.regenerate(certificate)  # staff make it valid again
    assert not certificate.withdrawn and certificate.withdrawn_reason == ""


def test_the_participant_can_no_longer_change_numbers_once_issued(app_ctx):
    from sbo.signals import frozen, registration_numbers_frozen

    course = past_course()
    assert not queries.issued_for(course.anna.id)
    assert not frozen(registration_numbers_frozen.send(course.anna))
    services.issue(course.anna)
    assert queries.issued_for(course.anna.id)
    assert frozen(registration_numbers_frozen.send(course.anna))  # what the enrolment domain asks
    assert not queries.issued_for(course.carla.id)
    assert not frozen(registration_numbers_frozen.send(course.carla))
    from sbo.enrolment.registration import numbers_open  # the personal page's own rule
    today = course.edition.sessions[-1].day
    assert not numbers_open(course.anna, today) and numbers_open(course.carla, today)


def test_the_participant_downloads_it_from_their_personal_page(client, setup_data):
    from sbo.enrolment.links import enrolment_token

    with setup_data():
        course = past_course()
        certificate = services.issue(course.anna)
        anna, carla = enrolment_token(course.anna), enrolment_token(course.carla)
    html = client.get(f"/inschrijving/{anna}").get_data(as_text=True)
    assert "Download je certificaat (pdf)" in html
    response = client.get(f"/inschrijving/{anna}/certificaat.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Anna de Vries" in _text(response.data)

    assert "Download je certificaat" not in client.get(f"/inschrijving/{carla}").get_data(as_text=True)
    assert client.get(f"/inschrijving/{carla}/certificaat.pdf").status_code == 404  # none issued yet
    assert client.get("/inschrijving/onzin/certificaat.pdf").status_code == 404
    with setup_data():
        services.withdraw(db.session.get(Certificate, certificate.id), "Onjuist")
    assert client.get(f"/inschrijving/{anna}/certificaat.pdf").status_code == 404
    assert "Download je certificaat" not in client.get(f"/inschrijving/{anna}").get_data(as_text=True)


def test_the_demo_gives_the_past_edition_with_attendance_its_certificates(app_ctx):
    from sbo.certificates import demo

    course = past_course()
    assert demo.seed() == 2
    assert demo.seed() == 0  # twice changes nothing
    anna = queries.of_enrolment(course.anna.id)
    assert anna.mailed_at is not None and anna.issued_at.date() > course.edition.sessions[-1].day
    assert queries.of_enrolment(course.bert.id) is None


def test_personal_data_export_purge_after_the_period_and_erase(app_ctx):
    from datetime import timedelta

    from sbo import personal_data

    course = past_course()
    anna, carla = services.issue(course.anna), services.issue(course.carla)
    [row] = personal_data.export("anna@gemeente.example")["Certificaten"]
    assert row["naam"] == "Anna de Vries" and row["verificatiecode"] == queries.display_code(anna.code)
    assert "NOvA: 8.00 (123456)" in row["punten"]
    assert any("certificaten worden verwijderd" in line for line in personal_data.plan("anna@gemeente.example").actions)

    period = timedelta(days=app_ctx.config["RETENTION_DAYS"]["certificate"])
    assert personal_data.purge(anna.issued_at + period - timedelta(minutes=1))["certificate"] == 0
    counts = personal_data.erase("anna@gemeente.example", keep_comment_text=False, via="staff")
    assert counts["certificate_deleted"] == 1
    assert queries.of_enrolment(course.anna.id) is None and queries.by_code(anna.code) is None
    assert personal_data.purge(carla.issued_at + period + timedelta(minutes=1))["certificate"] == 1
    assert queries.of_enrolment(course.carla.id) is None
