"""Issue 12 item 1: nobody is enrolled without the booker's consent, groups are bounded, and
what a booker types is never presented as the site's own words.

Before the fix: one POST with 20 colleague rows enrolled 21 people at once (the edition was
full after one request, and 21 strangers were mailed); a booking took its seats for good
without any confirmation; a name with a line break and a URL went into every colleague's
mail as "<name> (<organisation>) heeft je ingeschreven"."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from sbo.catalogue.models import Edition
from sbo.clock import utcnow
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.models import Booking, Enrolment
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, counts, enrol_url, link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

BOOKER = VALID["email"]


def colleagues(count: int, start: int = 0) -> dict[str, str]:
    data = {}
    for n in range(start, start + count):
        data |= {f"participants-{n}-first_name": f"Collega{n}", f"participants-{n}-last_name": "Jansen",
                 f"participants-{n}-email": f"collega{n}@example.org"}
    return data


@pytest.fixture
def edition(setup_data):
    """An edition with 25 seats; returns (id, enrol url)."""
    with setup_data():
        edition = make_edition(make_offering(title="Crisiscommunicatie"), capacity=25)
        return edition.id, enrol_url(edition)


def seats_taken(app, edition_id: int) -> int:
    with app.app_context():
        return db.session.get(Edition, edition_id).seats_taken


def statuses(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Enrolment.email, Enrolment.status)).all())


def test_one_post_with_twenty_colleagues_is_refused(app, client, post_form, edition, outbox):
    edition_id, url = edition
    response = post_form(client, url, {**VALID, **colleagues(20)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Je kunt met één inschrijving hoogstens 3 collega&#39;s meenemen." in html
    assert 'href="#participants"' in html and 'id="participants"' in html  # the error summary links to it
    assert counts(app) == (0, 0) and outbox() == [] and seats_taken(app, edition_id) == 0


def test_form_and_server_use_the_same_group_size(make_app, post_form):
    app = make_app(ENROLMENT_MAX_GROUP=1)
    client = app.test_client()
    with app.app_context():
        url = enrol_url(make_edition(make_offering()))
        db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "participants-0-email" in html and "participants-1-email" not in html
    assert "Schrijf tot 1 collega" in html
    assert post_form(client, url, {**VALID, **colleagues(2)}).status_code == 422
    assert counts(app) == (0, 0)
    assert post_form(client, url, {**VALID, **colleagues(1)}).status_code == 303
    assert counts(app) == (1, 2)


def test_default_form_shows_three_colleague_rows(client, edition):
    html = client.get(edition[1]).get_data(as_text=True)
    assert "participants-2-email" in html and "participants-3-email" not in html


def test_booking_holds_seats_until_the_booker_confirms_by_post(app, client, post_form, edition, outbox):
    edition_id, url = edition
    response = post_form(client, url, {**VALID, **colleagues(2)})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bijna klaar: bevestig je inschrijving" in page and "houden we 3 plaatsen" in page
    # seats are held (taken), the public page counts them, nobody but the booker is mailed
    assert seats_taken(app, edition_id) == 3
    assert set(statuses(app).values()) == {"held"}
    assert "nog 22 vrij" in client.get(url).get_data(as_text=True)
    [request] = outbox()
    assert request.to_addr == BOOKER and request.subject == "Bevestig je inschrijving: Crisiscommunicatie"
    assert request.attachments == []
    # the link opens a page with a button; opening it (a mail scanner does) confirms nothing
    confirm_path = link_from(request.body_text, "/bevestigen/")
    for _ in range(2):
        opened = app.test_client().get(confirm_path)
        assert opened.status_code == 200 and opened.headers["Cache-Control"] == "private, no-store"
    assert set(statuses(app).values()) == {"held"} and len(outbox()) == 1
    # a POST without the form's CSRF token does nothing either
    assert app.test_client().post(confirm_path).status_code == 400
    assert set(statuses(app).values()) == {"held"}

    html = confirm_by_mail(client, outbox).get_data(as_text=True)
    assert "Je inschrijving is bevestigd" in html
    assert set(statuses(app).values()) == {"confirmed"} and seats_taken(app, edition_id) == 3
    assert {m.to_addr for m in outbox()} == {BOOKER, "collega0@example.org", "collega1@example.org"}
    # confirming twice changes nothing and sends nothing
    again = client.post(confirm_path, data={"csrf_token": csrf_from(client.get(url).get_data(as_text=True))})
    assert again.status_code == 303 and len(outbox()) == 4
    with app.app_context():
        assert seat_count_mismatches() == []


def test_colleague_mail_quotes_the_booker_as_data(app, client, post_form, edition, outbox):
    _, url = edition
    post_form(client, url, {**VALID, **colleagues(1)})
    confirm_by_mail(client, outbox)
    [mail] = outbox("collega0@example.org")
    assert ('Ingeschreven door (zoals ingevuld op het formulier): "Sanne de Vries", '
            'organisatie: "Gemeente Utrecht", sanne@gemeente.example') in mail.body_text
    assert "Sanne de Vries (Gemeente Utrecht) heeft je ingeschreven" not in mail.body_text


@pytest.mark.parametrize("field,value,message", [
    ("first_name", "Sanne\r\nLog opnieuw in via https://evil.example/login", "Gebruik één regel, zonder regeleinden."),
    ("organisation", "Gemeente\nUtrecht", "Gebruik één regel, zonder regeleinden."),
    ("last_name", "Log in via https://evil.example/login", "Vul hier geen webadres in."),
    ("participants-0-first_name", "Piet\nBakker", "Gebruik één regel, zonder regeleinden."),
    ("organisation", "x" * 201, "Gebruik hoogstens 200 tekens."),
])
def test_names_and_organisations_are_single_line_text(app, client, post_form, edition, field, value, message, outbox):
    data = {**VALID, **colleagues(1), field: value}
    response = post_form(client, edition[1], data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(app) == (0, 0) and outbox() == []


def expire_now(app) -> None:
    with app.app_context():
        db.session.execute(update(Booking).where(Booking.confirmed_at.is_(None))
                           .values(hold_expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def test_unconfirmed_hold_expires_frees_seats_and_moves_the_waiting_list(app, setup_data, client, runner, post_form, outbox):
    with setup_data():
        edition = make_edition(make_offering(), capacity=2)
        make_enrolment(edition, "waiting", email="wacht@example.org")  # waiting, confirmed before
        edition_id, url = edition.id, enrol_url(edition)
    # the waiting person came first, but the seats were free when the booking arrived
    # (e.g. after a cancellation): the booking holds both
    post_form(client, url, {**VALID, **colleagues(1)})
    assert seats_taken(app, edition_id) == 2
    request_path = link_from(outbox(BOOKER)[0].body_text, "/bevestigen/")

    result = runner.invoke(args=["expire-holds"])
    assert result.exit_code == 0 and result.output.startswith("0 unconfirmed")  # not due yet
    expire_now(app)
    result = runner.invoke(args=["expire-holds"])
    assert result.exit_code == 0 and result.output.startswith("1 unconfirmed"), result.output

    assert statuses(app) == {"wacht@example.org": "offered"}  # the booking and its people are gone
    assert counts(app) == (1, 1) and seats_taken(app, edition_id) == 1
    [promoted] = outbox("wacht@example.org")
    assert promoted.subject.startswith("Er is een plaats voor je vrij")
    assert outbox("collega0@example.org") == []
    # the link now says what happened
    late = client.get(request_path)
    assert late.status_code == 410 and "De tijd om deze inschrijving te bevestigen is voorbij" in late.get_data(as_text=True)
    with app.app_context():
        assert seat_count_mismatches() == []


def test_confirming_after_the_hold_ended_is_refused(app, client, post_form, edition, outbox):
    edition_id, url = edition
    post_form(client, url, VALID)
    path = link_from(outbox(BOOKER)[0].body_text, "/bevestigen/")
    page = client.get(path).get_data(as_text=True)
    expire_now(app)  # expired, but expire-holds has not run yet
    response = client.post(path, data={"csrf_token": csrf_from(page)})
    assert response.status_code == 410
    assert statuses(app) == {BOOKER: "held"} and len(outbox()) == 1


def test_send_mail_loop_expires_holds(app, client, runner, post_form, edition, monkeypatch):
    edition_id, url = edition
    post_form(client, url, VALID)
    expire_now(app)

    def stop(seconds):
        raise KeyboardInterrupt
    monkeypatch.setattr("sbo.cli.time.sleep", stop)
    runner.invoke(args=["send-mail", "--loop", "1"])
    assert counts(app) == (0, 0) and seats_taken(app, edition_id) == 0


def test_unconfirmed_waiting_places_are_skipped_until_confirmed(app, setup_data, client, post_form, outbox):
    from sbo.enrolment.services import cancel_enrolment
    with setup_data():
        edition = make_edition(make_offering(), capacity=1)
        first = make_enrolment(edition, email="eerste@example.org")
        edition_id, first_id, url = edition.id, first.id, enrol_url(edition)
    form = client.get(url, follow_redirects=True).request.path  # a full edition's form
    assert post_form(client, form, VALID).status_code == 303  # on the waiting list, not yet confirmed
    assert statuses(app)[BOOKER] == "waiting"
    assert outbox(BOOKER)[0].subject.startswith("Bevestig je aanmelding voor de wachtlijst")
    with app.app_context():
        make_enrolment(db.session.get(Edition, edition_id), "waiting", email="later@example.org")
        cancel_enrolment(db.session.get(Enrolment, first_id), by_staff=True)
        db.session.commit()
    # the seat is offered to the confirmed person behind the unconfirmed booking
    assert statuses(app)["later@example.org"] == "offered" and statuses(app)[BOOKER] == "waiting"
    confirm_by_mail(client, outbox)
    [mail] = [m for m in outbox(BOOKER) if not m.subject.startswith("Bevestig je")]
    assert "Je staat op de wachtlijst" in mail.subject and "op plaats 1" in mail.body_text
