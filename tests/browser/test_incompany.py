"""The in-company request form in a real browser: from the offering page's call to action, with
the server's errors, sent; at 1280 and 360 px; axe-clean (WCAG 2.1 AA)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sbo.extensions import db
from sbo.incompany.models import IncompanyRequest
from tests.browser.helpers import SCREENSHOTS
from tests.factories import make_edition, make_offering

pytestmark = pytest.mark.browser


def make(app) -> str:
    with app.app_context():
        offering = make_offering(title="Crisiscommunicatie voor gemeenten", slug="crisiscommunicatie")
        make_edition(offering, days=2, venue="Hotel Figi", city="Zeist")
        db.session.commit()
        return "/aanbod/crisiscommunicatie"


def test_request_in_company_from_the_offering_page(app, live_server, page, screenshot, outbox):
    page.goto(live_server.url + make(app))
    expect(page.locator(".incompany-cta h3")).to_have_text("Deze cursus in-company?")
    screenshot(page, "incompany-offering-cta")
    page.get_by_role("link", name="Vraag een voorstel aan voor Crisiscommunicatie voor gemeenten in-company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crisiscommunicatie voor gemeenten in-company")
    screenshot(page, "incompany-form")

    # the browser would block an empty required field; switch that off to see the server's answer
    page.eval_on_selector("form:has(#organisation)", "f => f.noValidate = true")
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_label("Aantal deelnemers").fill("0")
    page.get_by_role("button", name="Aanvraag versturen").click()
    summary = page.get_by_role("alert")
    assert "Controleer het formulier" in summary.inner_text()
    assert "Dit is geen geldig e-mailadres." in summary.inner_text()
    expect(page.locator("#participants-error")).to_have_text("Vul een aantal in van 1 tot en met 1000.")
    assert page.get_by_label("E-mailadres").input_value() == "geen-adres"
    screenshot(page, "incompany-form-errors")

    page.get_by_label("Organisatie").fill("Gemeente Zeist")
    page.get_by_label("Contactpersoon").fill("Sanne de Vries")
    page.get_by_label("E-mailadres").fill("sanne@gemeente.example")
    page.get_by_label("Aantal deelnemers").fill("16")
    page.get_by_label("Gewenste periode").fill("najaar 2027")
    page.get_by_label("Je vraag").fill("Een dag voor ons crisisteam, bij ons in het gemeentehuis.")
    with page.expect_navigation():
        page.get_by_role("button", name="Aanvraag versturen").click()
    assert page.url.endswith("/aanbod/crisiscommunicatie/in-company/verstuurd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je aanvraag is verstuurd")
    screenshot(page, "incompany-sent")
    with app.app_context():
        [stored] = db.session.scalars(select(IncompanyRequest)).all()
        assert (stored.organisation, stored.participants, stored.offering.slug) == (
            "Gemeente Zeist", 16, "crisiscommunicatie")
    assert len(outbox("sanne@gemeente.example")) == 1


@pytest.mark.parametrize("width", [1280, 360])
def test_request_form_layout(app, live_server, page, width):
    """No sideways scrolling; every field and the submit button fit the viewport; the privacy
    link follows the form."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/maatwerk")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#organisation", "#contact_name", "#email", "#phone", "#participants",
                     "#preferred_period", "#preferred_place", "#question", "form button[type=submit]"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    submit = page.locator("form button[type=submit]").bounding_box()
    privacy = page.locator(".privacy-note").bounding_box()
    assert privacy["y"] >= submit["y"] + submit["height"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"incompany-maatwerk-{width}.png"), full_page=True)


def test_request_pages_pass_axe(app, live_server, browser):
    """Accessibility of the form (empty and with errors), the sent page and the offering page with
    its call to action, at 1280 and 360 px (CSP bypassed only so axe can be injected)."""
    from axe_playwright_python.sync_playwright import Axe

    offering_url = make(app)
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        problems = []
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            for target in (offering_url, "/maatwerk", f"{offering_url}/in-company", "/maatwerk/verstuurd"):
                page.goto(live_server.url + target)
                results = Axe().run(page)
                problems += [f"{width} {page.url}: {v['id']}: {v['help']}" for v in results.response["violations"]]
            page.goto(live_server.url + "/maatwerk")
            page.eval_on_selector("form:has(#organisation)", "f => f.noValidate = true")
            page.get_by_role("button", name="Aanvraag versturen").click()
            page.wait_for_selector("#organisation-error")
            results = Axe().run(page)
            problems += [f"{width} errors: {v['id']}: {v['help']}" for v in results.response["violations"]]
        assert problems == []
    finally:
        context.close()
