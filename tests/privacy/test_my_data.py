"""/mijn-gegevens: the same answer for every address, an opaque single-use link by mail, the
overview across all domains, and its export as JSON and CSV."""
from __future__ import annotations

import csv
import io
import re
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo import clock
from sbo.enrolment.models import Enrolment, InterestRegistration, InterestStatus
from sbo.extensions import db
from sbo.privacy.models import DataRequest
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

ADDRESS = "sanne@gemeente.example"
SENT = "Als we gegevens hebben bij dit e-mailadres"


@pytest.fixture
def held(setup_data):
    """For ADDRESS: a booking with a colleague, a waiting-list place, an interest registration
    and a comment."""
    with setup_data():
        offering = make_offering(title="Crisisbeheersing")
        edition = make_edition(offering, start_date=clock.today() + timedelta(days=40))
        booker = make_enrolment(edition, email=ADDRESS, first_name="Sanne")
        db.session.add(Enrolment(booking=booker.booking, edition=edition, first_name="Piet", last_name="Bos",
                                 email="piet@gemeente.example", status="confirmed"))
        full = make_edition(offering, start_date=clock.today() + timedelta(days=80), capacity=1)
        make_enrolment(full)
        make_enrolment(full, status="waiting", email=ADDRESS, first_name="Sanne")
        db.session.add(InterestRegistration(offering_id=make_offering(title="Wijkaanpak").id, name="Sanne",
                                            email=ADDRESS, status=InterestStatus.ACTIVE))
        make_comment(make_article(title="Woonoverlast"), author_email=ADDRESS, body="Goed stuk!")


def ask(client, email):
    page = client.get("/mijn-gegevens")
    return client.post("/mijn-gegevens", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                               "email": email})


def link_in(message) -> str:
    [url] = [word for word in message.body_text.split() if "/mijn-gegevens/link/" in word]
    return "/" + url.split("/", 3)[3]


def open_overview(client, link):
    page = client.get(link)
    assert page.status_code == 200 and "Toon mijn gegevens</button>" in page.get_data(as_text=True)
    response = client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    return client.get(response.headers["Location"])


def test_the_form_answers_the_same_for_known_and_unknown_addresses(app, client, held, outbox):
    known, unknown = ask(client, ADDRESS.upper()), ask(client, "niemand@voorbeeld.nl")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"] == "/mijn-gegevens/verstuurd"
    assert SENT in client.get("/mijn-gegevens/verstuurd").get_data(as_text=True)
    assert len(outbox(ADDRESS)) == 1 and not outbox("niemand@voorbeeld.nl")
    ask(client, ADDRESS)  # a second request within the throttle period mails nothing more
    assert len(outbox(ADDRESS)) == 1


def test_the_link_is_opaque_single_use_and_shows_everything(app, client, held, outbox):
    ask(client, ADDRESS)
    [message] = outbox(ADDRESS)
    link = link_in(message)
    assert "sanne" not in link.lower() and "gemeente" not in link
    with app.app_context():
        [request] = db.session.scalars(select(DataRequest)).all()
        assert request.token_hash not in link and link.rsplit("/", 1)[1] not in request.token_hash

    response = open_overview(client, link)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    for words in ("Boekingen (2)", "Inschrijvingen en wachtlijstplaatsen (2)", "Wachtlijst",
                  "Houd mij op de hoogte (1)", "Wijkaanpak", "Reacties (1)", "Goed stuk!",
                  "E-mails aan jou (1)", "Je gegevens bij SBO"):
        assert words in html, words
    assert "piet@gemeente.example" not in html  # the colleague's own enrolment is theirs
    # dates read as Dutch dates, not as the export's ISO text
    start = clock.today() + timedelta(days=40)
    assert f"<dd>{start.day} " in html and f"{start.year}</dd>" in html
    assert start.isoformat() not in html and not re.search(r"<dd>\d{4}-\d{2}-\d{2}", html)

    assert client.get(link).status_code == 410  # used
    client2 = app.test_client()
    assert client2.get("/mijn-gegevens/overzicht").status_code == 303  # no session, no data


def test_export_as_json_and_csv(app, client, held, outbox):
    ask(client, ADDRESS)
    open_overview(client, link_in(outbox(ADDRESS)[0]))

    response = client.get("/mijn-gegevens/gegevens.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["e-mailadres"] == ADDRESS
    sections = data["gegevens"]
    assert sections["Boekingen"][0]["organisatie"] == "Gemeente Testdorp"
    assert {row["status"] for row in sections["Inschrijvingen en wachtlijstplaatsen"]} == {"Bevestigd", "Wachtlijst"}
    assert sections["Houd mij op de hoogte"][0]["opleiding"] == "Wijkaanpak"
    assert sections["Reacties"][0]["tekst"] == "Goed stuk!"

    response = client.get("/mijn-gegevens/gegevens.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["onderdeel", "nummer", "veld", "waarde"]
    assert ["Reacties", "1", "tekst", "Goed stuk!"] in rows


def test_an_expired_link_does_not_open(app, client, held, monkeypatch, outbox):
    ask(client, ADDRESS)
    link = link_in(outbox(ADDRESS)[0])
    later = clock.utcnow() + timedelta(minutes=app.config["MY_DATA_LINK_MINUTES"] + 1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert client.get(link).status_code == 410
    assert client.get("/mijn-gegevens/link/verzonnen").status_code == 410


def test_the_overview_closes_after_its_time(app, client, held, monkeypatch, outbox):
    ask(client, ADDRESS)
    open_overview(client, link_in(outbox(ADDRESS)[0]))
    later = clock.utcnow() + timedelta(minutes=app.config["MY_DATA_SESSION_MINUTES"] + 1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert client.get("/mijn-gegevens/gegevens.json").status_code == 303


def test_asking_is_rate_limited(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    statuses = [ask(client, f"iemand{n}@voorbeeld.nl").status_code for n in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429
