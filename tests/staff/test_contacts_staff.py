"""Contact persons from /beheer/contactpersonen: create with a photo, bad input (the photo's type
and size too) that stores nothing, edit, choose one on the offering's form, delete, audit
entries, and who may."""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from sbo.catalogue.models import ContactPerson, Offering
from sbo.extensions import db
from tests.factories import make_edition, make_offering
from tests.staff.helpers import audit_actions
from tests.staff.test_offer import _offering_form

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = {"name": "Eva de Wit", "role": "Opleidingsadviseur", "email": "eva@sbo.example", "phone": "030 123 45 67"}


def _contacts(app) -> list[ContactPerson]:
    with app.app_context():
        contacts = db.session.scalars(select(ContactPerson).order_by(ContactPerson.id)).all()
        db.session.expunge_all()
        return contacts


def _photos(app) -> list[str]:
    folder = Path(app.instance_path) / "uploads" / "contacts"
    return sorted(path.name for path in folder.glob("*")) if folder.exists() else []


def test_create_a_contact_with_a_photo(app, logged_in, post_form):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/contactpersonen/nieuw",
                         {**FORM, "photo": (io.BytesIO(PNG), "eva.PNG")}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.location == "/beheer/contactpersonen"
    [contact] = _contacts(app)
    assert (contact.name, contact.role, contact.email, contact.phone) == (
        "Eva de Wit", "Opleidingsadviseur", "eva@sbo.example", "030 123 45 67")
    assert contact.photo.endswith(".png") and _photos(app) == [contact.photo]
    page = client.get("/beheer/contactpersonen").get_data(as_text=True)
    assert "Eva de Wit" in page and "030 123 45 67" in page
    assert audit_actions(app, "contact_person", contact.id) == ["contact.created"]


def test_bad_input_stores_nothing(app, logged_in, post_form):
    client, _ = logged_in("editor")
    app.config["CONTACT_PHOTO_MAX_BYTES"] = 1000
    cases = [({"name": " "}, "Vul de naam in."),
             ({"name": "x" * 121}, "De naam mag hoogstens 120 tekens hebben."),
             ({"email": "", "phone": ""}, "Vul een telefoonnummer of een e-mailadres in."),
             ({"email": "geen-adres"}, "e-mailadres"),
             ({"phone": "bel me"}, "Gebruik alleen cijfers, spaties en + - ( )."),
             ({"photo": (io.BytesIO(b"%PDF-1.7 stiekem"), "foto.png")}, "Dit is geen foto die we kunnen gebruiken."),
             ({"photo": (io.BytesIO(b"<svg onload=alert(1)>"), "foto.svg")}, "Kies een JPG-, PNG- of WebP-bestand."),
             ({"photo": (io.BytesIO(PNG + b"\x00" * 1000), "groot.png")}, "Deze foto is te groot: hoogstens 0,001 MB.")]
    for change, message in cases:
        response = post_form(client, "/beheer/contactpersonen/nieuw", {**FORM, **change},
                             content_type="multipart/form-data")
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert _contacts(app) == [] and _photos(app) == []


def test_edit_replace_and_remove_the_photo(app, logged_in, post_form):
    client, _ = logged_in("editor")
    post_form(client, "/beheer/contactpersonen/nieuw", {**FORM, "photo": (io.BytesIO(PNG), "a.png")},
              content_type="multipart/form-data")
    [contact] = _contacts(app)
    url = f"/beheer/contactpersonen/{contact.id}"
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 32
    response = post_form(client, url, {**FORM, "role": "Programmamanager", "photo": (io.BytesIO(jpeg), "b.jpg")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    [changed] = _contacts(app)
    assert changed.role == "Programmamanager" and changed.photo.endswith(".jpg") and _photos(app) == [changed.photo]
    post_form(client, url, {**FORM, "remove_photo": "y"}, content_type="multipart/form-data")
    assert _contacts(app)[0].photo == "" and _photos(app) == []
    assert audit_actions(app, "contact_person", contact.id) == ["contact.created", "contact.updated", "contact.updated"]
    assert "gewijzigd: functie, foto" in client.get(url).get_data(as_text=True)


def test_choose_a_contact_on_the_offering_form_and_delete_it(app, logged_in, post_form, setup_data, client):
    with setup_data():
        offering = make_offering(slug="crisis", title="Crisiscommunicatie")
        make_edition(offering)
        offering_id = offering.id
    editor, _ = logged_in("editor")
    post_form(editor, "/beheer/contactpersonen/nieuw", FORM)
    [contact] = _contacts(app)
    url = f"/beheer/aanbod/{offering_id}"
    assert "Eva de Wit, Opleidingsadviseur" in editor.get(url).get_data(as_text=True)
    form = _offering_form(title="Crisiscommunicatie", slug="crisis", contact_person_id=str(contact.id))
    assert post_form(editor, url, form).status_code == 302
    assert "Neem contact op met <strong>Eva de Wit</strong>" in client.get("/aanbod/crisis").get_data(as_text=True)
    assert f'<option selected value="{contact.id}">' in editor.get(url).get_data(as_text=True)
    bad = post_form(editor, url, {**form, "contact_person_id": str(contact.id + 99)})
    assert bad.status_code == 422 and "Kies een contactpersoon uit de lijst." in bad.get_data(as_text=True)
    response = post_form(editor, f"/beheer/contactpersonen/{contact.id}/verwijderen", {},
                         page=f"/beheer/contactpersonen/{contact.id}")
    assert response.status_code == 302
    assert "1 aanbod heeft nu geen contactpersoon." in editor.get("/beheer/contactpersonen").get_data(as_text=True)
    assert _contacts(app) == []
    with app.app_context():
        assert db.session.get(Offering, offering_id).contact is None
    assert "Vragen?" not in client.get("/aanbod/crisis").get_data(as_text=True)
    assert audit_actions(app, "contact_person", contact.id)[-1] == "contact.deleted"


def test_contacts_are_for_editors_and_up(app, client, logged_in, post_form):
    urls = ["/beheer/contactpersonen", "/beheer/contactpersonen/nieuw"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    moderator, _ = logged_in("moderator")
    for url in urls:
        assert moderator.get(url).status_code == 403
    assert post_form(moderator, "/beheer/contactpersonen/nieuw", FORM, page="/beheer/").status_code == 403
    editor, _ = logged_in("editor")
    assert editor.post("/beheer/contactpersonen/nieuw", data=FORM).status_code == 400  # no CSRF token
    assert _contacts(app) == []
