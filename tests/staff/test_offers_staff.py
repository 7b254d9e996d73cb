"""Staff see the offers of an edition (state, expiry, history) and make an offer by hand."""
from __future__ import annotations

from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.enrolment.models import Enrolment, Offer
from sbo.enrolment.services import cancel_enrolment
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering
from tests.staff.helpers import audit_actions


def _edition(app, setup_data):
    """Two seats taken; Wim, then Wil waiting; one seat freed and offered to Wim."""
    with setup_data():
        edition = make_edition(make_offering(title="Bibob in de praktijk"), capacity=2)
        seated = make_enrolment(edition)
        make_enrolment(edition)
        make_enrolment(edition, "waiting", first_name="Wim", email="wim@example.org")
        make_enrolment(edition, "waiting", first_name="Wil", email="wil@example.org")
        edition_id, seated_id = edition.id, seated.id
    with app.app_context():
        cancel_enrolment(db.session.get(Enrolment, seated_id), by_staff=True)
        db.session.commit()
    return edition_id


def test_anonymous_visitors_are_sent_to_the_login(app, client, setup_data):
    edition_id = _edition(app, setup_data)
    response = client.get(f"/beheer/edities/{edition_id}/aanbiedingen")
    assert response.status_code == 302 and "/beheer/login" in response.location


def test_a_moderator_may_not_see_offers(app, setup_data, logged_in):
    edition_id = _edition(app, setup_data)
    client, _ = logged_in("moderator")
    assert client.get(f"/beheer/edities/{edition_id}/aanbiedingen").status_code == 403


def test_the_page_lists_offers_and_the_waiting_list(app, setup_data, logged_in):
    edition_id = _edition(app, setup_data)
    client, _ = logged_in("editor")
    html = client.get(f"/beheer/edities/{edition_id}/aanbiedingen").get_data(as_text=True)
    assert "<h1>Aangeboden plaatsen" in html and "Bibob in de praktijk" in html
    assert ">Open</span>" in html and "Wim Nummer" in html
    assert "Wil" in html and "Plaats aanbieden</button>" in html
    enrolments = client.get(f"/beheer/edities/{edition_id}/inschrijvingen").get_data(as_text=True)
    assert f'href="/beheer/edities/{edition_id}/aanbiedingen"' in enrolments
    assert "Plaats aangeboden (wacht op antwoord)" in enrolments


def test_an_offer_by_hand_needs_a_free_seat_then_is_made_and_logged(app, setup_data, logged_in, post_form, outbox):
    edition_id = _edition(app, setup_data)
    client, _ = logged_in("editor")
    page = f"/beheer/edities/{edition_id}/aanbiedingen"
    with app.app_context():
        wil = db.session.scalar(select(Enrolment).where(Enrolment.email == "wil@example.org"))
        booking_id = wil.booking_id
    url = f"{page}/{booking_id}"
    refused = post_form(client, url, {}, page=page)
    assert refused.status_code == 409 and "Er is geen plaats vrij" in refused.get_data(as_text=True)
    assert outbox("wil@example.org") == []
    with app.app_context():
        from sbo.catalogue.models import Edition
        db.session.get(Edition, edition_id).capacity = 3
        db.session.commit()
    made = post_form(client, url, {}, page=page)
    assert made.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "(met de hand)" in html
    assert outbox("wil@example.org")[-1].subject.startswith("Er is een plaats voor je vrij")
    with app.app_context():
        offer = db.session.scalar(select(Offer).where(Offer.booking_id == booking_id))
        assert offer.by_staff and offer.state == "open"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "offer.made"))
        assert entry.data == {"edition_id": edition_id, "booking_id": booking_id, "seats": 1}
    assert audit_actions(app, "offer", offer.id) == ["offer.made"]


def test_a_post_without_csrf_changes_nothing(app, setup_data, logged_in):
    edition_id = _edition(app, setup_data)
    client, _ = logged_in("editor")
    assert client.post(f"/beheer/edities/{edition_id}/aanbiedingen/1", data={}).status_code == 400
