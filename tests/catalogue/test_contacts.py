"""The contact person of an offering: on the page ("Vragen? Neem contact op met …"), in the
JSON-LD as the provider's ContactPoint, the photo served only by its stored name, the photo
check, and the personal-data provider (export, erase)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sbo import personal_data
from sbo.catalogue.contacts import (ContactData, PhotoRejected, check_photo, create_contact,
                                    set_offering_contact)
from sbo.catalogue.models import ContactPerson, Offering
from sbo.extensions import db
from tests.factories import make_edition, make_offering

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
EVA = ContactData(name="Eva de <Wit>", role="Opleidingsadviseur", email="eva@sbo.example", phone="030 123 45 67")


@pytest.fixture
def offering_with_contact(setup_data):
    with setup_data():
        offering = make_offering(slug="crisis", title="Crisiscommunicatie")
        make_edition(offering)
        contact = create_contact(EVA, PNG)
        set_offering_contact(offering, contact.id)
        return contact.photo


def test_the_offering_page_names_the_contact_person(client, offering_with_contact):
    page = client.get("/aanbod/crisis").get_data(as_text=True)
    assert '<h3 id="contact-title">Vragen?</h3>' in page
    assert "Neem contact op met <strong>Eva de &lt;Wit&gt;</strong>" in page  # escaped
    assert '<a href="tel:0301234567">030 123 45 67</a>' in page
    assert '<a href="mailto:eva@sbo.example">eva@sbo.example</a>' in page
    assert f'src="/contactpersonen/foto/{offering_with_contact}"' in page


def test_the_json_ld_names_the_contact_point(client, offering_with_contact):
    data = json.loads(JSONLD.search(client.get("/aanbod/crisis").get_data(as_text=True)).group(1))
    assert data["provider"]["contactPoint"] == {
        "@type": "ContactPoint", "contactType": "informatie over deze opleiding", "name": "Eva de <Wit>",
        "telephone": "030 123 45 67", "email": "eva@sbo.example", "availableLanguage": "nl"}


def test_an_offering_without_contact_shows_none(client, setup_data):
    with setup_data():
        make_edition(make_offering(slug="zonder"))
    page = client.get("/aanbod/zonder").get_data(as_text=True)
    assert "Vragen?" not in page
    assert "contactPoint" not in JSONLD.search(page).group(1)


def test_the_photo_is_served_by_its_stored_name_only(client, offering_with_contact):
    response = client.get(f"/contactpersonen/foto/{offering_with_contact}")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png" and response.headers["X-Content-Type-Options"] == "nosniff"
    for bad in ("../secret_key", "..%2Fsbo.sqlite", "abc.html", "nope.png"):
        assert client.get(f"/contactpersonen/foto/{bad}").status_code == 404, bad


def test_a_photo_must_be_an_image_of_at_most_the_size(app_ctx, app):
    assert (check_photo(PNG), check_photo(JPEG), check_photo(WEBP)) == ("png", "jpg", "webp")
    app.config["CONTACT_PHOTO_MAX_BYTES"] = 1_500_000
    with pytest.raises(PhotoRejected, match="te groot: hoogstens 1,5 MB"):
        check_photo(PNG + b"\x00" * 1_500_000)
    assert check_photo(PNG + b"\x00" * (1_500_000 - len(PNG))) == "png"  # exactly the limit
    app.config["CONTACT_PHOTO_MAX_BYTES"] = 2_000_000
    for data, message in ((b"", "leeg"), (b"%PDF-1.7 ...", "geen foto"), (b"<svg onload=x>", "geen foto"),
                          (b"GIF89a......", "geen foto")):
        with pytest.raises(PhotoRejected, match=message):
            check_photo(data)


def test_personal_data_export_and_erase(app_ctx, app, offering_with_contact):
    personal_data.load()
    sections = personal_data.export("eva@sbo.example")
    assert sections["Contactpersoon op de website"][0]["naam"] == "Eva de <Wit>"
    counts = personal_data.erase("eva@sbo.example", keep_comment_text=True, via="staff")
    assert counts["contact_persons"] == 1
    db.session.expire_all()
    assert db.session.query(ContactPerson).count() == 0
    assert db.session.query(Offering).one().contact is None
    assert not (Path(app.instance_path) / "uploads" / "contacts" / offering_with_contact).exists()
