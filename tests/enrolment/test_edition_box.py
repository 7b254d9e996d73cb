"""The edition box on the enrolment form names where the edition is held: the venue's street,
postcode and city, or the platform of an online edition."""
from __future__ import annotations

from tests.enrolment.helpers import enrol_url
from tests.factories import make_edition, make_offering, make_venue


def _box(client, edition_url: str) -> str:
    page = client.get(edition_url).get_data(as_text=True)
    return page[page.index('class="sidebar-box edition-box"'):].split("</aside>")[0]


def test_the_box_shows_the_venue_address(client, setup_data):
    with setup_data():
        venue = make_venue(name="Hanzeborg", street_address="Stationsweg 8", postal_code="8011 CZ", city="Zwolle")
        url = enrol_url(make_edition(make_offering(), location=venue, city="Zwolle"))
    assert "<dd>Hanzeborg<br>Stationsweg 8, 8011 CZ Zwolle</dd>" in _box(client, url)


def test_the_box_shows_a_free_text_address_and_an_online_platform(client, setup_data):
    with setup_data():
        offering = make_offering()
        street = enrol_url(make_edition(offering, venue="Hotel Zuid", street_address="Laan 1",
                                        postal_code="1234 AB", city="Amersfoort"))
        town_only = enrol_url(make_edition(offering, venue="Hotel Noord", city="Assen"))
        online = enrol_url(make_edition(offering, online=True, online_platform="Teams", venue="", city=""))
    assert "<dd>Hotel Zuid<br>Laan 1, 1234 AB Amersfoort</dd>" in _box(client, street)
    assert "<dd>Hotel Noord, Assen</dd>" in _box(client, town_only)
    assert "<dd>Online (Teams)</dd>" in _box(client, online)
