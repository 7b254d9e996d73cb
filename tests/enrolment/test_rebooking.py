"""Rebooking (omboeken) from the personal link: the other dates with their seats, the move in
one transaction (seat taken in the new edition, freed in the old, its waiting list served),
the deadline with the clock moved, a full target, and the mails."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo import clock
from sbo.catalogue.models import Edition, EditionStatus
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Booking, Enrolment
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

START = clock.today() + timedelta(days=30)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def dates(setup_data):
    """One offering: "now" (2 seats, full, one waiting) where Anna holds a seat; "later"
    (3 seats, free); "full" (1 seat, taken); "cancelled"; "closed" (deadline passed); and
    another offering's edition. Returns the ids and Anna's manage path."""
    with setup_data():
        offering = make_offering(slug="omboeken", title="Omgaan met agressie")
        now = make_edition(offering, capacity=2, start_date=START, city="Utrecht")
        later = make_edition(offering, capacity=3, start_date=START + timedelta(days=21), city="Zwolle")
        full = make_edition(offering, capacity=1, start_date=START + timedelta(days=42), city="Breda")
        cancelled = make_edition(offering, start_date=START + timedelta(days=14),
                                 status=EditionStatus.GEANNULEERD, city="Assen")
        closed = make_edition(offering, start_date=clock.today() + timedelta(days=3),
                              enrolment_deadline=clock.today() - timedelta(days=1), city="Venlo")
        other = make_edition(make_offering(slug="anders"), city="Delft")
        anna = make_enrolment(now, first_name="Anna", last_name="Smit", email="anna@example.org")
        make_enrolment(now)
        make_enrolment(now, status="waiting", email="wacht@example.org")
        make_enrolment(full, email="bezet@example.org")
        ids = {"now": now.id, "later": later.id, "full": full.id, "cancelled": cancelled.id,
               "closed": closed.id, "other": other.id}
        return ids, path_of(manage_url(anna))


def rebook(client, path, edition_id, waiting=False):
    page = client.get(path + "/omboeken")
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "edition_id": edition_id}
    if waiting:
        data["join_waiting_list"] = "y"
    return client.post(path + "/omboeken", data=data)


def row(app, email):
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.email == email))
        return enrolment.edition_id, enrolment.status


def seats(app, edition_id):
    with app.app_context():
        return db.session.get(Edition, edition_id).seats_taken


def test_the_page_lists_the_other_open_dates_with_seats_and_the_rule(client, dates):
    ids, path = dates
    html = client.get(path).get_data(as_text=True)
    assert "Andere datum kiezen" in html
    page = client.get(path + "/omboeken")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("private")
    assert "Zwolle" in html and "Nog 3 plaatsen" in html and "Breda" in html and "Vol" in html
    assert "Naar de wachtlijst" in html  # the full date's button
    for place in ("Assen", "Venlo", "Delft"):  # cancelled, closed, another offering
        assert place not in html
    assert "Omboeken naar een andere datum van dezelfde training is kosteloos, tot 2 dagen voor de start" in html
    assert f'value="{ids["now"]}"' not in html


def test_moving_takes_the_new_seat_frees_the_old_and_serves_its_waiting_list(app, client, dates, outbox):
    ids, path = dates
    response = rebook(client, path, ids["later"])
    assert response.status_code == 303
    assert row(app, "anna@example.org") == (ids["later"], "confirmed")
    assert row(app, "wacht@example.org") == (ids["now"], "offered")  # the freed seat is offered
    assert seats(app, ids["now"]) == 2 and seats(app, ids["later"]) == 1
    with app.app_context():
        assert seat_count_mismatches() == []
        booking = db.session.scalar(select(Booking).where(Booking.email == "anna@example.org"))
        assert booking.edition_id == ids["later"]  # the booking follows its only participant
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je bent omgeboekt naar" in html and "Zwolle" in html  # the same link, the new date
    [mail] = outbox("anna@example.org")
    assert mail.subject.startswith("Omgeboekt: Omgaan met agressie") and mail.attachments
    assert "Je hebt je inschrijving omgeboekt van" in mail.body_text and "Zwolle" in mail.body_text
    assert any(m.subject.startswith("Er is een plaats voor je vrij") for m in outbox("wacht@example.org"))


def test_a_full_date_keeps_the_seat_unless_the_person_chooses_its_waiting_list(app, client, dates, outbox):
    ids, path = dates
    response = rebook(client, path, ids["full"])
    assert response.status_code == 409
    assert "Deze datum is intussen vol. Je houdt je huidige plaats" in response.get_data(as_text=True)
    assert row(app, "anna@example.org") == (ids["now"], "confirmed") and seats(app, ids["now"]) == 2

    response = rebook(client, path, ids["full"], waiting=True)
    assert response.status_code == 303
    assert row(app, "anna@example.org") == (ids["full"], "waiting")
    assert row(app, "wacht@example.org") == (ids["now"], "offered")  # Anna's old seat is offered on
    assert seats(app, ids["full"]) == 1 and seats(app, ids["now"]) == 2
    html = client.get(path).get_data(as_text=True)  # the link now opens the waiting place
    assert "plaats 1 op de wachtlijst" in html
    [mail] = outbox("anna@example.org")
    assert "je staat op de wachtlijst, op plaats 1" in mail.body_text and not mail.attachments


def test_a_waiting_place_moves_to_the_end_of_the_other_list(app, client, setup_data, dates):
    ids, _ = dates
    with setup_data():
        full = db.session.get(Edition, ids["full"])
        make_enrolment(full, status="waiting", email="eerder@example.org")
        now = db.session.get(Edition, ids["now"])
        late = make_enrolment(now, status="waiting", email="later@example.org")
        path = path_of(manage_url(late))
    assert rebook(client, path, ids["full"], waiting=True).status_code == 303
    with app.app_context():
        queue = db.session.scalars(select(Enrolment.email).where(
            Enrolment.edition_id == ids["full"], Enrolment.status == "waiting").order_by(Enrolment.id)).all()
    assert queue == ["eerder@example.org", "later@example.org"]
    assert seats(app, ids["now"]) == 2  # a waiting place freed no seat


def test_after_the_deadline_the_link_no_longer_moves(app, client, dates, monkeypatch):
    ids, path = dates
    monkeypatch.setattr(clock, "today", lambda now=None: START - timedelta(days=2))  # the last day
    assert "Andere datum kiezen" in client.get(path).get_data(as_text=True)
    token = csrf_from(client.get(path + "/omboeken").get_data(as_text=True))
    monkeypatch.setattr(clock, "today", lambda now=None: START - timedelta(days=1))
    html = client.get(path).get_data(as_text=True)
    assert "omboeken of een vervanger doorgeven kan nu niet meer" in html
    assert client.get(path + "/omboeken").status_code == 302
    response = client.post(path + "/omboeken", data={"csrf_token": token, "edition_id": ids["later"]})
    assert response.status_code == 409 and "kan niet meer zo kort voor de start" in response.get_data(as_text=True)
    assert row(app, "anna@example.org") == (ids["now"], "confirmed")


@pytest.mark.parametrize("target", ["cancelled", "closed", "other", "now", "missing"])
def test_only_another_open_date_of_the_same_offering(app, client, dates, target):
    ids, path = dates
    response = rebook(client, path, ids.get(target, 999999))
    assert response.status_code in (409, 422)
    assert "flash-error" in response.get_data(as_text=True)
    assert row(app, "anna@example.org") == (ids["now"], "confirmed")
    assert seats(app, ids["now"]) == 2


def test_a_post_without_csrf_or_edition_changes_nothing(app, client, dates):
    ids, path = dates
    assert client.post(path + "/omboeken", data={"edition_id": ids["later"]}).status_code == 400
    token = csrf_from(client.get(path + "/omboeken").get_data(as_text=True))
    response = client.post(path + "/omboeken", data={"csrf_token": token, "edition_id": "x"})
    assert response.status_code == 422 and "Kies een van de data" in response.get_data(as_text=True)
    assert row(app, "anna@example.org") == (ids["now"], "confirmed")


def test_already_enrolled_on_the_target(app, client, setup_data, dates):
    ids, path = dates
    with setup_data():
        make_enrolment(db.session.get(Edition, ids["later"]), email="anna@example.org")
    response = rebook(client, path, ids["later"])
    assert response.status_code == 409 and "al ingeschreven" in response.get_data(as_text=True)
    assert seats(app, ids["later"]) == 1 and seats(app, ids["now"]) == 2


def test_a_cancelled_enrolment_cannot_move(app, client, dates):
    ids, path = dates
    token = csrf_from(client.get(path + "/annuleren").get_data(as_text=True))
    assert client.post(path + "/annuleren", data={"csrf_token": token}).status_code == 303
    assert client.get(path + "/omboeken").status_code == 302
    response = client.post(path + "/omboeken", data={"csrf_token": token, "edition_id": ids["later"]})
    assert response.status_code == 409 and row(app, "anna@example.org")[1] == "cancelled"


def test_staff_moves_are_in_the_audit_log_without_personal_data(app_ctx, setup_data, monkeypatch):
    from sbo.audit import AuditEntry
    from sbo.enrolment.rebooking import rebook as move
    from tests.factories import make_staff
    offering = make_offering()
    old, new = make_edition(offering, start_date=START), make_edition(offering, start_date=START + timedelta(days=7))
    enrolment = make_enrolment(old, email="piet@example.org")
    staff = make_staff()
    monkeypatch.setattr(clock, "today", lambda now=None: START - timedelta(days=1))  # past the cut-off
    moved = move(enrolment, new, by_staff=True, actor=staff)
    db.session.commit()
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "enrolment.rebooked")).all()
    assert entry.data == {"from_edition_id": old.id, "to_edition_id": new.id, "status": "confirmed",
                          "promoted": []}
    assert entry.object_id == moved.id and "piet" not in str(entry.data)


def test_staff_move_a_participant_after_the_cut_off(app, logged_in, dates, monkeypatch, outbox):
    from sbo.audit import AuditEntry
    ids, _ = dates
    client, _ = logged_in("editor")
    with app.app_context():
        anna = db.session.scalar(select(Enrolment.id).where(Enrolment.email == "anna@example.org"))
    monkeypatch.setattr(clock, "today", lambda now=None: START - timedelta(days=1))  # past the cut-off
    assert "Omboeken" in client.get(f"/beheer/edities/{ids['now']}/inschrijvingen").get_data(as_text=True)
    url = f"/beheer/inschrijvingen/{anna}/omboeken"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert "Zwolle (nog 3 vrij)" in html and "Breda (vol)" in html and "Assen" not in html
    token = csrf_from(html)
    response = client.post(url, data={"csrf_token": token, "edition_id": ids["full"]})
    assert response.status_code == 409 and "intussen vol" in response.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": token, "edition_id": ids["other"]})
    assert response.status_code == 422  # not one of the choices
    response = client.post(url, data={"csrf_token": token, "edition_id": ids["later"]})
    assert response.status_code == 302
    assert row(app, "anna@example.org") == (ids["later"], "confirmed")
    assert "We hebben je inschrijving omgeboekt" in outbox("anna@example.org")[-1].body_text
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "enrolment.rebooked")).all()
        assert entry.object_id == anna and "anna" not in str(entry.data).lower()
        assert entry.data["to_edition_id"] == ids["later"] and entry.data["from_edition_id"] == ids["now"]
