"""The outbox: .eml files without MAIL_SERVER, SMTP delivery, back-off, giving up."""
from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

from sqlalchemy import select

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.mail import MailStatus, OutboxMessage, backoff, deliver_pending, queue_mail


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
    assert received["To"] == "b@example.org"
    assert received.get_body(("plain",)).get_content().strip() == "Inhoud"


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


def _queue_three_with_a_broken_middle() -> list[int]:
    """Three messages; the middle one has a subject with CR/LF (a title typed with a line break
    before single-line fields refused it), which no mail library will write as a header."""
    ids = [queue_mail(f"{name}@example.org", f"Bericht {name}", "Inhoud").id for name in ("a", "b", "c")]
    db.session.get(OutboxMessage, ids[1]).subject = "Cursus\r\nBcc: iedereen@example.org"
    db.session.commit()
    return ids


def test_a_broken_message_fails_alone_and_the_next_is_delivered(app, tmp_path):
    with app.app_context():
        first, broken, last = _queue_three_with_a_broken_middle()
        assert deliver_pending() == (2, 1)
        assert deliver_pending() == (0, 0)  # failed for good: not retried behind the others' backs
        statuses = {m.id: (m.status, m.last_error) for m in db.session.scalars(select(OutboxMessage))}
    assert statuses[first] == (MailStatus.SENT, None) and statuses[last] == (MailStatus.SENT, None)
    assert statuses[broken][0] == MailStatus.FAILED and "ValueError" in statuses[broken][1]
    assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 2


def test_a_broken_message_does_not_hold_up_smtp_delivery(make_app, smtpd):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtpd.port)
    with app.app_context():
        _queue_three_with_a_broken_middle()
        assert deliver_pending() == (2, 1)
    assert [m["To"] for m in smtpd.messages] == ["a@example.org", "c@example.org"]
    assert all("Bcc" not in m for m in smtpd.messages)


def test_a_subject_is_queued_as_one_line(app_ctx):
    message = queue_mail("d@example.org", "Nieuwe datum: Crisis\r\ncommunicatie", "Inhoud")
    assert message.subject == "Nieuwe datum: Crisis communicatie"
