"""Deleting a venue from /beheer/locaties: only when no edition uses it (409 naming the editions
otherwise), CSRF-protected, editors and up, with an audit entry."""
from __future__ import annotations

from datetime import date

from sbo.catalogue.models import Venue
from sbo.extensions import db
from tests.factories import make_edition, make_offering, make_venue
from tests.staff.helpers import audit_actions


def _exists(app, venue_id: int) -> bool:
    with app.app_context():
        return db.session.get(Venue, venue_id) is not None


def test_an_unused_venue_is_deleted_with_an_audit_entry(app, logged_in, post_form, setup_data):
    with setup_data():
        venue_id = make_venue(name="Hanzeborg", city="Zwolle").id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/locaties/{venue_id}/verwijderen", {},
                         page=f"/beheer/locaties/{venue_id}")
    assert response.status_code == 302 and response.location == "/beheer/locaties"
    assert not _exists(app, venue_id)
    page = client.get("/beheer/locaties").get_data(as_text=True)
    assert "De locatie ‘Hanzeborg’ is verwijderd." in page
    assert audit_actions(app, "venue", venue_id) == ["venue.deleted"]


def test_a_venue_in_use_is_kept_and_the_editions_are_named(app, logged_in, post_form, setup_data):
    with setup_data():
        venue = make_venue(name="Hanzeborg", city="Zwolle")
        offering = make_offering(title="Crisiscommunicatie")
        make_edition(offering, start_date=date(2027, 3, 12), location=venue)
        make_edition(offering, start_date=date(2027, 5, 7), location=venue, status="geannuleerd")
        make_edition(offering, start_date=date(2027, 6, 1))  # elsewhere: not named
        venue_id = venue.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/locaties/{venue_id}/verwijderen", {},
                         page=f"/beheer/locaties/{venue_id}")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "kan niet worden verwijderd: 2 edities gebruiken deze locatie" in page
    assert "Crisiscommunicatie, 12 maart 2027" in page
    assert "Crisiscommunicatie, 7 mei 2027</a> (geannuleerd)" in page
    assert "1 juni 2027" not in page
    assert _exists(app, venue_id)
    assert audit_actions(app, "venue", venue_id) == []


def test_deleting_needs_csrf_and_an_editor(app, client, logged_in, post_form, setup_data):
    with setup_data():
        venue_id = make_venue().id
    url = f"/beheer/locaties/{venue_id}/verwijderen"
    assert client.post(url).status_code == 400  # anonymous, no CSRF token
    moderator, _ = logged_in("moderator")
    assert post_form(moderator, url, {}, page="/beheer/").status_code == 403
    editor, _ = logged_in("editor")
    assert editor.post(url).status_code == 400  # no CSRF token
    assert post_form(editor, f"/beheer/locaties/{venue_id + 1}/verwijderen", {},
                     page="/beheer/locaties").status_code == 404
    assert _exists(app, venue_id)
