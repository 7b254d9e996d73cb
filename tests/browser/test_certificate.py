"""/certificaat in a real browser: type a code from paper, see a genuine certificate, a withdrawn
one and an unknown code; staff withdraw one. Every page axe-clean (WCAG 2.1 AA) at 1280 and 360 px."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sbo.certificates.queries import display_code
from sbo.certificates.services import issue, withdraw
from sbo.extensions import db
from tests.browser.helpers import AXE_OPTIONS
from tests.certificates.data import past_course
from tests.factories import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.browser


class Checked:
    """A page in a context that lets axe in, and the problems axe found on it at both widths."""

    def __init__(self, browser):
        self.context = browser.new_context(bypass_csp=True, locale="nl-NL", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.problems: list[str] = []

    def axe(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        for width in (1280, 360):
            self.page.set_viewport_size({"width": width, "height": 900})
            violations = Axe().run(self.page, options=AXE_OPTIONS).response["violations"]
            self.problems += [f"{self.page.url} @{width}: {v['id']}: {[n['target'] for n in v['nodes']]}"
                              for v in violations]
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def expect_h1(self, text: str | re.Pattern) -> None:
        """The page's heading, once the page a click led to has loaded (expect() retries)."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text(text)


def test_checking_certificates(app, live_server, browser, screenshot):
    with app.app_context():
        course = past_course()
        genuine = display_code(issue(course.anna).code)
        withdrawn = issue(course.carla)
        withdraw(withdrawn, "Onjuist geregistreerd")
        withdrawn = display_code(withdrawn.code)
        db.session.commit()

    checked = Checked(browser)
    page = checked.page
    try:
        page.goto(live_server.url + "/certificaat")
        checked.expect_h1("Certificaat controleren")
        checked.axe()
        page.get_by_label("Verificatiecode").fill(genuine.lower().replace("-", " "))
        page.get_by_role("button", name="Controleren").click()
        checked.expect_h1("Certificaat is echt")
        text = page.locator("main").inner_text()
        assert "Bibob in de praktijk" in text and "A.d.V." in text and "Anna" not in text
        assert genuine in text
        checked.axe()
        screenshot(page, "certificate-genuine")

        page.goto(f"{live_server.url}/certificaat/{withdrawn}")
        checked.expect_h1("Certificaat ingetrokken")
        checked.axe()
        screenshot(page, "certificate-withdrawn")

        page.goto(f"{live_server.url}/certificaat/ABCD-EFGH-JKLM-NPQR-STUV-WXYZ")
        checked.expect_h1("Onbekende verificatiecode")
        checked.axe()
        screenshot(page, "certificate-unknown")
    finally:
        checked.context.close()
    assert checked.problems == []


def test_staff_withdraw_a_certificate(app, live_server, browser, screenshot):
    with app.app_context():
        course = past_course()
        issue(course.anna)
        make_staff("editor", email="eva@sbo.example")
        db.session.commit()
        edition_id = course.edition.id

    checked = Checked(browser)
    page = checked.page
    try:
        page.goto(f"{live_server.url}/beheer/edities/{edition_id}")
        page.get_by_label("E-mailadres").fill("eva@sbo.example")
        page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("link", name="certificaten en punten per register").click()
        checked.expect_h1(re.compile(r"^Certificaten"))
        checked.axe()
        screenshot(page, "staff-certificates")
        page.get_by_role("link", name="Intrekken bij Anna de Vries").click()
        page.get_by_role("button", name="Certificaat intrekken").click()
        expect(page.locator("main")).to_contain_text("Vul de reden in.")
        checked.axe()
        screenshot(page, "staff-certificate-withdraw")
        page.get_by_label("Reden van intrekken").fill("Aanwezigheid verkeerd geregistreerd")
        page.get_by_role("button", name="Certificaat intrekken").click()
        expect(page.locator("main")).to_contain_text("Het certificaat van Anna de Vries is ingetrokken.")
    finally:
        checked.context.close()
    assert checked.problems == []
