"""Mail to the letter, checked on the raw bytes as written to instance/mail/*.eml and as received
over SMTP: CRLF, lines within 78 (RFC 5322) and 76 for quoted-printable (RFC 2045), MIME
boundaries (RFC 2046), multipart/alternative with an HTML part, a plain List-Unsubscribe
(RFC 2369/8058) and a calendar part that says charset=utf-8 and method=PUBLISH (RFC 5545/6047)."""
from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from sbo.enrolment import mails
from sbo.enrolment.models import InterestRegistration
from sbo.extensions import db
from sbo.mail import OutboxMessage, deliver_pending
from sbo.mime import text_to_html
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url
from tests.factories import make_edition, make_offering


def eml_files(app) -> list[bytes]:
    return [path.read_bytes() for path in sorted((Path(app.instance_path) / "mail").glob("*.eml"))]


def raw_header_lines(raw: bytes, name: str) -> list[bytes]:
    """The physical lines of one header field (its first line and continuation lines)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    for index, line in enumerate(head):
        if line.lower().startswith(name.lower().encode() + b":"):
            lines = [line]
            for more in head[index + 1:]:
                if not more[:1] in (b" ", b"\t"):
                    break
                lines.append(more)
            return lines
    raise AssertionError(f"no {name} header in {raw[:500]!r}")


def assert_wire_format(raw: bytes, unbreakable: tuple[str, ...] = ()) -> None:
    """CRLF only, 7-bit, every line within 78, every multipart's boundaries in place. A line
    may be longer (up to RFC 5322's 998) only to hold one of `unbreakable` (a List-Unsubscribe
    URL, which RFC 2369 forbids to break) after its field name."""
    assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in raw.replace(b"\r\n", b""), "bare CR"
    assert all(byte < 128 for byte in raw), "8-bit bytes in a 7-bit message"
    lines = raw.split(b"\r\n")
    too_long = [line for line in lines if len(line) > 78
                and not any(line == f"List-Unsubscribe: {url}".encode() for url in unbreakable)]
    assert max(len(line) for line in lines) <= 998
    assert not too_long, too_long
    email = message_from_bytes(raw, policy=default)
    for part in email.walk():
        if part.is_multipart():
            boundary = part.get_boundary().encode()
            assert 1 <= len(boundary) <= 70
            delimiters = [line for line in lines if line.startswith(b"--" + boundary)]
            assert delimiters.count(b"--" + boundary + b"--") == 1
            assert len(delimiters) == len(part.get_payload()) + 1
        elif part.get("Content-Transfer-Encoding") == "quoted-printable":
            body = part.as_bytes(policy=default.clone(linesep="\r\n")).split(b"\r\n\r\n", 1)[1]
            assert max(len(line) for line in body.split(b"\r\n")) <= 76


def test_enrolment_mail_is_multipart_with_html_crlf_and_a_utf8_calendar(app, setup_data, client, post_form, outbox):
    with setup_data():
        edition = make_edition(make_offering(title="Training voor de coördinator veiligheid"), days=2)
        url = enrol_url(edition)
    assert post_form(client, url, VALID).status_code == 303
    confirm_by_mail(client, outbox)  # the request to confirm, then the confirmation with its calendar
    with app.app_context():
        assert deliver_pending() == (2, 0)
    for raw in eml_files(app):
        assert_wire_format(raw)
    [raw] = [raw for raw in eml_files(app) if b"text/calendar" in raw]

    email = message_from_bytes(raw, policy=default)
    assert email.get_content_type() == "multipart/mixed"
    [alternative, calendar, attendance_pass] = email.iter_parts()
    assert attendance_pass.get_content_type() == "image/png"
    assert attendance_pass.get_filename() == "qr-code-aanwezigheid.png"
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert "Je bent ingeschreven." in text and "Je bent ingeschreven." in html
    manage = re.search(r"http\S+/inschrijving/\S+", text).group(0)
    assert f'<a href="{manage}">' in html  # the link is clickable
    assert "<img" not in html and "src=" not in html  # no remote (or any) images
    assert 'lang="nl"' in html

    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("charset") == "utf-8" and calendar.get_param("method") == "PUBLISH"
    [content_type] = [line for line in raw.split(b"\r\n") if b"text/calendar" in line]
    assert re.search(rb'charset="?utf-8"?', content_type) and re.search(rb'method="?PUBLISH"?', content_type)
    ics = calendar.get_content()
    assert "METHOD:PUBLISH" in ics and "coördinator" in ics
    assert "Training voor de coördinator veiligheid" in email["Subject"]


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:5000",
                                      "https://opleidingen.studiecentrum-voor-bedrijf-en-overheid.example/sbo"])
def test_list_unsubscribe_is_a_plain_link_folded_only_at_whitespace(make_app, site_url):
    app = make_app(SITE_URL=site_url)
    with app.app_context():
        offering = make_offering(title="Omgevingswet voor de coördinator")
        edition = make_edition(offering)
        registration = InterestRegistration(offering=offering, name="Anna", email="anna@example.org",
                                            status="active")
        db.session.add(registration)
        db.session.flush()
        mails.new_edition(registration, edition)
        # The header the queued mail carries: a second token signed now could differ in its timestamp.
        [queued] = db.session.scalars(db.select(OutboxMessage)).all()
        expected = queued.headers["List-Unsubscribe"]
        assert expected.startswith(f"<{site_url}/interesse/afmelden/")
        db.session.commit()
        assert deliver_pending() == (1, 0)
    [raw] = eml_files(app)
    lines = raw_header_lines(raw, "List-Unsubscribe")
    assert lines == [f"List-Unsubscribe: {expected}".encode()]
    assert re.fullmatch(r"<https?://[^\s<>]+>", expected) and "=?" not in expected  # no RFC 2047 words
    assert raw_header_lines(raw, "List-Unsubscribe-Post") == [
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
    assert_wire_format(raw, unbreakable=(expected,))
    email = message_from_bytes(raw, policy=default)
    assert email["List-Unsubscribe"] == expected
    assert "coördinator" in email["Subject"]


def test_a_list_of_links_folds_between_its_items_only():
    from sbo.mime import POLICY
    mailto = "<mailto:afmelden@sbo.example?subject=afmelden>"
    https = "<https://sbo.example/interesse/afmelden/" + "x" * 60 + "/direct>"
    folded = POLICY.fold_binary("List-Unsubscribe", f"{mailto}, {https}")
    assert folded == f"List-Unsubscribe: {mailto},\r\n {https}\r\n".encode()


def test_mail_received_over_smtp_is_the_same_wire_format(make_app, smtpd):
    from sbo.mail import queue_mail
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtpd.port)
    with app.app_context():
        queue_mail("b@example.org", "Nieuwe datum: Veiligheid voor de coördinator",
                   "Beste Anna,\n\nEen lange regel " + "met woorden " * 20 + "en é.\n\n"
                   "Afmelden:\nhttp://127.0.0.1:5000/afmelden/abc\n",
                   attachments=[("agenda.ics", "text/calendar",
                                 "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nSUMMARY:coördinator\r\nEND:VCALENDAR\r\n"
                                 .encode())])
        db.session.commit()
        assert deliver_pending() == (1, 0)
    [received] = smtpd.messages
    raw = received.as_bytes(policy=default.clone(linesep="\r\n"))
    assert_wire_format(raw)
    assert "en é." in received.get_body(("plain",)).get_content()
    assert '<a href="http://127.0.0.1:5000/afmelden/abc">' in received.get_body(("html",)).get_content()


def test_html_part_escapes_the_text_and_keeps_its_structure():
    html = text_to_html("Beste <Anna>,\n\nJe collega's:\n- Jan <jan@example.org>\n- Piet\n\n"
                        "Link: https://example.org/a?b=1&c=2.\nDoei")
    assert "&lt;Anna&gt;" in html and "<Anna>" not in html
    assert "<ul>\n<li>Jan &lt;jan@example.org&gt;</li>\n<li>Piet</li>\n</ul>" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>.<br>' in html


def test_every_kind_of_enrolment_mail_keeps_the_wire_format(app):
    from tests.factories import make_enrolment
    title = "Coördinatie van crisiscommunicatie bij gemeenten, provincies en veiligheidsregio’s"
    with app.app_context():
        edition = make_edition(make_offering(title=title), days=3)
        enrolment = make_enrolment(edition, first_name="Zoë", last_name="Ündergaard")
        mails.promoted(enrolment)
        mails.cancelled(enrolment, by_staff=True)
        mails.edition_cancelled(enrolment, was_waiting=False)
        mails.reminder(enrolment)
        db.session.commit()
        assert deliver_pending() == (4, 0)
    files = eml_files(app)
    assert len(files) == 4
    for raw in files:
        assert_wire_format(raw)
        email = message_from_bytes(raw, policy=default)
        assert title in email["Subject"]
        assert "Zoë" in email.get_body(("plain",)).get_content()
        assert "Zoë" in email.get_body(("html",)).get_content()
