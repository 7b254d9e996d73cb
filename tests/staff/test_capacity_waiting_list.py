"""More seats in a full edition go to its waiting list, in order, unless staff keep them to offer
by hand (the edition form's "Nieuwe plaatsen meteen aanbieden aan de wachtlijst")."""
from __future__ import annotations

from sqlalchemy import select

from sbo.catalogue.models import Edition
from sbo.enrolment.models import Enrolment, Offer
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering


def _full_edition(setup_data) -> int:
    """Both seats taken; Wim, then Wil, waiting."""
    with setup_data():
        edition = make_edition(make_offering(title="Bibob in de praktijk"), capacity=2)
        make_enrolment(edition)
        make_enrolment(edition)
        make_enrolment(edition, "waiting", first_name="Wim", email="wim@example.org")
        make_enrolment(edition, "waiting", first_name="Wil", email="wil@example.org")
        return edition.id


def _form(capacity: str, offer: bool) -> dict:
    data = {"dates": "14-04-2027", "start_time": "10:00", "end_time": "17:00", "venue": "Jaarbeurs",
            "city": "Utrecht", "capacity": capacity, "price_override": "", "deadline": ""}
    return {**data, "offer_new_seats": "y"} if offer else data


def _statuses(app, edition_id: int) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Enrolment.email, Enrolment.status)
                                       .where(Enrolment.email.in_(["wim@example.org", "wil@example.org"]))).all())


def test_a_higher_capacity_offers_the_new_seat_to_the_first_in_line(app, setup_data, logged_in, post_form, outbox):
    edition_id = _full_edition(setup_data)
    client, _ = logged_in("editor")
    url = f"/beheer/edities/{edition_id}"
    form_html = client.get(url).get_data(as_text=True)
    assert "Nieuwe plaatsen meteen aanbieden aan de wachtlijst" in form_html
    assert 'checked id="offer_new_seats" name="offer_new_seats" type="checkbox"' in form_html
    response = post_form(client, url, _form("3", offer=True))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "De editie is bijgewerkt. 1 wachtende krijgt een plaats aangeboden en een e-mail." in page
    assert _statuses(app, edition_id) == {"wim@example.org": "offered", "wil@example.org": "waiting"}
    assert outbox("wim@example.org")[-1].subject.startswith("Er is een plaats voor je vrij")
    assert outbox("wil@example.org") == []
    with app.app_context():
        edition = db.session.get(Edition, edition_id)
        assert (edition.capacity, edition.seats_taken) == (3, 3)  # the new seat is held for Wim
        assert db.session.scalar(select(Offer.seats).where(Offer.edition_id == edition_id)) == 1


def test_staff_may_keep_the_new_seats_to_offer_by_hand(app, setup_data, logged_in, post_form, outbox):
    edition_id = _full_edition(setup_data)
    client, _ = logged_in("editor")
    url = f"/beheer/edities/{edition_id}"
    response = post_form(client, url, _form("3", offer=False))
    assert response.status_code == 302
    assert "wachtende" not in client.get(response.location).get_data(as_text=True)
    assert _statuses(app, edition_id) == {"wim@example.org": "waiting", "wil@example.org": "waiting"}
    assert outbox("wim@example.org") == [] and outbox("wil@example.org") == []
    with app.app_context():
        wil = db.session.scalar(select(Enrolment).where(Enrolment.email == "wil@example.org"))
        booking_id = wil.booking_id
    page = f"/beheer/edities/{edition_id}/aanbiedingen"
    assert post_form(client, f"{page}/{booking_id}", {}, page=page).status_code == 303  # out of turn
    assert _statuses(app, edition_id) == {"wim@example.org": "waiting", "wil@example.org": "offered"}


def test_a_lower_or_equal_capacity_offers_nothing(app, setup_data, logged_in, post_form, outbox):
    edition_id = _full_edition(setup_data)
    client, _ = logged_in("editor")
    assert post_form(client, f"/beheer/edities/{edition_id}", _form("2", offer=True)).status_code == 302
    assert _statuses(app, edition_id) == {"wim@example.org": "waiting", "wil@example.org": "waiting"}
    assert outbox("wim@example.org") == []
