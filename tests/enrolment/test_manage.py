"""The personal link: view, cancel (frees the seat for the waiting list), substitute,
tampered and expired links, the cut-off before the start."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.enrolment.helpers import link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from


@pytest.fixture
def full_edition(setup_data):
    """A 2-seat edition, full, with two people waiting. Returns (edition id, manage path of seat 1)."""
    with setup_data():
        edition = make_edition(make_offering(), capacity=2)
        first = make_enrolment(edition, email="eerste@example.org")
        make_enrolment(edition)
        make_enrolment(edition, status="waiting", email="wacht1@example.org")
        make_enrolment(edition, status="waiting", email="wacht2@example.org")
        return edition.id, "/" + manage_url(first).split("/", 3)[3]


def statuses(app, edition_id):
    with app.app_context():
        return dict(db.session.execute(
            db.select(Enrolment.email, Enrolment.status).where(Enrolment.edition_id == edition_id)).all())


def test_link_shows_the_enrolment(client, full_edition):
    _, path = full_edition
    html = client.get(path).get_data(as_text=True)
    assert "Je inschrijving" in html and "eerste@example.org" in html and "Bevestigd" in html


def test_cancel_frees_seat_and_offers_it_to_the_first_waiting(app, client, post_form, full_edition, outbox):
    edition_id, path = full_edition
    token = csrf_from(client.get(path).get_data(as_text=True))
    response = client.post(path + "/annuleren", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Je inschrijving is geannuleerd" in client.get(path).get_data(as_text=True)
    now = statuses(app, edition_id)
    assert [now["eerste@example.org"], now["wacht1@example.org"], now["wacht2@example.org"]] == [
        "cancelled", "offered", "waiting"]
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 2  # the seat is held for the offer
    [offered] = outbox("wacht1@example.org")
    assert "Er is een plaats voor je vrij" in offered.subject and "/wachtlijst/aanbod/" in offered.body_text
    assert outbox("eerste@example.org")[0].subject.startswith("Je inschrijving is geannuleerd")
    # a second cancel with the same link changes nothing
    response = client.post(path + "/annuleren", data={"csrf_token": token})
    assert response.status_code == 409 and "al geannuleerd" in response.get_data(as_text=True)
    assert statuses(app, edition_id)["wacht2@example.org"] == "waiting"


def test_staff_cancel_promotes_too(app, full_edition):
    from sbo.enrolment.services import cancel_enrolment
    edition_id, _ = full_edition
    with app.app_context():
        edition = db.session.get(Edition, edition_id)
        enrolments = db.session.scalars(db.select(Enrolment).where(Enrolment.edition_id == edition_id)
                                        .order_by(Enrolment.id)).all()
        assert [e.status for e in enrolments] == ["confirmed", "confirmed", "waiting", "waiting"]
        promoted = cancel_enrolment(enrolments[1], by_staff=True)
        db.session.commit()
        assert [p.email for p in promoted] == ["wacht1@example.org"]


def test_substitute_takes_over_and_old_link_stops_working(app, client, post_form, full_edition, outbox):
    edition_id, path = full_edition
    response = post_form(client, path + "/vervanger", {
        "first_name": "Kees", "last_name": "Collega", "email": "Kees@Example.org"}, page=path)
    assert response.status_code == 303
    assert "Je plaats is overgedragen" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert statuses(app, edition_id)["kees@example.org"] == "confirmed"
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 2
    [new] = outbox("kees@example.org")
    assert new.attachments and "Kees" in new.body_text
    assert outbox("eerste@example.org")
    # the old link says where the place went and what to do now, and changes nothing
    old = client.get(path)
    html = old.get_data(as_text=True)
    assert old.status_code == 410 and "Deze link klopt niet" not in html
    assert "Je plaats is overgedragen aan Kees." in html and "Collega" not in html
    assert "Schrijf je opnieuw in" in html and "Neem contact met ons op" in html
    token = csrf_from(client.get(link_from(new.body_text, "/inschrijving/")).get_data(as_text=True))
    assert client.post(path + "/annuleren", data={"csrf_token": token}).status_code == 410
    assert statuses(app, edition_id)["kees@example.org"] == "confirmed"
    assert client.get(link_from(new.body_text, "/inschrijving/")).status_code == 200


def test_substitute_who_is_already_enrolled_is_refused(app, client, post_form, full_edition):
    edition_id, path = full_edition
    response = post_form(client, path + "/vervanger", {
        "first_name": "W", "last_name": "W", "email": "wacht2@example.org"}, page=path)
    assert response.status_code == 422
    assert "wacht2@example.org is al ingeschreven" in response.get_data(as_text=True)
    assert statuses(app, edition_id)["eerste@example.org"] == "confirmed"


def test_tampered_link_changes_nothing(app, client, post_form, full_edition):
    edition_id, path = full_edition
    tampered = path[:-3] + ("xyz" if not path.endswith("xyz") else "abc")
    response = client.get(tampered)
    assert response.status_code == 404 and "Deze link klopt niet" in response.get_data(as_text=True)
    token = csrf_from(client.get(path).get_data(as_text=True))
    response = client.post(tampered + "/annuleren", data={"csrf_token": token})
    assert response.status_code == 404
    assert statuses(app, edition_id)["eerste@example.org"] == "confirmed"


def test_expired_link_changes_nothing(app, client, full_edition, monkeypatch):
    edition_id, _ = full_edition
    real_utcnow = clock.utcnow
    with app.app_context():
        enrolment = db.session.scalars(db.select(Enrolment).where(
            Enrolment.email == "eerste@example.org")).one()
        slug = enrolment.edition.offering.slug
        with monkeypatch.context() as patch:
            patch.setattr(clock, "utcnow", lambda: real_utcnow() - timedelta(days=500))
            path = "/" + manage_url(enrolment).split("/", 3)[3]
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 410 and "Deze link is verlopen" in response.get_data(as_text=True)
    token = csrf_from(client.get("/aanbod/" + slug + "/interesse").get_data(as_text=True))
    response = client.post(path + "/annuleren", data={"csrf_token": token})
    assert response.status_code == 410
    assert statuses(app, edition_id)["eerste@example.org"] == "confirmed"


def test_no_online_changes_after_cut_off(app, setup_data, client, post_form):
    with setup_data():
        edition = make_edition(make_offering(), start_date=clock.today() + timedelta(days=1))
        enrolment = make_enrolment(edition, email="laat@example.org")
        path = "/" + manage_url(enrolment).split("/", 3)[3]
        edition_id, slug = edition.id, edition.offering.slug
    html = client.get(path).get_data(as_text=True)
    assert "kan nu niet meer via de website" in html and "Inschrijving annuleren" not in html
    token = csrf_from(client.get(f"/aanbod/{slug}/interesse").get_data(as_text=True))
    response = client.post(path + "/annuleren", data={"csrf_token": token})
    assert response.status_code == 409 and "niet meer zo kort voor de start" in response.get_data(as_text=True)
    assert statuses(app, edition_id)["laat@example.org"] == "confirmed"


def test_raising_capacity_then_promote_fills_from_waiting_list(app, full_edition, outbox):
    from sbo.enrolment.services import promote_waiting
    edition_id, _ = full_edition
    with app.app_context():
        edition = db.session.get(Edition, edition_id)
        edition.capacity = 3
        db.session.flush()
        promoted = promote_waiting(edition)
        db.session.commit()
        assert [e.email for e in promoted] == ["wacht1@example.org"]
        assert db.session.get(Edition, edition_id).seats_taken == 3
    assert statuses(app, edition_id)["wacht2@example.org"] == "waiting"
    assert outbox("wacht1@example.org")
