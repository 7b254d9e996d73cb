"""Venues as records on the public side: the edition rows, the .ics LOCATION, the JSON-LD Place
and the enrolment mails use the venue's data, which wins over an edition's free-text fields."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from sbo import clock
from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import make_edition, make_offering, make_venue

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def edition(setup_data):
    with setup_data():
        venue = make_venue()
        offering = make_offering(slug="bibob", title="Bibob")
        # the free-text fields hold stale data: the venue's wins
        edition = make_edition(offering, start_date=date(clock.today().year + 1, 3, 12), location=venue,
                               venue="Oude zaal", city="Utrecht", street_address="Oudegracht 1",
                               postal_code="3511 AA")
        make_edition(offering, start_date=clock.today() + timedelta(days=60), city="", venue="",
                     online=True, online_platform="Teams")
    return edition


def test_the_edition_row_shows_the_venue_with_its_details(client, edition):
    html = client.get("/aanbod/bibob").get_data(as_text=True)
    assert "Jaarbeurs Meeting Center, Utrecht" in html and "Oude zaal" not in html
    details = html[html.index('<details class="venue-details">'):html.index("</details>")]
    assert "Jaarbeursplein 6, 3521 AL Utrecht" in details
    assert "Vanaf Utrecht Centraal vijf minuten lopen." in details and "Parkeergarage P1." in details
    assert "drempelvrij" in details and "geen ringleiding" in details
    # a plain link to an outside map, nothing embedded
    assert ('<a href="https://www.openstreetmap.org/search?query=Jaarbeursplein+6%2C+3521+AL+Utrecht" '
            'rel="noopener">') in details
    assert "<iframe" not in html and "openstreetmap.org/export" not in html
    assert "Online (Teams)" in html


def test_the_calendar_file_has_the_venue_address(client, edition):
    body = client.get(f"/aanbod/bibob/{edition.id}.ics").get_data().replace(b"\r\n ", b"")
    assert b"LOCATION:Jaarbeurs Meeting Center\\, Jaarbeursplein 6\\, 3521 AL Utrecht" in body


def test_json_ld_has_a_place_with_the_venue_postal_address(client, edition):
    html = client.get("/aanbod/bibob").get_data(as_text=True)
    data = json.loads(JSONLD.search(html).group(1))
    locations = [instance["location"] for instance in data["hasCourseInstance"]]
    assert {
        "@type": "Place", "name": "Jaarbeurs Meeting Center",
        "address": {"@type": "PostalAddress", "streetAddress": "Jaarbeursplein 6", "postalCode": "3521 AL",
                    "addressLocality": "Utrecht", "addressCountry": "NL"}} in locations
    assert {"@type": "VirtualLocation", "name": "Online (Teams)"} in locations


def test_the_enrolment_mail_shows_the_venue_address(client, post_form, outbox, edition):
    response = post_form(client, enrol_url(edition), VALID)
    assert response.status_code == 303
    [mail] = outbox()
    assert "Plaats: Jaarbeurs Meeting Center, Utrecht" in mail.body_text
    assert "Adres: Jaarbeursplein 6, 3521 AL Utrecht" in mail.body_text
    assert "Route: Vanaf Utrecht Centraal vijf minuten lopen." in mail.body_text
    assert "Parkeren: Parkeergarage P1." in mail.body_text
