"""Issue 12 item 4 for staff: mail that failed is listed at /beheer/mail with its reason, and an
admin can send it again; the broken message did not hold up the message after it."""
from __future__ import annotations

from sqlalchemy import select

from sbo.extensions import db
from sbo.mail import MailStatus, OutboxMessage, deliver_pending, queue_mail
from tests.helpers import csrf_from
from tests.staff.helpers import audit_actions


def _queue_broken_then_good(app) -> tuple[int, int]:
    with app.app_context():
        broken = queue_mail("kapot@example.org", "Nieuwe datum", "Inhoud")
        broken.subject = "Nieuwe datum: Crisis\r\nBcc: iedereen@example.org"
        good = queue_mail("goed@example.org", "Nieuwe datum: Omgevingswet", "Inhoud")
        db.session.commit()
        assert deliver_pending() == (1, 1)
        return broken.id, good.id


def _status(app, message_id: int) -> MailStatus:
    with app.app_context():
        return db.session.get(OutboxMessage, message_id).status


def test_staff_see_failed_mail_with_its_reason_and_send_it_again(app, logged_in):
    broken_id, good_id = _queue_broken_then_good(app)
    assert _status(app, good_id) == MailStatus.SENT
    client, _ = logged_in("admin")
    dashboard = client.get("/beheer/").get_data(as_text=True)
    assert '<a href="/beheer/mail">Mail</a>' in dashboard  # in the staff navigation
    assert "1 bericht kon niet worden verstuurd." in dashboard
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "kapot@example.org" in page and "ValueError" in page
    assert "goed@example.org" not in page  # sent mail is not listed
    assert "Opnieuw versturen" in page

    response = client.post(f"/beheer/mail/{broken_id}/opnieuw", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303 and response.location == "/beheer/mail"
    with app.app_context():
        message = db.session.get(OutboxMessage, broken_id)
        assert (message.status, message.attempts) == (MailStatus.PENDING, 0)
    assert "staat weer klaar" in client.get("/beheer/mail").get_data(as_text=True)
    assert audit_actions(app, "outbox_message", broken_id) == ["mail.resent"]

    # a second click on a stale page changes nothing
    response = client.post(f"/beheer/mail/{good_id}/opnieuw", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303 and _status(app, good_id) == MailStatus.SENT
    assert "niet mislukt" in client.get("/beheer/mail").get_data(as_text=True)


def test_the_mail_page_is_for_admins_only(app, logged_in):
    broken_id, _ = _queue_broken_then_good(app)
    client, _ = logged_in("editor")
    assert client.get("/beheer/mail").status_code == 403
    page = client.get("/beheer/").get_data(as_text=True)
    assert "/beheer/mail" not in page
    response = client.post(f"/beheer/mail/{broken_id}/opnieuw", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 403 and _status(app, broken_id) == MailStatus.FAILED
