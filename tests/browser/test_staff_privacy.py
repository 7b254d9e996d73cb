"""/beheer/privacy in a real browser: an administrator looks up an address (a request by phone),
sees the overview and what erasing will do, and erases; every page axe-clean (WCAG 2.1 AA)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sbo.extensions import db
from tests.browser.helpers import AXE_OPTIONS
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering, make_staff

pytestmark = pytest.mark.browser
ADDRESS = "kees@provincie.example"


def test_admin_erases_for_a_request_by_phone(app, live_server, browser, screenshot):
    from axe_playwright_python.sync_playwright import Axe

    with app.app_context():
        make_enrolment(make_edition(make_offering(title="Omgevingsrecht")), email=ADDRESS, first_name="Kees")
        make_comment(make_article(title="Participatie"), author_email=ADDRESS, body="Mooi verhaal.")
        make_staff("admin", email="ada@sbo.example", name="Ada Beheer")
        db.session.commit()

    context = browser.new_context(bypass_csp=True, locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []

    def axe_check():
        results = Axe().run(page, options=AXE_OPTIONS)
        problems.extend(f"{page.url}: {v['id']}: {v['help']}" for v in results.response["violations"])

    try:
        page.goto(live_server.url + "/beheer/login")
        page.get_by_label("E-mailadres").fill("ada@sbo.example")
        page.get_by_label("Wachtwoord").fill("correct-paard-batterij")
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Privacy").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Privacy: inzage en verwijdering")
        axe_check()
        page.get_by_label("E-mailadres van de aanvrager").fill(ADDRESS)
        page.get_by_role("button", name="Toon de gegevens").click()
        expect(page.locator("main")).to_contain_text("Mooi verhaal.")
        main = page.locator("main").inner_text()
        assert "Omgevingsrecht" in main and "Mooi verhaal." in main and "wordt geannuleerd" in main
        axe_check()
        screenshot(page, "staff-privacy-overview")
        page.get_by_label("Laat de tekst staan").check()
        page.get_by_role("button", name=f"Verwijder de gegevens van {ADDRESS}").click()
        expect(page.get_by_text("De gegevens zijn verwijderd.")).to_be_visible()
        axe_check()
        assert problems == []
    finally:
        context.close()
