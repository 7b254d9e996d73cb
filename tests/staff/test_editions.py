"""Editions from /beheer: create with session dates, edit, capacity rule, cancel."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from sbo.catalogue.models import Edition, Offering
from sbo.extensions import db
from tests.factories import make_edition, make_offering
from tests.staff.conftest import audit_actions


def _form(**overrides):
    data = {"dates": "14-04-2027\n\n07-04-2027\n", "start_time": "10:00", "end_time": "17:00",
            "venue": "Jaarbeurs", "city": "Utrecht", "capacity": "16", "price_override": ""}
    data.update(overrides)
    return data


def _editions(app, offering_id: int):
    with app.app_context():
        editions = db.session.scalars(select(Edition).where(Edition.offering_id == offering_id)).all()
        return [(e.id, e.start_date, [(s.day, s.start_time, s.end_time) for s in e.sessions],
                 e.capacity, e.status, e.price_cents_override, e.city) for e in editions]


def _offering(app, **overrides) -> int:
    with app.app_context():
        offering = make_offering(**overrides)
        db.session.commit()
        return offering.id


def test_create_an_edition_with_session_dates(app, logged_in, post_form):
    offering_id = _offering(app, title="Bestuursrecht")
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", _form(price_override="995"))
    assert response.status_code == 302
    assert response.location == f"/beheer/aanbod/{offering_id}#edities"
    [(edition_id, start, sessions, capacity, status, price, city)] = _editions(app, offering_id)
    assert start == date(2027, 4, 7)
    assert sessions == [(date(2027, 4, 7), time(10), time(17)), (date(2027, 4, 14), time(10), time(17))]
    assert (capacity, status, price, city) == (16, "open", 99500, "Utrecht")
    page = client.get(f"/beheer/aanbod/{offering_id}").get_data(as_text=True)
    assert "7 april 2027" in page and "0 / 16" in page and "Editie toegevoegd" in page
    assert audit_actions(app, "edition", edition_id) == ["edition.created"]


def test_bad_edition_input_changes_nothing(app, logged_in, post_form):
    offering_id = _offering(app)
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}/edities/nieuw"
    cases = [
        (_form(dates="31-02-2027"), "31-02-2027 bestaat niet: februari 2027 heeft 28 dagen."),
        (_form(dates="29-02-2027"), "29-02-2027 bestaat niet: februari 2027 heeft 28 dagen."),
        (_form(dates="31-04-2027"), "31-04-2027 bestaat niet: april 2027 heeft 30 dagen."),
        (_form(dates="00-04-2027"), "00-04-2027 bestaat niet: april 2027 heeft 30 dagen."),
        (_form(dates="12-13-2027"), "12-13-2027 bestaat niet: er is geen maand 13."),
        (_form(dates="volgende week"), "‘volgende week’ is geen datum. Schrijf elke datum als dd-mm-jjjj"),
        (_form(dates="01-03-2027\n01-03-2027"), "staat er twee keer in"),
        (_form(dates=""), "Vul minstens één lesdag in."),
        (_form(capacity="veel"), "Vul een heel getal in"),
        (_form(capacity="-1"), "Een editie heeft minstens 1 en hoogstens 10.000 plaatsen."),
        (_form(capacity="0"), "Een editie heeft minstens 1 en hoogstens 10.000 plaatsen."),
        (_form(end_time="09:00"), "De eindtijd moet na de begintijd liggen."),
        (_form(city="", venue=""), "Vul een plaats in, of kies ‘Online’."),
        (_form(price_override="gratis"), "Vul een bedrag in euro"),
        (_form(postal_code="Utrecht"), "Vul een postcode in zoals 3521 AL."),
    ]
    for data, message in cases:
        response = post_form(client, url, data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True), message
    assert _editions(app, offering_id) == []
    assert audit_actions(app) == ["staff.logged_in"]


def test_online_edition_needs_no_city(app, logged_in, post_form):
    offering_id = _offering(app)
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw",
                         _form(city="", venue="", online="y"))
    assert response.status_code == 302
    assert "Online" in client.get(f"/beheer/aanbod/{offering_id}").get_data(as_text=True)


def test_edit_an_edition(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering()
        edition = make_edition(offering, days=1, start_date=date(2027, 5, 3), capacity=10)
        offering_id, edition_id = offering.id, edition.id
    client, _ = logged_in("editor")
    url = f"/beheer/edities/{edition_id}"
    assert "03-05-2027" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, _form(dates="10-05-2027\n03-05-2027", capacity="12", city="Zwolle"))
    assert response.status_code == 302
    [(_, start, sessions, capacity, status, price, city)] = _editions(app, offering_id)
    assert (start, len(sessions), capacity, city, price) == (date(2027, 5, 3), 2, 12, "Zwolle", None)
    assert audit_actions(app, "edition", edition_id) == ["edition.updated"]


def test_capacity_cannot_go_below_seats_taken(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering()
        edition = make_edition(offering, capacity=20, seats_taken=15, start_date=date(2027, 6, 1))
        offering_id, edition_id = offering.id, edition.id
    client, _ = logged_in("editor")
    url = f"/beheer/edities/{edition_id}"
    response = post_form(client, url, _form(dates="01-06-2027", capacity="14"))
    assert response.status_code == 422
    assert "Er zijn al 15 plaatsen bezet" in response.get_data(as_text=True)
    assert _editions(app, offering_id)[0][3] == 20
    assert audit_actions(app, "edition") == []
    # exactly the seats taken is allowed, and the edition is then full
    assert post_form(client, url, _form(dates="01-06-2027", capacity="15")).status_code == 302
    assert _editions(app, offering_id)[0][3:5] == (15, "vol")


def test_cancel_an_edition(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering()
        edition = make_edition(offering, start_date=date(2027, 9, 1))
        offering_id, edition_id = offering.id, edition.id
    client, _ = logged_in("editor")
    page = f"/beheer/aanbod/{offering_id}"
    response = post_form(client, f"/beheer/edities/{edition_id}/annuleren", {}, page=page)
    assert response.status_code == 302
    assert _editions(app, offering_id)[0][4] == "geannuleerd"
    assert "Geannuleerd" in client.get(page).get_data(as_text=True)
    # a cancelled edition cannot be edited any more
    edit = post_form(client, f"/beheer/edities/{edition_id}", _form(capacity="99"), page=page)
    assert edit.status_code == 422
    assert _editions(app, offering_id)[0][3] == 20
    again = post_form(client, f"/beheer/edities/{edition_id}/annuleren", {}, page=page)
    assert again.status_code == 302
    assert audit_actions(app, "edition", edition_id) == ["edition.cancelled"]


def test_history_of_an_offering_includes_its_editions(app, logged_in, post_form):
    offering_id = _offering(app)
    client, _ = logged_in("editor")
    post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", _form())
    page = client.get(f"/beheer/aanbod/{offering_id}").get_data(as_text=True)
    history = page.split('id="geschiedenis"')[1]
    assert "Editie toegevoegd" in history and "07-04-2027, 14-04-2027" in history


def test_offering_page_queries_do_not_grow_with_editions(setup_data, logged_in, count_queries):
    with setup_data():
        offering = make_offering()
        for n in range(2):
            make_edition(offering, days=3, start_date=date(2027, 1, 4 + n))
        offering_id = offering.id
    client, _ = logged_in("editor")
    with count_queries() as few:
        client.get(f"/beheer/aanbod/{offering_id}")
    with setup_data():
        offering = db.session.get(Offering, offering_id)
        for n in range(8):
            make_edition(offering, days=3, start_date=date(2027, 2, 1 + n))
    with count_queries() as many:
        assert client.get(f"/beheer/aanbod/{offering_id}").status_code == 200
    assert many.count == few.count


def test_an_edition_has_a_street_address_for_its_venue(app, logged_in, post_form):
    offering_id = _offering(app, title="Adres")
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw",
                         _form(street_address=" Jaarbeursplein 6 ", postal_code="3521al"))
    assert response.status_code == 302
    with app.app_context():
        edition = db.session.scalar(select(Edition).where(Edition.offering_id == offering_id))
        assert (edition.street_address, edition.postal_code) == ("Jaarbeursplein 6", "3521 AL")
        edition_id = edition.id
    page = client.get(f"/beheer/edities/{edition_id}").get_data(as_text=True)
    assert 'value="Jaarbeursplein 6"' in page and 'value="3521 AL"' in page


def test_leap_day_is_a_date_and_the_old_message_is_gone(app, logged_in, post_form):
    """Issue 11: "'31-02-2027' is geen datum in de vorm dd-mm-jjjj" did not say what was wrong."""
    offering_id = _offering(app)
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}/edities/nieuw"
    html = post_form(client, url, _form(dates="07-04-2027\n31-02-2028")).get_data(as_text=True)
    assert "31-02-2028 bestaat niet: februari 2028 heeft 29 dagen." in html
    assert "geen datum in de vorm" not in html
    assert post_form(client, url, _form(dates="29-02-2028")).status_code == 302
    assert [e[1] for e in _editions(app, offering_id)] == [date(2028, 2, 29)]


def test_capacity_of_an_existing_edition_cannot_become_zero(app, setup_data, logged_in, post_form):
    with setup_data():
        edition = make_edition(make_offering(), capacity=10, start_date=date(2027, 6, 1))
        edition_id = edition.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/edities/{edition_id}", _form(dates="01-06-2027", capacity="0"))
    assert response.status_code == 422
    assert "Een editie heeft minstens 1 en hoogstens 10.000 plaatsen." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Edition, edition_id).capacity == 10
