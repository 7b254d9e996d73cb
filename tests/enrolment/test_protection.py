"""CSRF, rate limits and caching of the enrolment pages."""
from __future__ import annotations

from sbo.enrolment.mails import manage_url
from sbo.extensions import db
from tests.enrolment.helpers import VALID, counts, enrol_url
from tests.factories import make_edition, make_enrolment, make_offering


def test_post_without_csrf_token_is_refused(app, setup_data, client, outbox):
    with setup_data():
        url = enrol_url(make_edition(make_offering()))
    response = client.post(url, data=VALID)
    assert response.status_code == 400 and "Het formulier is verlopen" in response.get_data(as_text=True)
    assert counts(app) == (0, 0) and outbox() == []


def test_forms_that_send_mail_are_rate_limited(make_app, post_form):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        make_offering(slug="veiligheid")
        db.session.commit()
    codes = [post_form(client, "/aanbod/veiligheid/interesse",
                       {"name": "A", "email": f"a{i}@example.org"}).status_code for i in range(11)]
    assert codes == [303] * 10 + [429]


def test_personal_pages_are_not_cached(setup_data, client):
    with setup_data():
        enrolment = make_enrolment(make_edition(make_offering()))
        path = "/" + manage_url(enrolment).split("/", 3)[3]
    assert client.get(path).headers["Cache-Control"] == "private, no-store"


def test_unknown_month_gets_a_dutch_message(setup_data, client, post_form):
    with setup_data():
        make_offering(slug="veiligheid")
    response = post_form(client, "/aanbod/veiligheid/interesse",
                         {"name": "A", "email": "a@example.org", "preferred_month": "1999-01"})
    assert response.status_code == 422
    assert "Kies een maand uit de lijst." in response.get_data(as_text=True)
