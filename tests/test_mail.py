"""The outbox: .eml files without MAIL_SERVER, SMTP delivery, back-off, giving up."""
from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

from sqlalchemy import select

from sbo.extensions import db
from sbo.mail import MailStatus, OutboxMessage, backoff, deliver_pending, queue_mail, utcnow


def test_without_mail_server_messages_become_eml_files(app, tmp_path):
    with app.app_context():
        queue_mail("a@example.org", "Onderwerp met é", "Hallo",
                   attachments=[("agenda.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n")],
                   headers={"List-Unsubscribe": "<http://localhost/x>"})
        db.session.commit()
        assert deliver_pending() == (1, 0)
        assert deliver_pending() == (0, 0)
    [path] = (tmp_path / "instance" / "mail").glob("*.eml")
    email = message_from_bytes(path.read_bytes(), policy=default)
    assert email["Subject"] == "Onderwerp met é" and email["List-Unsubscribe"] == "<http://localhost/x>"
    [attachment] = list(email.iter_attachments())
    assert attachment.get_filename() == "agenda.ics"


def test_smtp_delivery_reaches_the_server(make_app, smtpd):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtpd.port)
    with app.app_context():
        queue_mail("b@example.org", "Test", "Inhoud")
        db.session.commit()
        assert deliver_pending() == (1, 0)
    [received] = smtpd.messages
    assert received["To"] == "b@example.org" and received.get_content().strip() == "Inhoud"


def test_failures_back_off_and_finally_give_up(make_app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_MAX_ATTEMPTS=3)
    with app.app_context():
        queue_mail("c@example.org", "Test", "Inhoud")
        db.session.commit()
        now = utcnow()
        for attempt in range(1, 4):
            assert deliver_pending(now=now) == (0, 1)
            now += backoff(attempt) + timedelta(seconds=1)
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.status == MailStatus.FAILED and message.attempts == 3
        assert deliver_pending(now=now + timedelta(days=1)) == (0, 0)


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(hours=6)


def test_send_mail_drains_more_than_one_batch(app, runner, tmp_path):
    with app.app_context():
        for n in range(130):
            queue_mail(f"p{n}@example.org", "Test", "Inhoud")
        db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and "130 sent, 0 failed" in result.output
    assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 130
