"""flask send-reminders: once per confirmed participant, REMINDER_DAYS_BEFORE days ahead."""
from __future__ import annotations

from datetime import timedelta

from sbo import clock
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering


def test_reminders_go_out_once_to_confirmed_participants_of_soon_editions(setup_data, runner, outbox):
    with setup_data():
        offering = make_offering()
        soon = make_edition(offering, start_date=clock.today() + timedelta(days=5))
        later = make_edition(offering, start_date=clock.today() + timedelta(days=20))
        cancelled = make_edition(offering, start_date=clock.today() + timedelta(days=3),
                                 status="geannuleerd")
        make_enrolment(soon, email="komt@example.org")
        make_enrolment(soon, email="wacht@example.org", status="waiting")
        make_enrolment(soon, email="afgemeld@example.org", status="cancelled")
        make_enrolment(later, email="later@example.org")
        make_enrolment(cancelled, email="vervalt@example.org")
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "1 reminders queued" in result.output
    [mail] = outbox()
    assert mail.to_addr == "komt@example.org" and mail.subject.startswith("Herinnering")
    assert mail.attachments[0]["content_type"] == "text/calendar" and "/inschrijving/" in mail.body_text
    again = runner.invoke(args=["send-reminders"])
    assert "0 reminders queued" in again.output and len(outbox()) == 1


def test_reminder_window_is_configurable(make_app):
    app = make_app(REMINDER_DAYS_BEFORE=30)
    with app.app_context():
        make_enrolment(make_edition(make_offering(), start_date=clock.today() + timedelta(days=20)),
                       email="later@example.org")
        db.session.commit()
    assert "1 reminders queued" in app.test_cli_runner().invoke(args=["send-reminders"]).output
