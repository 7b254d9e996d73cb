"""The enrolment form: validation, seats, colleagues, the waiting list, closed editions."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, counts, enrol_url
from tests.factories import make_edition, make_enrolment, make_offering


@pytest.fixture
def edition_id(setup_data):
    with setup_data():
        edition = make_edition(make_offering(title="Crisiscommunicatie, de basis"), days=2, capacity=3)
        return edition.id


def url_of(app, edition_id):
    with app.app_context():
        return enrol_url(db.session.get(Edition, edition_id))


def test_form_marks_required_fields(app, client, edition_id):
    html = client.get(url_of(app, edition_id)).get_data(as_text=True)
    assert "Vereiste velden zijn gemarkeerd met" in html
    for name in ("first_name", "last_name", "email", "organisation", "terms"):
        assert f'id="{name}" name="{name}" required' in html or f'name="{name}" required' in html, name
    assert 'name="phone" required' not in html
    assert "participants-2-email" in html  # three empty colleague rows without JavaScript


def test_enrol_confirms_mails_and_redirects(app, client, post_form, edition_id, outbox):
    url = url_of(app, edition_id)
    response = post_form(client, url, {**VALID, "email": "Sanne@Gemeente.EXAMPLE",
                                       "po_number": "PO-2027-114", "cost_centre": "KP 4410"})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "bevestig je inschrijving" in html and "sanne@gemeente.example" in html
    with app.app_context():
        assert db.session.scalars(db.select(Enrolment.status)).one() == "held"
        assert db.session.get(Edition, edition_id).seats_taken == 1
    html = confirm_by_mail(client, outbox).get_data(as_text=True)
    assert "Je inschrijving is bevestigd" in html and "sanne@gemeente.example" in html
    assert "Bedankt, je bent ingeschreven" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        enrolment = db.session.scalars(db.select(Enrolment)).one()
        assert enrolment.status == "confirmed" and enrolment.email == "sanne@gemeente.example"
        assert enrolment.booking.po_number == "PO-2027-114" and enrolment.booking.cost_centre == "KP 4410"
        assert db.session.get(Edition, edition_id).seats_taken == 1
    [request, mail] = outbox()
    assert request.to_addr == mail.to_addr == "sanne@gemeente.example"
    assert "Bevestiging van je inschrijving" in mail.subject
    assert "/inschrijving/" in mail.body_text and "KP 4410" in mail.body_text
    [attachment, attendance_pass] = mail.attachments
    assert attachment["content_type"] == "text/calendar"
    assert base64.b64decode(attachment["data"]).count(b"BEGIN:VEVENT") == 2
    assert (attendance_pass["filename"], attendance_pass["content_type"]) == ("qr-code-aanwezigheid.png", "image/png")


def test_colleagues_each_take_a_seat_and_get_mail(app, client, post_form, edition_id, outbox):
    data = {**VALID, "participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
            "participants-0-email": "piet@gemeente.example",
            "participants-1-first_name": "Anna", "participants-1-last_name": "Smit",
            "participants-1-email": "anna@gemeente.example"}
    assert post_form(client, url_of(app, edition_id), data).status_code == 303
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 3
    assert {m.to_addr for m in outbox()} == {"sanne@gemeente.example"}  # nobody else yet
    confirm_by_mail(client, outbox)
    assert {m.to_addr for m in outbox()} == {"sanne@gemeente.example", "piet@gemeente.example",
                                                "anna@gemeente.example"}
    booker_mail = outbox("sanne@gemeente.example")[-1]
    assert "Piet Bakker" in booker_mail.body_text


def test_group_too_big_goes_to_waiting_list_together(app, setup_data, client, post_form, edition_id, outbox):
    with setup_data():
        make_enrolment(db.session.get(Edition, edition_id))
    data = {**VALID, "participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
            "participants-0-email": "piet@gemeente.example",
            "participants-1-first_name": "Anna", "participants-1-last_name": "Smit",
            "participants-1-email": "anna@gemeente.example"}
    response = post_form(client, url_of(app, edition_id), data)
    assert "bevestig je aanmelding voor de wachtlijst" in client.get(response.headers["Location"]).get_data(as_text=True)
    confirm_by_mail(client, outbox)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je staat op de wachtlijst" in html and "Wachtlijst, plaats 3" in html
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 1
        statuses = db.session.scalars(db.select(Enrolment.status).order_by(Enrolment.id)).all()
        assert statuses == ["confirmed", "waiting", "waiting", "waiting"]


def test_missing_fields_give_dutch_errors_and_store_nothing(app, client, post_form, edition_id, outbox):
    response = post_form(client, url_of(app, edition_id),
                         {"first_name": "Sanne", "email": "geen-adres", "phone": "bel me",
                          "participants-0-first_name": "Piet", "invoice_city": "Utrecht"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Controleer het formulier" in html
    for message in ("Vul je achternaam in.", "Dit is geen geldig e-mailadres.",
                    "Vul de naam van je organisatie in.", "Ga akkoord met de algemene voorwaarden",
                    "Gebruik alleen cijfers", "Vul het e-mailadres van je collega in.",
                    "Vul adres, postcode en plaats allemaal in"):
        assert message in html, message
    assert 'value="Sanne"' in html and 'value="geen-adres"' in html and 'value="Piet"' in html
    assert counts(app) == (0, 0) and outbox() == []


def test_same_email_cannot_enrol_twice(app, client, post_form, edition_id):
    url = url_of(app, edition_id)
    assert post_form(client, url, VALID).status_code == 303
    response = post_form(client, url, {**VALID, "first_name": "Nog een keer"})
    assert response.status_code == 422
    assert "sanne@gemeente.example is al ingeschreven voor deze editie." in response.get_data(as_text=True)
    assert counts(app) == (1, 1)
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 1


def test_same_email_twice_in_one_form_is_refused(app, client, post_form, edition_id):
    response = post_form(client, url_of(app, edition_id), {
        **VALID, "participants-0-first_name": "Sanne", "participants-0-last_name": "Kopie",
        "participants-0-email": "sanne@gemeente.example"})
    assert response.status_code == 422
    assert "Dit e-mailadres staat al in het formulier." in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_full_edition_without_waiting_list_stores_nothing(app, setup_data, client, post_form, edition_id, outbox):
    with setup_data():
        edition = db.session.get(Edition, edition_id)
        for _ in range(3):
            make_enrolment(edition)
    url = url_of(app, edition_id)
    page = client.get(url, follow_redirects=True)  # a full edition's form is its waiting list
    assert "Deze editie is vol" in page.get_data(as_text=True)
    assert page.request.path == url.replace("/inschrijven/", "/wachtlijst/")
    # the enrolment form, opened before the edition filled up, sent without the box ticked
    data = {key: value for key, value in VALID.items() if key != "join_waiting_list"}
    response = post_form(client, url, data, page=page.request.path)
    assert response.status_code == 409
    assert "Deze editie is vol. Je kunt je aanmelden voor de wachtlijst." in response.get_data(as_text=True)
    assert counts(app) == (3, 3) and outbox() == []


def test_full_edition_puts_you_on_waiting_list_with_position(app, setup_data, client, post_form, edition_id, outbox):
    with setup_data():
        edition = db.session.get(Edition, edition_id)
        for _ in range(3):
            make_enrolment(edition)
        make_enrolment(edition, status="waiting")
    url = url_of(app, edition_id).replace("/inschrijven/", "/wachtlijst/")
    response = post_form(client, url, {k: v for k, v in VALID.items() if k != "join_waiting_list"})
    confirm_by_mail(client, outbox)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je staat op de wachtlijst" in html and "plaats 2" in html
    [_, mail] = outbox()
    assert "wachtlijst, op plaats 2" in mail.body_text and mail.attachments == []


@pytest.mark.parametrize("change", [{"status": "geannuleerd"},
                                    {"start_date": clock.today() - timedelta(days=3)}])
def test_cancelled_or_past_edition_takes_no_enrolments(app, setup_data, client, edition_id, change, outbox):
    url = url_of(app, edition_id)
    html = client.get(url).get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with setup_data():
        edition = db.session.get(Edition, edition_id)
        for key, value in change.items():
            setattr(edition, key, value)
    response = client.post(url, data={**VALID, "csrf_token": token})
    assert response.status_code == 409
    assert "Inschrijven is niet mogelijk" in response.get_data(as_text=True)
    assert client.get(url).status_code == 409
    assert counts(app) == (0, 0) and outbox() == []


def test_unknown_or_unpublished_offering_is_404(app, client, edition_id):
    with app.app_context():
        edition = db.session.get(Edition, edition_id)
        assert client.get(f"/aanbod/iets-anders/inschrijven/{edition.id}").status_code == 404
        edition.offering.published = False
        db.session.commit()
        url = enrol_url(edition)
    assert client.get(url).status_code == 404


def test_confirmation_page_needs_your_own_booking(app, client, edition_id):
    url = url_of(app, edition_id)
    response = client.get(url + "/bevestiging")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)


def test_edition_marked_vol_by_staff_only_takes_waiting_list(app, setup_data, client, post_form, edition_id, outbox):
    with setup_data():
        db.session.get(Edition, edition_id).status = "vol"
    url = url_of(app, edition_id)
    page = client.get(url, follow_redirects=True)
    assert "Aanmelden voor de wachtlijst" in page.get_data(as_text=True)
    response = post_form(client, page.request.path, VALID)
    confirm_by_mail(client, outbox)
    assert "Je staat op de wachtlijst" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 0


def test_edition_cancelled_while_the_form_was_sent_takes_no_waiting_list_entry(app):
    """The edition was open when the request read it, staff cancelled it before the seat
    claim: the booking is refused instead of landing on a cancelled edition's waiting list."""
    from sqlalchemy import func, select, update

    from sbo.catalogue.models import EditionStatus
    from sbo.enrolment.services import EditionClosed, Participant, enrol

    with app.app_context():
        edition = make_edition(make_offering(), capacity=1)
        make_enrolment(edition)
        db.session.commit()
        assert edition.status == EditionStatus.OPEN  # what the request saw
        db.session.execute(update(Edition).where(Edition.id == edition.id)
                           .values(status=EditionStatus.GEANNULEERD)
                           .execution_options(synchronize_session=False))
        with pytest.raises(EditionClosed):
            enrol(edition, {"first_name": "Lid", "last_name": "Later", "email": "laat@example.org",
                            "organisation": "Gemeente"},
                  [Participant("Lid", "Later", "laat@example.org")])
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1
