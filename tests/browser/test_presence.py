"""At the door, on a phone: the presence list at 360 px and the one-tap page a participant's
QR code opens; both axe-clean (WCAG 2.1 AA) at 1280 and 360 px."""
from __future__ import annotations

import pytest

from sbo import clock
from sbo.enrolment.passes import pass_code
from sbo.extensions import db
from tests.browser.helpers import AXE_OPTIONS
from tests.factories import make_edition, make_enrolment, make_offering, make_staff

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def door(app):
    with app.app_context():
        edition = make_edition(make_offering(title="Bibob in de praktijk"), days=2, start_date=clock.today())
        people = [make_enrolment(edition, first_name=first, last_name=last)
                  for first, last in (("Fatima", "El Amrani"), ("Pieter", "Jansen"), ("Noor", "de Vries"))]
        make_staff("editor", email="eva@sbo.example", name="Eva de Redacteur")
        db.session.commit()
        return edition.id, pass_code(people[1])


def test_the_presence_list_and_the_scan_page_at_the_door(browser, live_server, door, screenshot):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    edition_id, code = door
    context = browser.new_context(viewport=PHONE, locale="nl-NL", bypass_csp=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []

    def axe_check():
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            problems.extend(f"{page.url} {viewport['width']}: {v['id']}: {v['help']}"
                            for v in Axe().run(page, options=AXE_OPTIONS).response["violations"])
        page.set_viewport_size(PHONE)

    try:
        page.goto(live_server.url + f"/beheer/edities/{edition_id}/presentie")
        page.get_by_label("E-mailadres").fill("eva@sbo.example")
        page.get_by_label("Wachtwoord").fill("correct-paard-batterij")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"**/beheer/edities/{edition_id}/presentie")
        expect(page.get_by_text("0 van 3 aanwezig")).to_be_visible()
        row = page.locator("li.presence-row").filter(has_text="El Amrani, Fatima")
        button = row.get_by_role("button", name="Aanwezig")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 280  # a big target, the width of the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sticks out sideways
        button.tap()
        expect(page.get_by_text("Fatima El Amrani is aanwezig gemeld.")).to_be_visible()
        expect(page.get_by_text("1 van 3 aanwezig")).to_be_visible()
        expect(row.get_by_text("Aanwezig sinds")).to_be_visible()
        axe_check()
        page.set_viewport_size(DESKTOP)
        screenshot(page, "staff-presence")  # at 1280 px, then at 360 px
        page.set_viewport_size(PHONE)

        page.goto(live_server.url + f"/beheer/scan/{code}")
        expect(page.get_by_text("Pieter Jansen")).to_be_visible()
        axe_check()
        page.set_viewport_size(DESKTOP)
        screenshot(page, "staff-scan")
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="Aanwezig melden").tap()
        expect(page.get_by_text("Pieter Jansen is aanwezig gemeld.")).to_be_visible()
        expect(page.get_by_text("Aanwezig gemeld om")).to_be_visible()
        axe_check()
        page.goto(live_server.url + f"/beheer/edities/{edition_id}/presentie")
        expect(page.get_by_text("2 van 3 aanwezig")).to_be_visible()
        assert problems == []
    finally:
        context.close()
