"""Issue 17: the enrolment deadline of an edition (its own, or ENROLMENT_DEADLINE_DAYS before the
start), shown on the offering page; after it no enrolment and no waiting list, the interest form
instead. The clock is moved by replacing sbo.clock.today (what the pages and services read)."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from sbo import clock
from sbo.catalogue.models import EditionStatus
from sbo.enrolment import services
from sbo.filters import dutch_date
from tests.enrolment.helpers import VALID, counts, enrol_url
from tests.factories import make_edition, make_offering

START = date(2027, 3, 12)  # a Friday; the default deadline (7 days) is Friday 5 March
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def move_clock(monkeypatch):
    def move(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda now=None: day)
    return move


@pytest.fixture
def edition(setup_data, move_clock):
    move_clock(START - timedelta(days=30))
    with setup_data():
        return make_edition(make_offering(slug="crisis", title="Crisiscommunicatie"), start_date=START,
                            capacity=3)


def row_of(page: str) -> str:
    return page.split('<tbody>')[1].split('</tbody>')[0]


def test_the_default_deadline_is_shown_and_enrolling_works_until_it(client, post_form, edition, move_clock):
    page = client.get("/aanbod/crisis").get_data(as_text=True)
    assert "Inschrijven kan tot en met 5 maart 2027" in row_of(page)
    move_clock(date(2027, 3, 5))  # the last day itself
    row = row_of(client.get("/aanbod/crisis").get_data(as_text=True))
    assert enrol_url(edition) in row and ">Inschrijven<" in row
    assert post_form(client, enrol_url(edition), VALID).status_code == 303
    assert counts(client.application) == (1, 1)


def test_after_the_deadline_the_row_offers_the_interest_form(client, edition, move_clock):
    move_clock(date(2027, 3, 6))
    row = row_of(client.get("/aanbod/crisis").get_data(as_text=True))
    assert "Inschrijving gesloten" in row and "Inschrijven kan tot en met" not in row
    assert enrol_url(edition) not in row and "/wachtlijst/" not in row
    assert 'href="/aanbod/crisis/interesse"' in row and "Houd mij op de hoogte" in row


def test_the_form_after_the_deadline_says_so_and_stores_nothing(client, post_form, edition, move_clock):
    move_clock(date(2027, 3, 6))
    response = client.get(enrol_url(edition))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Inschrijven voor deze editie kon tot en met 5 maart 2027" in html
    assert 'href="/aanbod/crisis/interesse"' in html and "Houd mij op de hoogte" in html
    # a form opened before the deadline and sent after it (CSRF token from another form)
    response = post_form(client, enrol_url(edition), VALID, page="/aanbod/crisis/interesse")
    assert response.status_code == 409 and "kon tot en met 5 maart 2027" in response.get_data(as_text=True)
    assert counts(client.application) == (0, 0)


def test_a_full_edition_after_the_deadline_has_no_waiting_list(client, post_form, setup_data, move_clock):
    move_clock(date(2027, 3, 8))
    with setup_data():
        edition = make_edition(make_offering(slug="vol"), start_date=START, capacity=1,
                               status=EditionStatus.VOL)
    row = row_of(client.get("/aanbod/vol").get_data(as_text=True))
    assert "/wachtlijst/" not in row and 'href="/aanbod/vol/interesse"' in row
    waiting = f"/aanbod/vol/wachtlijst/{edition.id}"
    assert client.get(waiting).status_code == 409
    assert client.get(enrol_url(edition), follow_redirects=True).status_code == 409
    assert post_form(client, waiting, VALID, page="/aanbod/vol/interesse").status_code == 409
    assert counts(client.application) == (0, 0)


def test_an_own_deadline_wins_over_the_default_and_goes_into_json_ld(app, client, setup_data, move_clock):
    move_clock(date(2027, 2, 1))
    with setup_data():
        offering = make_offering(slug="eigen")
        make_edition(offering, start_date=START, enrolment_deadline=date(2027, 2, 20))
        make_edition(offering, start_date=START + timedelta(days=7))
    page = client.get("/aanbod/eigen").get_data(as_text=True)
    assert "Inschrijven kan tot en met 20 februari 2027" in page
    assert "Inschrijven kan tot en met 12 maart 2027" in page  # 19 March, a week before
    offers = [i["offers"] for i in json.loads(JSONLD.search(page).group(1))["hasCourseInstance"]]
    assert [o["validThrough"] for o in offers] == ["2027-02-20", "2027-03-12"]


def test_the_default_comes_from_the_configuration(app, app_ctx):
    app.config["ENROLMENT_DEADLINE_DAYS"] = 14
    edition = make_edition(make_offering(), start_date=START)
    assert edition.enrolment_closes_on == date(2027, 2, 26)
    assert dutch_date(edition.enrolment_closes_on) == "26 februari 2027"
    # never later than the day before the start, whatever is set
    app.config["ENROLMENT_DEADLINE_DAYS"] = 0
    assert edition.enrolment_closes_on == date(2027, 3, 11)
    edition.enrolment_deadline = START
    assert edition.enrolment_closes_on == date(2027, 3, 11)


def test_the_service_refuses_after_the_deadline(app_ctx):
    edition = make_edition(make_offering(), start_date=START, enrolment_deadline=date(2027, 3, 1))
    person = [services.Participant("Sanne", "de Vries", "sanne@gemeente.example")]
    with pytest.raises(services.DeadlinePassed):
        services.enrol(edition, {}, person, on=date(2027, 3, 2))
    assert services.enrol(edition, {}, person, on=date(2027, 3, 1)).id
