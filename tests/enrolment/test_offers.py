"""Waiting-list offers: a freed seat is held and offered, accepted, declined or lapsed by the
clock and then offered to the next; groups as a whole; the reminder; no overbooking when
accepts and enrolments race (PostgreSQL, threads)."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment import offers
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.models import Booking, Enrolment, Offer
from sbo.enrolment.services import cancel_enrolment
from sbo.extensions import db
from tests.enrolment.helpers import link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from


def make_group(edition, *names: str) -> Booking:
    """A confirmed booking whose people all wait (the first is the booker)."""
    booking = Booking(edition=edition, first_name=names[0], last_name="Groep", email=f"{names[0]}@example.org",
                      organisation="Gemeente Testdorp", confirmed_at=clock.utcnow())
    db.session.add(booking)
    db.session.add_all(Enrolment(booking=booking, edition=edition, first_name=name, last_name="Groep",
                                 email=f"{name}@example.org", status="waiting") for name in names)
    db.session.flush()
    return booking


@pytest.fixture
def full(setup_data):
    """A full edition (2 seats, 30 days ahead) with two people waiting: wim, then wil."""
    with setup_data():
        edition = make_edition(make_offering(title="Crisisbeheersing"), capacity=2)
        seated = [make_enrolment(edition, email=f"zit{n}@example.org") for n in range(2)]
        make_enrolment(edition, "waiting", email="wim@example.org", first_name="Wim")
        make_enrolment(edition, "waiting", email="wil@example.org", first_name="Wil")
        return {"edition": edition.id, "seated": [e.id for e in seated]}


def status(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Enrolment.status).where(Enrolment.email == email))


def seats_taken(app, edition_id: int) -> int:
    with app.app_context():
        return db.session.get(Edition, edition_id).seats_taken


def free_a_seat(app, full) -> None:
    with app.app_context():
        cancel_enrolment(db.session.get(Enrolment, full["seated"][0]), by_staff=True)
        db.session.commit()


def offer_link(outbox, to: str) -> str:
    [mail] = [m for m in outbox(to) if m.subject.startswith("Er is een plaats voor je vrij")]
    return link_from(mail.body_text, "/wachtlijst/aanbod/")


def answer(client, path: str, action: str, token: str | None = None):
    """POST the button; `token`: a CSRF token taken earlier (a closed offer shows no form)."""
    if token is None:
        page = client.get(path if action == "aannemen" else f"{path}/{action}")
        token = csrf_from(page.get_data(as_text=True))
    return client.post(f"{path}/{action}", data={"csrf_token": token})


def move_clock(monkeypatch, hours: float) -> None:
    later = clock.utcnow() + timedelta(hours=hours)
    monkeypatch.setattr(clock, "utcnow", lambda: later)


def test_a_freed_seat_is_held_and_offered_to_the_first_waiting(app, client, full, outbox):
    free_a_seat(app, full)
    assert status(app, "wim@example.org") == "offered" and status(app, "wil@example.org") == "waiting"
    assert seats_taken(app, full["edition"]) == 2  # held: the public count shows it taken
    [mail] = outbox("wim@example.org")
    assert mail.subject == "Er is een plaats voor je vrij: Crisisbeheersing"
    assert "We houden hem voor je vast tot" in mail.body_text and "- Wim" in mail.body_text
    html = client.get(offer_link(outbox, "wim@example.org")).get_data(as_text=True)
    assert "<h1>Er is een plaats voor je vrij</h1>" in html and "Plaats aannemen</button>" in html
    with app.app_context():
        [offer] = db.session.scalars(select(Offer)).all()
        assert (offer.state, offer.seats) == ("open", 1)
        assert offer.expires_at - offer.created_at == timedelta(hours=48)
        assert seat_count_mismatches() == []


def test_accepting_confirms_and_mails_the_calendar(app, client, full, outbox):
    free_a_seat(app, full)
    path = offer_link(outbox, "wim@example.org")
    token = csrf_from(client.get(path).get_data(as_text=True))
    response = answer(client, path, "aannemen", token)
    assert response.status_code == 303
    html = client.get(path).get_data(as_text=True)
    assert "Je bent ingeschreven" in html
    assert status(app, "wim@example.org") == "confirmed" and seats_taken(app, full["edition"]) == 2
    confirmation = outbox("wim@example.org")[-1]
    assert confirmation.subject == "Je bent ingeschreven: Crisisbeheersing" and confirmation.attachments
    # a second accept changes nothing and says so
    again = answer(client, path, "aannemen", token)
    assert again.status_code == 409 and "Je hebt deze plaats al aangenomen" in again.get_data(as_text=True)


def test_declining_asks_first_then_offers_the_seat_to_the_next(app, client, full, outbox):
    free_a_seat(app, full)
    path = offer_link(outbox, "wim@example.org")
    step = client.get(path + "/afslaan")
    assert step.status_code == 200 and "Plaats afslaan?" in step.get_data(as_text=True)
    assert status(app, "wim@example.org") == "offered"  # the GET changed nothing
    assert answer(client, path, "afslaan").status_code == 303
    assert status(app, "wim@example.org") == "cancelled"  # waited for this date only: off the list
    assert status(app, "wil@example.org") == "offered"
    assert seats_taken(app, full["edition"]) == 2
    html = client.get(path).get_data(as_text=True)
    assert "Je hebt deze plaats afgeslagen" in html and "Je staat niet meer op de wachtlijst" in html


def test_an_offer_lapses_by_the_clock_and_the_seat_goes_to_the_next(app, client, runner, full, outbox,
                                                                   monkeypatch):
    free_a_seat(app, full)
    path = offer_link(outbox, "wim@example.org")
    token = csrf_from(client.get(path).get_data(as_text=True))
    result = runner.invoke(args=["process-offers"])
    assert result.output.startswith("0 offers lapsed, 0 reminders due")
    move_clock(monkeypatch, 36.5)  # within 12 hours of the end: the reminder
    result = runner.invoke(args=["process-offers"])
    assert result.output.startswith("0 offers lapsed, 1 reminders due"), result.output
    reminder = outbox("wim@example.org")[-1]
    assert reminder.subject.startswith("Herinnering: je plaats wordt nog vastgehouden")
    assert "/wachtlijst/aanbod/" in reminder.body_text
    assert runner.invoke(args=["process-offers"]).output.startswith("0 offers lapsed, 0 reminders")  # once
    move_clock(monkeypatch, 48.5)
    assert runner.invoke(args=["process-offers"]).output.startswith("1 offers lapsed")
    assert status(app, "wim@example.org") == "cancelled" and status(app, "wil@example.org") == "offered"
    told = outbox("wim@example.org")[-1]  # Wim is told, Wil is offered the seat
    assert told.subject == "Aangeboden plaats vervallen: Crisisbeheersing"
    assert "het aanbod is vervallen" in told.body_text and "niet meer op de wachtlijst" in told.body_text
    assert outbox("wil@example.org")[-1].subject.startswith("Er is een plaats voor je vrij")
    lapsed = client.get(path)
    html = lapsed.get_data(as_text=True)
    assert lapsed.status_code == 410
    assert "Dit aanbod is verlopen" in html and "Je staat niet meer op de wachtlijst" in html
    assert answer(client, path, "aannemen", token).status_code == 409
    assert status(app, "wim@example.org") == "cancelled"


def test_a_visit_after_the_expiry_lapses_it_without_the_command(app, client, full, outbox, monkeypatch):
    free_a_seat(app, full)
    path = offer_link(outbox, "wim@example.org")
    move_clock(monkeypatch, 49)
    assert "Dit aanbod is verlopen" in client.get(path).get_data(as_text=True)
    assert status(app, "wil@example.org") == "offered"


def test_the_offer_is_shorter_when_the_edition_starts_soon(app):
    with app.app_context():
        edition = make_edition(make_offering(), start_date=clock.today() + timedelta(days=2))
        now = clock.to_utc(clock.today(), clock.time(9, 0))  # in the morning: late at night "tomorrow" is too soon
        expires = offers.expiry(edition, now)
        day_before = clock.to_utc(edition.start_date - timedelta(days=1), None, default=clock.time(0, 0))
        assert expires == max(day_before, now + timedelta(hours=4)) and expires < now + timedelta(hours=48)
        tomorrow = make_edition(make_offering(), start_date=clock.today() + timedelta(days=1))
        assert offers.expiry(tomorrow, now) >= now + timedelta(hours=4)
        started = make_edition(make_offering(), start_date=clock.today())
        assert offers.expiry(started, now) is None


def test_a_group_is_offered_as_a_whole_or_the_next_that_fits(app, setup_data, outbox):
    with setup_data():
        edition = make_edition(make_offering(), capacity=3)
        seated = [make_enrolment(edition) for _ in range(3)]
        make_group(edition, "anna", "bram")
        make_enrolment(edition, "waiting", email="solo@example.org")
        edition_id, seated_ids = edition.id, [e.id for e in seated]
    with app.app_context():
        offered = cancel_enrolment(db.session.get(Enrolment, seated_ids[0]), by_staff=True)
        db.session.commit()
        assert [e.email for e in offered] == ["solo@example.org"]  # the group of two does not fit one seat
        assert status(app, "anna@example.org") == "waiting"
        offered = cancel_enrolment(db.session.get(Enrolment, seated_ids[1]), by_staff=True)
        assert offered == []
        offered = cancel_enrolment(db.session.get(Enrolment, seated_ids[2]), by_staff=True)
        db.session.commit()
        assert [e.email for e in offered] == ["anna@example.org", "bram@example.org"]
        [offer] = db.session.scalars(select(Offer).where(Offer.seats == 2)).all()
        assert db.session.get(Edition, edition_id).seats_taken == 3
    [mail] = outbox("anna@example.org")  # the booker decides for the group
    assert "er zijn 2 plaatsen vrijgekomen" in mail.body_text and "- bram Groep" in mail.body_text
    assert outbox("bram@example.org") == []


def test_groups_can_be_made_to_wait_their_turn(app, setup_data):
    app.config["OFFER_SKIP_GROUPS_THAT_DO_NOT_FIT"] = False
    with setup_data():
        edition = make_edition(make_offering(), capacity=1)
        seated = make_enrolment(edition)
        make_group(edition, "anna", "bram")
        make_enrolment(edition, "waiting", email="solo@example.org")
    with app.app_context():
        assert cancel_enrolment(db.session.get(Enrolment, seated.id), by_staff=True) == []
        db.session.commit()
    assert status(app, "solo@example.org") == "waiting"


def test_an_offered_person_who_cancels_withdraws_the_offer(app, full, outbox):
    free_a_seat(app, full)
    with app.app_context():
        wim = db.session.scalar(select(Enrolment).where(Enrolment.email == "wim@example.org"))
        offered = cancel_enrolment(wim)
        db.session.commit()
        assert [e.email for e in offered] == ["wil@example.org"]
        assert [o.state for o in db.session.scalars(select(Offer).order_by(Offer.id))] == ["withdrawn", "open"]
        assert seat_count_mismatches() == []


def test_a_wrong_offer_link_is_not_found(client, full):
    response = client.get("/wachtlijst/aanbod/onzin")
    assert response.status_code == 404 and "Deze link klopt niet" in response.get_data(as_text=True)


def test_concurrent_accepts_and_enrolments_never_overbook(app, setup_data, outbox):
    """Threads, each with its own session: one offer accepted ten times at once while ten
    others try to enrol in the same edition. Exactly one accept wins; nobody gets a seat that
    is not there."""
    with setup_data():
        edition = make_edition(make_offering(), capacity=2)
        seated = make_enrolment(edition)
        make_enrolment(edition, "waiting", email="wim@example.org")
        make_enrolment(edition)
        edition_id, seated_id = edition.id, seated.id
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the race needs PostgreSQL (SQLite serialises every writer)")
        cancel_enrolment(db.session.get(Enrolment, seated_id), by_staff=True)
        db.session.commit()
        offer_id = db.session.scalar(select(Offer.id))
    from sbo.enrolment.services import EditionFull, EnrolmentError, Participant, enrol
    barrier = threading.Barrier(20)
    results: list[str] = []

    def accept_it():
        with app.app_context():
            barrier.wait()
            try:
                offers.accept(db.session.get(Offer, offer_id))
                db.session.commit()
                results.append("accepted")
            except offers.OfferClosed:
                db.session.rollback()
                results.append("closed")

    def enrol_one(n: int):
        with app.app_context():
            barrier.wait()
            try:
                enrol(db.session.get(Edition, edition_id), {"organisation": "Org"},
                      [Participant("Nieuw", str(n), f"nieuw{n}@example.org")], join_waiting_list=False)
                db.session.commit()
                results.append("enrolled")
            except (EditionFull, EnrolmentError):
                db.session.rollback()
                results.append("full")

    threads = [threading.Thread(target=accept_it) for _ in range(10)]
    threads += [threading.Thread(target=enrol_one, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count("accepted") == 1 and results.count("closed") == 9
    assert results.count("enrolled") == 0 and results.count("full") == 10
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 2
        assert seat_count_mismatches() == []
        assert status(app, "wim@example.org") == "confirmed"


def test_offers_are_in_the_personal_data_export(app, full):
    from sbo import personal_data
    free_a_seat(app, full)
    with app.app_context():
        rows = personal_data.export("wim@example.org")["Aangeboden plaatsen van de wachtlijst"]
        assert [(row["opleiding"], row["plaatsen"], row["status"]) for row in rows] == [("Crisisbeheersing", "1", "Open")]
        assert "Aangeboden plaatsen van de wachtlijst" not in personal_data.export("wil@example.org")
