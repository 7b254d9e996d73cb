"""The waiting list: reachable from a full edition's row, its own form that says what it is,
and a waiting person's pages and mails without a calendar file or 'een vervanger sturen'."""
from __future__ import annotations

import pytest

from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, counts, link_from
from tests.factories import make_edition, make_enrolment, make_offering

WAITING = {k: v for k, v in VALID.items() if k != "join_waiting_list"}


@pytest.fixture
def editions(setup_data):
    """An offering with an open, a full, a staff-closed ('vol') and a cancelled edition."""
    with setup_data():
        offering = make_offering(slug="crisisbeheersing", title="Crisisbeheersing")
        open_ = make_edition(offering, capacity=5)
        full = make_edition(offering, capacity=1)
        make_enrolment(full)
        closed = make_edition(offering, status="vol")
        cancelled = make_edition(offering, status="geannuleerd")
        return {"open": open_.id, "full": full.id, "vol": closed.id, "cancelled": cancelled.id}


def waiting_url(edition_id: int) -> str:
    return f"/aanbod/crisisbeheersing/wachtlijst/{edition_id}"


def test_every_full_row_on_the_offering_page_leads_to_its_waiting_list(client, editions):
    html = client.get("/aanbod/crisisbeheersing").get_data(as_text=True)
    assert html.count(">Op de wachtlijst<") == 2
    assert f'href="{waiting_url(editions["full"])}"' in html
    assert f'href="{waiting_url(editions["vol"])}"' in html
    assert waiting_url(editions["open"]) not in html and waiting_url(editions["cancelled"]) not in html
    assert f'href="/aanbod/crisisbeheersing/inschrijven/{editions["open"]}"' in html


def test_waiting_list_form_says_what_it_is_and_has_no_waiting_list_box(client, editions):
    response = client.get(waiting_url(editions["full"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Op de wachtlijst voor Crisisbeheersing</h1>" in html
    assert "Deze editie is vol. Meld je aan voor de wachtlijst" in html
    assert 'name="join_waiting_list"' not in html and "als er geen plaats meer is" not in html
    assert "Aanmelden voor de wachtlijst</button>" in html
    assert ".ics" not in html
    # the enrolment form of a full edition sends you here; the waiting list of an open one there
    assert client.get(f"/aanbod/crisisbeheersing/inschrijven/{editions['full']}").headers[
        "Location"].endswith(waiting_url(editions["full"]))
    assert client.get(waiting_url(editions["open"])).headers["Location"].endswith(
        f"/inschrijven/{editions['open']}")
    assert client.get(waiting_url(editions["cancelled"])).status_code == 409


def test_waiting_person_gets_no_calendar_and_no_substitute_offer(app, client, post_form, editions, outbox):
    response = post_form(client, waiting_url(editions["full"]), WAITING)
    assert response.status_code == 303
    assert counts(app) == (2, 2)
    page = confirm_by_mail(client, outbox).get_data(as_text=True)
    assert "Je aanmelding voor de wachtlijst is bevestigd" in page and "Wachtlijst, plaats 1" in page
    assert ".ics" not in page and "vervanger" not in page

    [_, mail] = outbox(VALID["email"])  # the request to confirm, then this
    assert mail.subject.startswith("Je staat op de wachtlijst")
    assert mail.attachments == [] and "vervanger" not in mail.body_text
    assert "Je plaats op de wachtlijst bekijken of je afmelden:" in mail.body_text

    manage = link_from(mail.body_text, "/inschrijving/")
    html = client.get(manage).get_data(as_text=True)
    assert "plaats 1 op de wachtlijst" in html
    assert ".ics" not in html and "vervanger" not in html.lower()
    assert "Afmelden voor de wachtlijst" in html
    assert client.get(manage + "/agenda.ics").status_code == 410


def test_waiting_list_form_errors_stay_on_the_waiting_list_form(app, client, post_form, editions):
    response = post_form(client, waiting_url(editions["full"]), {**WAITING, "email": "geen-adres"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Op de wachtlijst voor Crisisbeheersing" in html
    assert f'action="{waiting_url(editions["full"])}"' in html
    assert counts(app) == (1, 1)


def test_confirmed_person_keeps_the_calendar(setup_data, client, editions):
    with setup_data():
        edition = db.session.get(Enrolment, 1).edition
        enrolment = make_enrolment(make_edition(edition.offering))
        path = "/" + manage_url(enrolment).split("/", 3)[3]
    html = client.get(path).get_data(as_text=True)
    assert f'href="{path}/agenda.ics"' in html and "Een vervanger sturen" in html
    response = client.get(path + "/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in response.data
