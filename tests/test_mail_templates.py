"""Issue 14, item 6: every mail body is a template (templates/<domain>/mail/*.txt, and .html when
there is one) and every mail goes out through one helper, sbo.mail.send_mail."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import template_rendered
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import select

from sbo import clock, mail
from sbo.clock import utcnow
from sbo.certificates import services as certificates
from sbo.evaluation import services as evaluations
from sbo.enrolment import mails
from sbo.enrolment.models import Booking, Enrolment, EnrolmentStatus, InterestRegistration, Offer
from sbo.enrolment.terms import Cost
from sbo.extensions import db
from sbo.incompany.services import RequestDetails, submit_request
from sbo.news.services import approve_comment
from sbo.privacy.services import request_link
from sbo.staff import throttle
from sbo.staff.moderation_services import send_moderation_digest
from sbo.staff.passwords import mail_reset_link
from tests.certificates.data import past_course
from tests.evaluation.data import past_course as evaluated_course
from tests.factories import make_article, make_comment, make_edition, make_offering, make_staff

ROOT = Path(__file__).resolve().parent.parent
SBO = ROOT / "sbo"
TEMPLATES = ROOT / "templates"


def mail_templates() -> set[str]:
    """Every mail body in the templates (partials such as _edition.txt are included by others)."""
    return {path.relative_to(TEMPLATES).with_suffix("").as_posix()
            for path in TEMPLATES.glob("*/mail/*.txt") if not path.name.startswith("_")}


def _enrolment(edition, email: str, status: EnrolmentStatus) -> Enrolment:
    booking = Booking(edition=edition, first_name="Sanne", last_name="de Vries", email=email,
                      organisation="Gemeente Utrecht", confirmed_at=utcnow())
    enrolment = Enrolment(booking=booking, edition=edition, first_name="Sanne", last_name="de Vries",
                          email=email, status=status, confirmed_at=utcnow())
    db.session.add_all([booking, enrolment])
    db.session.flush()
    return enrolment


def _senders(monkeypatch):
    """template → a call of the code that sends that mail (the reset link is sent from a request)."""
    def edition():
        return make_edition(make_offering(title="Omgevingswet in de praktijk"), days=2)

    def confirmed(email="sanne@gemeente.example"):
        return _enrolment(edition(), email, EnrolmentStatus.CONFIRMED)

    def reminded():
        attended = evaluated_course(1, ended_days_ago=90, offering=make_offering(title="Wet open overheid")).attended
        evaluations.invite(attended[0], now=clock.utcnow() - timedelta(days=30))
        evaluations.send_due()

    def registration():
        offering = make_offering(title="Crisiscommunicatie")
        found = InterestRegistration(offering=offering, name="Sanne", email="sanne@gemeente.example")
        db.session.add(found)
        db.session.flush()
        return found

    def received():
        enrolment = confirmed()
        mails.enrolment_received(enrolment, enrolment.booking, [], None)

    def confirm_booking():
        enrolment = confirmed()
        mails.confirm_booking_request(enrolment.booking, [enrolment])

    def substitute():
        enrolment = confirmed("nieuw@gemeente.example")
        mails.substituted(enrolment, "Piet Jansen", "piet@gemeente.example", "Piet")

    def offer():
        enrolment = _enrolment(edition(), "sanne@gemeente.example", EnrolmentStatus.OFFERED)
        made = Offer(booking=enrolment.booking, edition=enrolment.edition, seats=1, expires_at=utcnow())
        db.session.add(made)
        db.session.flush()
        mails.offer_made(made, [enrolment])
        return made, enrolment

    def offer_lapsed():
        made, enrolment = offer()
        mails.offer_lapsed(made, [enrolment])

    def new_edition():
        found = registration()
        mails.new_edition(found, make_edition(found.offering))

    def approved():
        approve_comment(make_comment(make_article(), status="pending"))

    def reply():
        parent = make_comment(make_article(), notify_replies=True)
        approve_comment(make_comment(parent.article, status="pending", parent=parent))

    def digest():
        make_comment(make_article(), status="pending", held_reason="woorden")
        make_staff("moderator")
        send_moderation_digest()

    def login_alert():
        monkeypatch.setattr(throttle, "ALERT_THRESHOLD", 1)
        make_staff("admin")
        throttle.record_failure("gok@sbo.example", "198.51.100.1", None)

    def password_reset():
        mail_reset_link(make_staff("editor").email)

    def incompany_request(with_staff: bool):
        if with_staff:
            make_staff("editor")
        submit_request(RequestDetails(organisation="Gemeente Utrecht", contact_name="Sanne de Vries",
                                      email=f"sanne{with_staff:d}@gemeente.example", participants=12,
                                      question="Kan dit bij ons op locatie?\nVoor twee teams."),
                       make_offering(title="Crisiscommunicatie"))

    def my_data_link():
        confirmed("inzage@gemeente.example")
        request_link("inzage@gemeente.example")

    return {
        "enrolment/mail/enrolment_received": received,
        "enrolment/mail/confirm_booking": confirm_booking,
        "enrolment/mail/promoted": lambda: mails.promoted(confirmed()),
        "enrolment/mail/offer": offer,
        "enrolment/mail/offer_lapsed": offer_lapsed,
        "enrolment/mail/cancelled": lambda: mails.cancelled(confirmed(), by_staff=False, cost=Cost(50, 49750)),
        "enrolment/mail/edition_cancelled": lambda: mails.edition_cancelled(confirmed(), was_waiting=False),
        "enrolment/mail/rebooked": lambda: mails.rebooked(confirmed(), edition(), None, by_staff=False,
                                                          by_booker=True),
        "enrolment/mail/booker_told": lambda: mails.booker_told(
            confirmed().booking, "Piet Jansen", "rebooked", edition(), None, old=edition()),
        "enrolment/mail/substitute_new": substitute,
        "enrolment/mail/substitute_old": substitute,
        "enrolment/mail/reminder": lambda: mails.reminder(confirmed()),
        "enrolment/mail/interest_confirm": lambda: mails.interest_confirm(registration()),
        "enrolment/mail/new_edition": new_edition,
        "news/mail/approved": approved,
        "news/mail/reply": reply,
        "staff/mail/moderation_digest": digest,
        "staff/mail/login_alert": login_alert,
        "staff/mail/password_reset": password_reset,
        "privacy/mail/my_data_link": my_data_link,
        "incompany/mail/request_received": lambda: incompany_request(with_staff=False),
        "incompany/mail/staff_notice": lambda: incompany_request(with_staff=True),
        "certificates/mail/certificate": lambda: certificates.mail(certificates.issue(past_course().anna)),
        "evaluation/mail/invitation": lambda: evaluations.invite(evaluated_course(1).attended[0]),
        "evaluation/mail/reminder": reminded,
    }


def test_every_mail_template_is_sent_by_the_code(make_app, monkeypatch):
    """Each template under templates/*/mail/ belongs to a mail the code sends, and each such
    mail renders through send_mail into a message that builds as MIME (text + HTML part)."""
    senders = _senders(monkeypatch)
    assert set(senders) == mail_templates()  # a new mail template needs a case here
    sent: list[str] = []
    real_send_mail = mail.send_mail

    def spy(to, subject, template, **kwargs):
        sent.append(template)
        return real_send_mail(to, subject, template, **kwargs)

    for module in ("sbo.enrolment.mails", "sbo.news.comments", "sbo.staff.moderation_services",
                   "sbo.staff.passwords", "sbo.staff.throttle", "sbo.privacy.services",
                   "sbo.incompany.mails", "sbo.staff.incompany", "sbo.certificates.services",
                   "sbo.evaluation.services"):
        monkeypatch.setattr(f"{module}.send_mail", spy)

    app = make_app(SITE_URL="https://www.sbo.example")
    rendered: list[str] = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    seen = 0
    for template, send in senders.items():
        with app.test_request_context(), template_rendered.connected_to(record, app):
            sent.clear()
            rendered.clear()
            send()
            db.session.commit()
            assert template in sent, f"{template}: not sent through send_mail"
            assert f"{template}.txt" in rendered
            messages = db.session.scalars(select(mail.OutboxMessage).where(mail.OutboxMessage.id > seen)).all()
            assert messages, template
            seen = messages[-1].id
            for message in messages:
                assert message.body_text.strip() and "{{" not in message.body_text
                email = mail.build_email(message)
                assert email.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n") \
                    == message.body_text.replace("\r\n", "\n").rstrip("\n")
                assert email.get_body(("html",)) is not None


def test_send_mail_uses_an_html_template_when_there_is_one(make_app, tmp_path):
    """Without <template>.html the HTML part is the layout around the text (rendered when the
    mail is built); with one, that template is the HTML part."""
    app = make_app()
    folder = tmp_path / "extra" / "proef" / "mail"
    folder.mkdir(parents=True)
    (folder / "hallo.txt").write_text("Hallo {{ name }},\n\nTot ziens.\n", encoding="utf-8")
    (folder / "hallo.html").write_text("<p>Hallo <b>{{ name }}</b> — {{ subject }}</p>\n", encoding="utf-8")
    (folder / "tekst.txt").write_text("Alleen tekst voor {{ name }}.\n", encoding="utf-8")
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(tmp_path / "extra")])
    with app.app_context():
        both = mail.send_mail("a@example.org", "Groet", "proef/mail/hallo", name="<Anna>")
        text_only = mail.send_mail("b@example.org", "Tekst", "proef/mail/tekst",
                                   attachments=[("a.txt", "text/plain", b"x")],
                                   headers={"List-Id": "<proef.sbo.example>"}, name="Bram")
        db.session.commit()
        assert both.body_text == "Hallo <Anna>,\n\nTot ziens."  # text is not escaped
        assert both.body_html == "<p>Hallo <b>&lt;Anna&gt;</b> — Groet</p>"  # HTML is
        assert text_only.body_text == "Alleen tekst voor Bram." and text_only.body_html is None
        assert text_only.headers == {"List-Id": "<proef.sbo.example>"}
        assert [item["filename"] for item in text_only.attachments] == ["a.txt"]
        html = mail.build_email(text_only).get_body(("html",)).get_content()
        assert "Alleen tekst voor Bram." in html and app.config["SITE_NAME"] in html  # the layout


SENDING = re.compile(r"\bqueue_mail\b")


def test_only_the_outbox_queues_mail():
    """Code sends mail through send_mail (a template); queue_mail is the outbox's own step."""
    callers = [str(path.relative_to(ROOT)) for path in SBO.rglob("*.py")
               if path != SBO / "mail.py" and SENDING.search(path.read_text(encoding="utf-8"))]
    assert callers == []


def test_digest_lists_each_comment_once(make_app):
    """The digest body from its template: singular wording, the reason, the link."""
    app = make_app(SITE_URL="https://www.sbo.example")
    with app.app_context():
        make_staff("moderator", email="mo@sbo.example")
        comment = make_comment(make_article(title="Woonoverlast"), status="pending", held_reason="woorden",
                               author_name="Anna", body="Een   lange\nreactie " + "x" * 300)
        assert send_moderation_digest(now=utcnow() + timedelta(seconds=1)) == 1
        [message] = db.session.scalars(select(mail.OutboxMessage)).all()
        lines = message.body_text.split("\n")
        assert lines[0] == "Er wacht 1 nieuwe reactie op goedkeuring."
        assert lines[2].startswith("Bij “Woonoverlast”, van Anna, ontvangen ")
        assert lines[2].endswith(" (reden: bevat een verboden woord):")
        assert lines[3].startswith("  Een lange reactie x") and lines[3].endswith("…") and len(lines[3]) == 203
        assert lines[4] == f"  Beoordelen: https://www.sbo.example/beheer/reacties/{comment.id}"
        assert lines[6] == "Alle wachtende reacties: https://www.sbo.example/beheer/reacties"
