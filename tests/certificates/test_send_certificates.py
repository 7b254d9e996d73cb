"""flask send-certificates: after the last day, once per participant who qualifies, the PDF attached."""
from __future__ import annotations

import base64
import io
from datetime import timedelta

import pypdf
from sqlalchemy import select

from sbo import clock
from sbo.certificates.models import Certificate
from sbo.certificates.services import issue, withdraw
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.certificates.data import past_course


def _send(runner) -> str:
    result = runner.invoke(args=["send-certificates"])
    assert result.exit_code == 0, result.output
    return result.output


def test_certificates_go_out_once_after_the_last_day(app, runner, outbox, setup_data, monkeypatch):
    with setup_data():
        course = past_course(ended_days_ago=-1)  # the last day is tomorrow
    assert "0 certificates queued" in _send(runner)
    assert outbox() == []

    now = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: now + timedelta(days=2))
    assert "2 certificates queued" in _send(runner)
    assert [m.to_addr for m in outbox()] == ["anna@gemeente.example", "carla@gemeente.example"]
    message = outbox("anna@gemeente.example")[0]
    assert message.subject == "Je bewijs van deelname: Bibob in de praktijk"
    assert "8 punten (registratienummer 123456)" in message.body_text
    assert "BOA-register: 6 punten (geen registratienummer opgegeven)" in message.body_text
    [attachment] = message.attachments
    assert attachment["content_type"] == "application/pdf" and attachment["filename"].endswith(".pdf")
    pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(attachment["data"])))
    assert "Anna de Vries" in pdf.pages[0].extract_text()
    with app.app_context():
        code = db.session.scalar(select(Certificate.code).where(Certificate.enrolment_id == course.anna.id))
        assert "-".join(code[i:i + 4] for i in range(0, 24, 4)) in message.body_text

    assert "0 certificates queued" in _send(runner)  # the next day's run sends nothing again
    assert len(outbox()) == 2
    assert "bert@gemeente.example" not in {m.to_addr for m in outbox()}  # one day of two


def test_a_withdrawn_certificate_is_not_mailed_and_old_editions_are_left_alone(app, runner, outbox, setup_data):
    with setup_data():
        old = past_course(ended_days_ago=app.config["CERTIFICATE_SEND_WITHIN_DAYS"] + 1, title="Lang geleden")
        recent = past_course(title="Ondermijning herkennen")
        withdraw(issue(recent.anna), "Verkeerde deelnemer aangemeld")
    assert "1 certificates queued" in _send(runner)
    assert [m.to_addr for m in outbox()] == ["carla@gemeente.example"]
    assert "Ondermijning herkennen" in outbox()[0].subject
    with app.app_context():
        assert db.session.scalars(select(Certificate.enrolment_id).join(Certificate.enrolment)
                                  .where(Enrolment.edition_id == old.edition.id)).all() == []
