"""Cancelling takes two steps: the terms and today's cost first, then a POST (with its CSRF
token) cancels. The cancel mail says the cost; a cancelled enrolment offers no calendar."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sbo import clock
from sbo.enrolment import terms
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from


def enrolment_starting_in(app, days: int, status: str = "confirmed") -> str:
    """A confirmed enrolment in an edition (price € 995,-) starting in `days` days: its link."""
    with app.app_context():
        edition = make_edition(make_offering(price_cents=99500),
                               start_date=clock.today() + timedelta(days=days))
        enrolment = make_enrolment(edition, email="anna@example.org", first_name="Anna",
                                   status=status)
        path = "/" + manage_url(enrolment).split("/", 3)[3]
        db.session.commit()
        return path


def status_of(app) -> str:
    with app.app_context():
        return db.session.scalars(db.select(Enrolment.status).where(
            Enrolment.email == "anna@example.org")).one()


def test_terms_read_from_the_config(app, app_ctx):
    assert terms.terms_lines() == [
        "Tot 4 weken voor de start: kosteloos.",
        "Daarna tot 1 week voor de start: de helft van de prijs.",
        "Daarna tot de start: de volledige prijs.",
        "Een vervanger sturen kan altijd, zonder kosten."]
    app.config["ENROLMENT_CANCELLATION_TERMS"] = [[14, 25], [3, 75]]
    assert terms.terms_lines()[:3] == [
        "Tot 2 weken voor de start: 25% van de prijs.",
        "Daarna tot 3 dagen voor de start: 75% van de prijs.",
        "Daarna tot de start: de volledige prijs."]


@pytest.mark.parametrize("days, cost", [
    (28, "Annuleer je nu, dan kost dat niets."),
    (27, "Annuleer je nu, dan betaal je de helft van de prijs: € 497,50 excl. btw."),
    (7, "Annuleer je nu, dan betaal je de helft van de prijs: € 497,50 excl. btw."),
    (6, "Annuleer je nu, dan betaal je de volledige prijs: € 995,- excl. btw."),
])
def test_first_step_shows_terms_and_todays_cost_and_changes_nothing(app, client, days, cost, outbox):
    path = enrolment_starting_in(app, days)
    manage = client.get(path).get_data(as_text=True)
    assert f'href="{path}/annuleren"' in manage
    assert 'action="' + path + '/annuleren"' not in manage  # no one-click cancel any more
    response = client.get(path + "/annuleren")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Annuleringsvoorwaarden" in html and "Tot 4 weken voor de start: kosteloos." in html
    assert "Een vervanger sturen kan altijd, zonder kosten." in html
    assert cost in html
    assert "Ja, annuleer mijn inschrijving" in html and 'name="csrf_token"' in html
    assert status_of(app) == "confirmed" and outbox() == []


def test_second_step_cancels_and_the_mail_says_the_cost(app, client, outbox):
    path = enrolment_starting_in(app, 20)
    step_one = client.get(path + "/annuleren").get_data(as_text=True)
    assert client.post(path + "/annuleren").status_code == 400  # no CSRF token: nothing happens
    assert status_of(app) == "confirmed"
    response = client.post(path + "/annuleren", data={"csrf_token": csrf_from(step_one)})
    assert response.status_code == 303 and status_of(app) == "cancelled"
    [mail] = outbox("anna@example.org")
    assert mail.body_text.startswith("Beste Anna,\n")
    assert "kost annuleren nu de helft van de prijs: € 497,50 excl. btw" in mail.body_text

    # the cancelled enrolment's page and link offer no calendar any more
    html = client.get(path).get_data(as_text=True)
    assert "Deze inschrijving is geannuleerd" in html and ".ics" not in html
    assert client.get(path + "/agenda.ics").status_code == 410
    # and the first step is not offered again
    assert client.get(path + "/annuleren").status_code == 302


def test_cancelling_in_time_is_free_in_the_mail(app, client, outbox):
    path = enrolment_starting_in(app, 40)
    token = csrf_from(client.get(path + "/annuleren").get_data(as_text=True))
    client.post(path + "/annuleren", data={"csrf_token": token})
    [mail] = outbox("anna@example.org")
    assert "Je hebt op tijd geannuleerd: daar zijn geen kosten aan verbonden." in mail.body_text


def test_leaving_the_waiting_list_is_free(app, client, outbox):
    path = enrolment_starting_in(app, 3, status="waiting")
    html = client.get(path + "/annuleren").get_data(as_text=True)
    assert "Afmelden voor de wachtlijst?" in html and "Afmelden kost niets" in html
    assert "Annuleringsvoorwaarden" not in html
    client.post(path + "/annuleren", data={"csrf_token": csrf_from(html)})
    [mail] = outbox("anna@example.org")
    assert mail.subject.startswith("Je bent afgemeld voor de wachtlijst")
    assert "geen kosten" in mail.body_text and status_of(app) == "cancelled"


def test_cancelled_edition_calendar_is_gone(setup_data, client):
    with setup_data():
        edition = make_edition(make_offering(slug="weg"), status="geannuleerd")
        edition_id = edition.id
    assert client.get(f"/aanbod/weg/{edition_id}.ics").status_code == 410


def test_confirmation_mail_states_the_terms_a_waiting_one_does_not(setup_data, client, post_form, outbox):
    from tests.enrolment.helpers import VALID, enrol_url
    with setup_data():
        edition = make_edition(make_offering(), capacity=1)
        url = enrol_url(edition)
    from tests.enrolment.helpers import confirm_by_mail
    post_form(client, url, VALID)
    confirm_by_mail(client, outbox)
    post_form(client, url.replace("/inschrijven/", "/wachtlijst/"), {**VALID, "email": "wacht@example.org"})
    confirm_by_mail(client, outbox, "wacht@example.org")
    [_, confirmed] = outbox(VALID["email"])  # the request to confirm, then the confirmation
    assert "Annuleringsvoorwaarden\n- Tot 4 weken voor de start: kosteloos." in confirmed.body_text
    [_, waiting] = outbox("wacht@example.org")
    assert "Annuleringsvoorwaarden" not in waiting.body_text
