"""Mail is never lost: with the SMTP server down the enrolment still succeeds, the message
waits in the outbox and arrives (once) when the server is back. Uses a real aiosmtpd server."""
from __future__ import annotations

import socket
from datetime import timedelta

from sqlalchemy import select

from sbo.clock import utcnow
from sbo.enrolment.consent import confirm_booking
from sbo.enrolment.models import Booking
from sbo.extensions import db
from sbo.mail import MailStatus, OutboxMessage, deliver_pending
from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import make_edition, make_offering


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_smtp_down_while_enrolling_then_delivered_once(make_app, smtpd, post_form, outbox):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    client = app.test_client()
    with app.app_context():
        edition = make_edition(make_offering(title="Omgevingswet in de praktijk"), days=2)
        db.session.commit()
        url = enrol_url(edition)
    assert post_form(client, url, VALID).status_code == 303
    with app.app_context():
        [request] = db.session.scalars(select(OutboxMessage)).all()
        db.session.delete(request)  # the "Bevestig je inschrijving" mail: not what this test is about
        confirm_booking(db.session.scalars(select(Booking)).one())
        db.session.commit()
        assert deliver_pending() == (0, 1)
    [message] = outbox()
    assert message.status == MailStatus.PENDING and message.attempts == 1 and message.last_error

    app.config["MAIL_PORT"] = smtpd.port  # the server is back
    with app.app_context():
        assert deliver_pending() == (0, 0)  # not due yet: back-off
        assert deliver_pending(now=utcnow() + timedelta(minutes=2)) == (1, 0)
        assert deliver_pending(now=utcnow() + timedelta(hours=1)) == (0, 0)
    [received] = smtpd.messages
    assert received["To"] == "sanne@gemeente.example"
    assert received["Subject"] == "Bevestiging van je inschrijving: Omgevingswet in de praktijk"
    body = received.get_body(("plain",)).get_content()
    assert "/inschrijving/" in body
    [attachment, attendance_pass] = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attendance_pass.get_content_type() == "image/png"
    assert attachment.get_content().count("BEGIN:VEVENT") == 2
    assert outbox()[0].status == MailStatus.SENT
