"""The booker's overview: the booker's own link shows and manages every participant of the
booking (cancel, substitute, rebook, resend the confirmation); a colleague's link manages only
the colleague. The booker is told when a colleague cancels or hands over their own place; the
colleague is told when the booker changes theirs."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo import clock
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url, link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

BOOKER, PIET, KEES = "sanne@gemeente.example", "piet@gemeente.example", "kees@gemeente.example"


@pytest.fixture
def booking(setup_data, client, post_form, outbox):
    """Sanne books herself, Piet and Kees (confirmed); a second date exists; someone else has a
    booking of their own. Returns the manage paths and ids of all."""
    with setup_data():
        offering = make_offering(slug="bibob", title="Bibob in de praktijk")
        edition = make_edition(offering, capacity=10)
        later = make_edition(offering, capacity=10, start_date=clock.today() + timedelta(days=60),
                             city="Zwolle")
        stranger = make_enrolment(edition, email="vreemde@example.org")
    data = {**VALID, "participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
            "participants-0-email": PIET, "participants-1-first_name": "Kees",
            "participants-1-last_name": "Visser", "participants-1-email": KEES}
    assert post_form(client, enrol_url(edition), data).status_code == 303
    confirm_by_mail(client, outbox)
    paths = {email: link_from(outbox(email)[-1].body_text, "/inschrijving/") for email in (BOOKER, PIET, KEES)}
    with setup_data():
        ids = dict(db.session.execute(select(Enrolment.email, Enrolment.id)).all())
    return {"paths": paths, "ids": ids, "later": later.id, "stranger": stranger.id}


def status_of(app, email):
    with app.app_context():
        return db.session.scalar(select(Enrolment.status).where(Enrolment.email == email))


def post(client, page_path, action_path, data=None):
    token = csrf_from(client.get(page_path).get_data(as_text=True))
    return client.post(action_path, data={"csrf_token": token, **(data or {})})


def test_the_booker_sees_every_participant_with_their_actions(client, booking):
    html = client.get(booking["paths"][BOOKER]).get_data(as_text=True)
    assert "Je boeking" in html
    for name in ("Sanne de Vries (jij)", "Piet Bakker", "Kees Visser"):
        assert name in html
    piet = booking["ids"][PIET]
    for action in ("", "/annuleren", "/omboeken"):
        assert f'/deelnemer/{piet}{action}"' in html
    assert f"/deelnemer/{piet}/bevestiging" in html and "Bevestiging opnieuw sturen" in html
    colleague = client.get(booking["paths"][PIET]).get_data(as_text=True)
    assert "Je boeking" not in colleague and "Kees" not in colleague


def test_a_colleague_cannot_reach_another_participant(app, client, booking):
    piet, ids = booking["paths"][PIET], booking["ids"]
    for other in (ids[BOOKER], ids[KEES], booking["stranger"]):
        base = f"{piet}/deelnemer/{other}"
        assert client.get(base).status_code == 404
        assert client.get(base + "/annuleren").status_code == 404
        assert client.get(base + "/omboeken").status_code == 404
        assert post(client, piet, base + "/annuleren").status_code == 404
        assert post(client, piet, base + "/vervanger", {"first_name": "X", "last_name": "Y",
                                                         "email": "x@example.org"}).status_code == 404
        assert post(client, piet, base + "/omboeken", {"edition_id": booking["later"]}).status_code == 404
        assert post(client, piet, base + "/bevestiging").status_code == 404
    assert [status_of(app, e) for e in (BOOKER, KEES, "vreemde@example.org")] == ["confirmed"] * 3
    # the booker's link reaches only their own booking
    sanne = booking["paths"][BOOKER]
    assert client.get(f"{sanne}/deelnemer/{booking['stranger']}").status_code == 404
    assert post(client, sanne, f"{sanne}/deelnemer/{booking['stranger']}/annuleren").status_code == 404
    assert status_of(app, "vreemde@example.org") == "confirmed"


def test_the_booker_cancels_a_colleague_who_is_told(app, client, booking, outbox):
    sanne, piet_id = booking["paths"][BOOKER], booking["ids"][PIET]
    page = client.get(f"{sanne}/deelnemer/{piet_id}/annuleren")
    assert "Piet Bakker staat ingeschreven" in page.get_data(as_text=True)
    response = post(client, sanne, f"{sanne}/deelnemer/{piet_id}/annuleren")
    assert response.status_code == 303 and response.headers["Location"] == sanne
    assert status_of(app, PIET) == "cancelled" and status_of(app, BOOKER) == "confirmed"
    assert "De inschrijving van Piet Bakker is geannuleerd" in client.get(sanne).get_data(as_text=True)
    mail = outbox(PIET)[-1]
    assert mail.subject.startswith("Je inschrijving is geannuleerd")
    assert "Sanne de Vries, die jullie inschrijving heeft verzorgd, heeft je inschrijving geannuleerd" in mail.body_text
    assert not any(m.subject.startswith("Wijziging in je boeking") for m in outbox(BOOKER))


def test_the_booker_substitutes_a_colleague(app, client, booking, outbox):
    sanne, kees_id = booking["paths"][BOOKER], booking["ids"][KEES]
    response = post(client, sanne, f"{sanne}/deelnemer/{kees_id}/vervanger",
                    {"first_name": "Lotte", "last_name": "Mulder", "email": "lotte@gemeente.example"})
    assert response.status_code == 303 and response.headers["Location"] == sanne
    assert status_of(app, "lotte@gemeente.example") == "confirmed"
    assert "Sanne de Vries, die jullie inschrijving heeft verzorgd, heeft je plaats overgedragen" in \
        outbox(KEES)[-1].body_text
    assert outbox("lotte@gemeente.example")[-1].subject.startswith("Je neemt deel aan")
    assert client.get(booking["paths"][KEES]).status_code == 410  # Kees's own link is handed over


def test_the_booker_rebooks_a_colleague_who_is_told(app, client, booking, outbox):
    sanne, piet_id = booking["paths"][BOOKER], booking["ids"][PIET]
    assert "Zwolle" in client.get(f"{sanne}/deelnemer/{piet_id}/omboeken").get_data(as_text=True)
    response = post(client, sanne, f"{sanne}/deelnemer/{piet_id}/omboeken", {"edition_id": booking["later"]})
    assert response.status_code == 303
    with app.app_context():
        piet = db.session.get(Enrolment, piet_id)
        assert piet.edition_id == booking["later"] and piet.booking.edition_id != booking["later"]
    mail = outbox(PIET)[-1]
    assert "Sanne de Vries, die jullie inschrijving heeft verzorgd, heeft je inschrijving omgeboekt" in mail.body_text
    html = client.get(sanne).get_data(as_text=True)
    assert "Piet Bakker is omgeboekt naar" in html
    assert client.get(booking["paths"][PIET]).status_code == 200  # Piet's link follows him


def test_the_booker_is_told_when_a_colleague_cancels_or_hands_over(app, client, booking, outbox):
    piet, kees = booking["paths"][PIET], booking["paths"][KEES]
    assert post(client, piet + "/annuleren", piet + "/annuleren").status_code == 303
    told = outbox(BOOKER)[-1]
    assert told.subject == "Wijziging in je boeking: Bibob in de praktijk"
    assert "Piet Bakker heeft de inschrijving voor Bibob in de praktijk" in told.body_text
    overview = link_from(told.body_text, "/inschrijving/")
    assert "Je boeking" in client.get(overview).get_data(as_text=True)

    assert post(client, kees, kees + "/vervanger", {"first_name": "Lotte", "last_name": "Mulder",
                                                     "email": "lotte@gemeente.example"}).status_code == 303
    told = outbox(BOOKER)[-1]
    assert "Kees Visser heeft de plaats bij Bibob in de praktijk" in told.body_text
    assert "overgedragen aan Lotte Mulder" in told.body_text


def test_the_booker_is_told_when_a_colleague_rebooks(client, booking, outbox):
    piet = booking["paths"][PIET]
    assert post(client, piet + "/omboeken", piet + "/omboeken", {"edition_id": booking["later"]}).status_code == 303
    told = outbox(BOOKER)[-1]
    assert "Piet Bakker heeft de inschrijving voor Bibob in de praktijk omgeboekt" in told.body_text


def test_the_booker_resends_a_confirmation_once_per_period(client, booking, outbox):
    sanne, kees_id = booking["paths"][BOOKER], booking["ids"][KEES]
    before = len(outbox(KEES))
    response = post(client, sanne, f"{sanne}/deelnemer/{kees_id}/bevestiging")
    assert response.status_code == 303
    assert "de bevestiging opnieuw gestuurd" in client.get(sanne).get_data(as_text=True)
    [mail] = outbox(KEES)[before:]
    assert mail.subject.startswith("Bevestiging van je inschrijving")
    new_link = link_from(mail.body_text, "/inschrijving/")
    assert new_link != booking["paths"][KEES] and client.get(new_link).status_code == 200
    post(client, sanne, f"{sanne}/deelnemer/{kees_id}/bevestiging")
    assert "kort geleden al een bevestiging" in client.get(sanne).get_data(as_text=True)
    assert len(outbox(KEES)) == before + 1
