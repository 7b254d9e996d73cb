"""Accepting a waiting-list offer from the link in its mail, in a real browser, at 1280 and
360 px; the offer page, its decline step and the staff offers page are axe-clean."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sbo.extensions import db
from tests.browser.helpers import AXE_OPTIONS
from tests.enrolment.helpers import link_from
from tests.factories import make_edition, make_enrolment, make_offering

pytestmark = pytest.mark.browser


def offered(app, outbox) -> tuple[str, int]:
    """A full edition; its only seat freed and offered to Wim. Returns (offer link path, edition id)."""
    from sbo.enrolment.models import Enrolment
    from sbo.enrolment.services import cancel_enrolment
    with app.app_context():
        edition = make_edition(make_offering(title="Crisiscommunicatie voor gemeenten", slug="crisiscommunicatie"),
                               days=2, capacity=1, venue="Hotel Figi", city="Zeist")
        seated = make_enrolment(edition)
        make_enrolment(edition, "waiting", first_name="Wim", last_name="Wachter", email="wim@gemeente.example")
        db.session.commit()
        cancel_enrolment(db.session.get(Enrolment, seated.id), by_staff=True)
        db.session.commit()
        edition_id = edition.id
    [mail] = outbox("wim@gemeente.example")
    return link_from(mail.body_text, "/wachtlijst/aanbod/"), edition_id


@pytest.mark.parametrize("width", [1280, 360])
def test_accept_an_offer_from_the_mail_link(app, live_server, page, screenshot, outbox, width):
    path, _ = offered(app, outbox)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Er is een plaats voor je vrij")
    expect(page.locator("main")).to_contain_text("Wim Wachter")
    if width == 1280:
        screenshot(page, "offer-open")
    accept = page.get_by_role("button", name="Plaats aannemen")
    box = accept.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # reachable without scrolling sideways
    with page.expect_navigation():
        accept.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je bent ingeschreven")
    assert "Je hebt de plaats aangenomen" in page.get_by_role("status").inner_text()
    if width == 1280:
        screenshot(page, "offer-accepted")
    assert outbox("wim@gemeente.example")[-1].subject.startswith("Je bent ingeschreven")


def staff_page(browser, live_server, staff_user):
    """(context, page) of a new browser context logged in as a new editor."""
    from tests.factories import STAFF_PASSWORD
    _, email = staff_user("editor")
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/beheer/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    return context, page


def axe_problems(page, url: str) -> list[str]:
    """axe's violations of the page at `url` at 1280 and 360 px (staff pages: AXE_OPTIONS)."""
    from axe_playwright_python.sync_playwright import Axe
    problems = []
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        results = Axe().run(page, options=AXE_OPTIONS if "/beheer/" in url else None)
        problems += [f"{page.url} @{width}: {v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
                     for v in results.response["violations"]]
    return problems


def test_offer_pages_pass_axe(app, live_server, browser, outbox, staff_user):
    path, edition_id = offered(app, outbox)
    context, page = staff_page(browser, live_server, staff_user)
    try:
        problems = []
        for target in (path, path + "/afslaan", f"/beheer/edities/{edition_id}/aanbiedingen"):
            problems += axe_problems(page, live_server.url + target)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + f"/beheer/edities/{edition_id}/aanbiedingen")
        page.screenshot(path="tests/browser/screenshots/staff-offers-desktop.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path="tests/browser/screenshots/staff-offers-360.png", full_page=True)
        assert problems == []
    finally:
        context.close()


def test_staff_raise_the_capacity_and_the_waiting_list_is_offered_the_seat(app, live_server, browser, outbox,
                                                                            staff_user, screenshot):
    """The edition form with its "Nieuwe plaatsen meteen aanbieden aan de wachtlijst" box (ticked),
    axe-clean at both widths; one more seat goes to the first in line, who is mailed."""
    with app.app_context():
        edition = make_edition(make_offering(title="Crisiscommunicatie voor gemeenten"), capacity=1,
                               venue="Hotel Figi", city="Zeist")
        make_enrolment(edition)
        make_enrolment(edition, "waiting", first_name="Wim", last_name="Wachter", email="wim@gemeente.example")
        db.session.commit()
        edition_id = edition.id
    context, page = staff_page(browser, live_server, staff_user)
    try:
        problems = axe_problems(page, live_server.url + f"/beheer/edities/{edition_id}")
        page.set_viewport_size({"width": 1280, "height": 900})
        box = page.get_by_label("Nieuwe plaatsen meteen aanbieden aan de wachtlijst")
        assert box.is_checked()
        screenshot(page, "staff-edition-form")
        page.get_by_label("Aantal plaatsen").fill("2")
        with page.expect_navigation():
            page.get_by_role("button", name="Wijzigingen opslaan").click()
        expect(page.locator("main")).to_contain_text("1 wachtende krijgt een plaats aangeboden en een e-mail.")
        assert problems == []
    finally:
        context.close()
    assert outbox("wim@gemeente.example")[-1].subject.startswith("Er is een plaats voor je vrij")
