"""/certificaat in a real browser: type a code from paper, see a genuine certificate, a withdrawn
one and an unknown code; every page axe-clean (WCAG 2.1 AA) at 1280 and at 360 px."""
from __future__ import annotations

import pytest

from sbo.certificates.queries import display_code
from sbo.certificates.services import issue, withdraw
from sbo.extensions import db
from tests.certificates.data import past_course

pytestmark = pytest.mark.browser


def test_checking_certificates(app, live_server, browser, screenshot):
    from axe_playwright_python.sync_playwright import Axe

    with app.app_context():
        course = past_course()
        genuine = display_code(issue(course.anna).code)
        withdrawn = issue(course.carla)
        withdraw(withdrawn, "Onjuist geregistreerd")
        withdrawn = display_code(withdrawn.code)
        db.session.commit()

    context = browser.new_context(bypass_csp=True, locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []

    def axe_check():
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            results = Axe().run(page)
            problems.extend(f"{page.url} @{width}: {v['id']}: {v['help']}" for v in results.response["violations"])
        page.set_viewport_size({"width": 1280, "height": 900})

    try:
        page.goto(live_server.url + "/certificaat")
        assert page.get_by_role("heading", level=1).inner_text() == "Certificaat controleren"
        axe_check()
        page.get_by_label("Verificatiecode").fill(genuine.lower().replace("-", " "))
        page.get_by_role("button", name="Controleren").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Certificaat is echt"
        text = page.locator("main").inner_text()
        assert "Bibob in de praktijk" in text and "A.d.V." in text and "Anna" not in text
        assert genuine in text
        axe_check()
        screenshot(page, "certificate-genuine")

        page.goto(f"{live_server.url}/certificaat/{withdrawn}")
        assert page.get_by_role("heading", level=1).inner_text() == "Certificaat ingetrokken"
        axe_check()
        screenshot(page, "certificate-withdrawn")

        page.goto(f"{live_server.url}/certificaat/ABCD-EFGH-JKLM-NPQR-STUV-WXYZ")
        assert page.get_by_role("heading", level=1).inner_text() == "Onbekende verificatiecode"
        axe_check()
        screenshot(page, "certificate-unknown")
    finally:
        context.close()
    assert problems == []
