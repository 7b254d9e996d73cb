"""The PDF brochure of an offering: its text read back (title, programme, trainer, dates and
place, price), page 1 rendered as PNG to look at, the link on the offering page, the cache."""
from __future__ import annotations

import io
from datetime import date, time

import pypdfium2
import pytest
from pypdf import PdfReader

from sqlalchemy import select

from sbo.catalogue.models import Offering, OfferingType
from sbo.extensions import db
from tests.browser.helpers import SCREENSHOTS
from tests.factories import make_edition, make_item, make_offering, make_trainer, make_venue

URL = "/aanbod/bibob-coordinator/brochure.pdf"
START = date(2031, 3, 11)


@pytest.fixture
def offering(setup_data):
    with setup_data():
        offering = make_offering(
            slug="bibob-coordinator", title="Bibob-coördinator", type=OfferingType.OPLEIDING,
            teaser="In vier dagen leer je een Bibob-onderzoek opzetten, uitvoeren en verantwoorden.",
            description="De Wet Bibob geeft het bestuur een stevig instrument.\n\nJe oefent met echte dossiers.",
            learning_outcomes="Je zet een eigen onderzoek op\nJe schrijft een advies", audience="Juristen en "
            "beleidsadviseurs bij gemeenten.", duration="4 dagen", price_cents=239550,
            accreditation="NOvA: 20 PO-punten")
        zwart = make_trainer([offering], slug="erik-zwart", name="Erik Zwart", role="Bibob-adviseur",
                             bio="Erik adviseert sinds 2013 gemeenten over integriteitstoetsing.")
        make_item(offering, "De wet in vogelvlucht", start_time=time(9, 30), end_time=time(12, 30), trainers=[zwart])
        make_item(offering, "Eigen onderzoek en bronnen", start_time=time(13, 30), end_time=time(16, 30))
        make_item(offering, "Besluitvorming en rechtsbescherming", day=2)
        venue = make_venue(name="Hanzeborg", street_address="Stationsweg 8", postal_code="8011 CZ", city="Zwolle")
        make_edition(offering, days=2, start_date=START, location=venue, city="Zwolle")
    return offering


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_brochure_holds_what_a_manager_needs_to_decide(client, offering):
    response = client.get(URL)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="brochure-bibob-coordinator.pdf"' in response.headers["Content-Disposition"]
    text = " ".join(_text(response.data).split())
    for expected in ("Bibob-coördinator", "Opleiding", "In vier dagen leer je", "Je schrijft een advies",
                     "Programma", "Dag 1", "09:30–12:30", "De wet in vogelvlucht", "Door Erik Zwart",
                     "Dag 2", "Besluitvorming en rechtsbescherming", "Trainers", "Erik Zwart", "Bibob-adviseur",
                     "Erik adviseert sinds 2013", "di 11 maart 2031", "Hanzeborg", "Stationsweg 8, 8011 CZ Zwolle",
                     "€ 2.395,50 excl. btw", "NOvA: 20 PO-punten", "020 123 45 67"):
        assert expected in text, expected
    assert "/aanbod/bibob-coordinator" in text.replace(" ", "")  # the link may wrap
    assert PdfReader(io.BytesIO(response.data)).metadata.title == "Bibob-coördinator · brochure SBO"


def test_page_one_as_png(client, offering):
    pdf = pypdfium2.PdfDocument(client.get(URL).data)
    try:
        image = pdf[0].render(scale=1.5).to_pil()
    finally:
        pdf.close()
    SCREENSHOTS.mkdir(exist_ok=True)
    image.save(SCREENSHOTS / "brochure-page1.png")
    assert image.size[0] < image.size[1]  # A4 upright
    assert image.getpixel((image.size[0] // 2, 20))[:3] == (18, 53, 91)  # the navy cover band


def test_the_offering_page_links_the_brochure_and_it_is_cached(client, offering):
    page = client.get("/aanbod/bibob-coordinator").get_data(as_text=True)
    assert f'href="{URL}"' in page and "Download brochure (pdf)" in page
    assert client.get(URL).headers["X-Cache"] == "miss"
    assert client.get(URL).headers["X-Cache"] == "hit"


def test_no_brochure_of_an_unpublished_or_unknown_offering(client, setup_data):
    with setup_data():
        make_offering(slug="verborgen", published=False)
    assert client.get("/aanbod/verborgen/brochure.pdf").status_code == 404
    assert client.get("/aanbod/bestaat-niet/brochure.pdf").status_code == 404


def test_a_change_to_the_programme_shows_in_the_next_brochure(app, client, offering):
    assert "Casus: een horecavergunning" not in _text(client.get(URL).data)
    with app.app_context():
        stored = db.session.scalar(select(Offering).where(Offering.slug == "bibob-coordinator"))
        make_item(stored, "Casus: een horecavergunning", day=2)
        db.session.commit()
    assert "Casus: een horecavergunning" in _text(client.get(URL).data)


def test_the_brochure_gives_the_price_as_a_buyer_reads_it_the_points_and_the_contact(client, setup_data):
    """The price with its VAT status and what it includes, the points per register and the
    offering's own contact person, as on the offering page."""
    from decimal import Decimal

    from sbo.catalogue.models import Accreditation, ContactPerson, Register

    with setup_data():
        offering = make_offering(slug="integriteit", title="Integriteit in de praktijk", price_cents=89500,
                                 vat_status="vrijgesteld", included="lunch materials")
        offering.contact = ContactPerson(name="Eva Jansen", role="Opleidingsadviseur", phone="030 123 45 67",
                                         email="eva@sbo.example")
        register = Register(name="Register Integriteit", short_name="RI")
        db.session.add(Accreditation(offering=offering, register=register, points=Decimal("6.5"),
                                     net_hours=Decimal(6)))
        make_edition(offering, start_date=START)
    text = " ".join(_text(client.get("/aanbod/integriteit/brochure.pdf").data).split())
    assert "excl. btw" not in text  # the edition rows too
    for expected in ("Prijs € 895,- vrijgesteld van btw", "lunch en lesmateriaal", "Register Integriteit: 6,5 punten",
                     "Eva Jansen, Opleidingsadviseur: 030 123 45 67, eva@sbo.example"):
        assert expected in text, expected
    assert "020 123 45 67" in text  # in-company questions still go to customer service
