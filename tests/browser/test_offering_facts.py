"""The price facts in a real browser: the offering page with its VAT status, inclusions,
discounts and contact person, and the enrolment form whose total follows the colleagues filled
in (progressive enhancement); at 1280 and 360 px, axe-clean (WCAG 2.1 AA)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from sbo.catalogue.contacts import ContactData, create_contact, set_offering_contact
from sbo.catalogue.models import Discount
from sbo.extensions import db
from tests.factories import make_edition, make_offering, make_venue

pytestmark = pytest.mark.browser
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def make(app) -> tuple[str, str]:
    with app.app_context():
        offering = make_offering(title="Crisiscommunicatie voor gemeenten", slug="crisiscommunicatie",
                                 price_cents=129500, vat_status="excl", included="lunch materials certificate",
                                 included_note="een naslagwerk")
        venue = make_venue(name="Hanzeborg", street_address="Stationsweg 8", postal_code="8011 CZ", city="Zwolle")
        edition = make_edition(offering, days=2, location=venue, city="Zwolle")
        db.session.add(Discount(offering_id=offering.id, kind="group", min_participants=3, percent=Decimal("10")))
        contact = create_contact(ContactData(name="Femke Verhoeven", role="Opleidingsadviseur",
                                             email="f.verhoeven@sbo.example", phone="030 760 41 12"), PNG)
        set_offering_contact(offering, contact.id)
        db.session.commit()
        return "/aanbod/crisiscommunicatie", f"/aanbod/crisiscommunicatie/inschrijven/{edition.id}"


def test_offering_page_and_a_live_total(app, live_server, page, screenshot):
    offering_url, form_url = make(app)
    page.goto(live_server.url + offering_url)
    facts = page.locator("aside.sidebar-box dl.facts").inner_text()
    assert "€ 1.295,- excl. btw" in facts and "lunch, lesmateriaal, certificaat en een naslagwerk" in facts
    assert "Groepskorting vanaf 3 deelnemers (10 %)" in facts
    assert "Neem contact op met Femke Verhoeven" in page.locator(".contact-person").inner_text()
    screenshot(page, "offering-facts")

    page.goto(live_server.url + form_url)
    assert "Stationsweg 8, 8011 CZ Zwolle" in page.locator("aside.edition-box").inner_text()
    total = page.locator("[data-quotes] [data-quote]:visible")
    assert total.count() == 1 and "Totaal incl. btw € 1.566,95" in " ".join(total.inner_text().split())
    page.get_by_role("button", name="Nog een collega toevoegen").click()
    page.locator("#participants-0-first_name").fill("Piet")
    page.get_by_role("button", name="Nog een collega toevoegen").click()
    page.locator("#participants-1-first_name").fill("Kees")
    assert "Groepskorting vanaf 3 deelnemers (10 %)" in total.inner_text()
    assert "Totaal incl. btw € 4.230,77" in " ".join(total.inner_text().split())  # 3 × 1165,50 × 1,21
    page.locator("#participants-1-first_name").fill("")
    assert "2 deelnemers" in total.inner_text() and "Groepskorting" not in total.inner_text()
    page.locator("#participants-1-first_name").fill("Kees")
    page.locator(".booking-total").scroll_into_view_if_needed()
    screenshot(page, "enrolment-total")


def test_offering_facts_pass_axe(app, live_server, browser):
    """The offering page and the enrolment form with its total, at 1280 and 360 px (CSP bypassed
    only so axe can be injected)."""
    from axe_playwright_python.sync_playwright import Axe

    offering_url, form_url = make(app)
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        problems = []
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            for target in (offering_url, form_url):
                page.goto(live_server.url + target)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, target)
                results = Axe().run(page)
                problems += [f"{width} {target}: {v['id']}: {v['help']}" for v in results.response["violations"]]
        assert problems == []
    finally:
        context.close()
