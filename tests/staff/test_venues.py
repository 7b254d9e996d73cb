"""Venues from /beheer/locaties: list, create, edit, validation, permissions, audit, and the
venue choice of an edition."""
from __future__ import annotations

from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.catalogue.models import Edition, Venue
from sbo.extensions import db
from tests.factories import make_edition, make_offering, make_venue
from tests.staff.helpers import audit_actions

FORM = {"name": "Hanzeborg", "street_address": "Stationsweg 8", "postal_code": "8011cz", "city": "Zwolle",
        "route": "Vanaf het station drie minuten lopen.", "parking": "Garage Katwolderplein.",
        "step_free": "y"}


def _venues(app) -> list[Venue]:
    with app.app_context():
        venues = db.session.scalars(select(Venue).order_by(Venue.id)).all()
        db.session.expunge_all()
        return venues


def test_create_a_venue(app, logged_in, post_form):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/locaties/nieuw", FORM)
    assert response.status_code == 302 and response.location == "/beheer/locaties"
    [venue] = _venues(app)
    assert (venue.name, venue.street_address, venue.postal_code, venue.city) == (
        "Hanzeborg", "Stationsweg 8", "8011 CZ", "Zwolle")
    assert venue.route == "Vanaf het station drie minuten lopen." and venue.parking == "Garage Katwolderplein."
    assert venue.step_free and not venue.hearing_loop
    page = client.get("/beheer/locaties").get_data(as_text=True)
    assert "Hanzeborg" in page and "Stationsweg 8, 8011 CZ Zwolle" in page and "geen ringleiding" in page
    assert audit_actions(app, "venue", venue.id) == ["venue.created"]


def test_edit_a_venue_logs_the_changed_fields_and_moves_its_editions(app, logged_in, post_form):
    with app.app_context():
        venue = make_venue(name="Hanzeborg", city="Zwolle", street_address="Stationsweg 8", postal_code="8011 CZ")
        edition = make_edition(make_offering(), location=venue, city="Zwolle")
        db.session.commit()
        venue_id, edition_id = venue.id, edition.id
    client, _ = logged_in("editor")
    url = f"/beheer/locaties/{venue_id}"
    assert 'value="Stationsweg 8"' in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {**FORM, "city": "Kampen", "hearing_loop": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Venue, venue_id).city == "Kampen"
        assert db.session.get(Edition, edition_id).city == "Kampen"  # the place facet follows
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "venue.updated")).one()
        assert entry.object_id == venue_id
        assert entry.data["changed"] == ["city", "route", "parking", "hearing_loop"]
    assert "gewijzigd: plaats, route, parkeren, ringleiding" in client.get(url).get_data(as_text=True)


def test_bad_venue_input_changes_nothing(app, logged_in, post_form):
    client, _ = logged_in("editor")
    cases = [({"name": ""}, "Vul de naam van de locatie in."),
             ({"city": " "}, "Vul de plaats in."),
             ({"street_address": ""}, "Vul de straat en het huisnummer in."),
             ({"postal_code": "Zwolle"}, "Vul een postcode in zoals 3521 AL."),
             ({"name": "x" * 201}, "De naam mag hoogstens 200 tekens hebben."),
             ({"route": "x" * 2001}, "Deze tekst is te lang.")]
    for change, message in cases:
        response = post_form(client, "/beheer/locaties/nieuw", {**FORM, **change})
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert _venues(app) == []


def test_venues_are_for_editors_and_up(app, logged_in, client, setup_data):
    with setup_data():
        venue_id = make_venue().id
    urls = ["/beheer/locaties", "/beheer/locaties/nieuw", f"/beheer/locaties/{venue_id}"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    moderator, _ = logged_in("moderator")
    for url in urls:
        assert moderator.get(url).status_code == 403
    editor, _ = logged_in("editor")
    for url in urls:
        assert editor.get(url).status_code == 200
    assert editor.get("/beheer/locaties/999999").status_code == 404
    assert 'href="/beheer/locaties"' in editor.get("/beheer/").get_data(as_text=True)


def test_an_edition_chooses_a_venue_and_an_online_one_its_platform(app, logged_in, post_form):
    with app.app_context():
        offering = make_offering(title="Bestuursrecht")
        venue = make_venue(name="Evoluon", city="Eindhoven", street_address="Noord Brabantlaan 1a",
                           postal_code="5652 LA")
        db.session.commit()
        offering_id, venue_id = offering.id, venue.id
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}/edities/nieuw"
    assert "Evoluon, Eindhoven" in client.get(url).get_data(as_text=True)
    base = {"dates": "07-04-2027", "start_time": "10:00", "end_time": "17:00", "capacity": "16",
            "price_override": ""}
    response = post_form(client, url, {**base, "venue_id": str(venue_id), "city": ""})
    assert response.status_code == 302
    response = post_form(client, url, {**base, "online": "y", "online_platform": " Teams ", "venue_id": ""})
    assert response.status_code == 302
    bad = post_form(client, url, {**base, "venue_id": "999999", "city": ""})
    assert bad.status_code == 422 and "Kies een locatie uit de lijst." in bad.get_data(as_text=True)
    bad = post_form(client, url, {**base, "venue_id": "abc", "city": ""})
    assert bad.status_code == 422 and "Kies een locatie uit de lijst." in bad.get_data(as_text=True)
    with app.app_context():
        first, second = db.session.scalars(
            select(Edition).where(Edition.offering_id == offering_id).order_by(Edition.id)).all()
        assert (first.venue_id, first.city, first.place) == (venue_id, "Eindhoven", "Evoluon, Eindhoven")
        assert (second.venue_id, second.online_platform, second.place) == (None, "Teams", "Online (Teams)")
        first_id = first.id
    page = client.get(f"/beheer/edities/{first_id}").get_data(as_text=True)
    assert f'<option selected value="{venue_id}">' in page or f'value="{venue_id}" selected' in page
