"""Enrolment in a real browser: the form with errors, enrolling, joining the waiting list."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering

pytestmark = pytest.mark.browser


def make(app, capacity: int, full: bool = False) -> str:
    with app.app_context():
        offering = make_offering(title="Crisiscommunicatie voor gemeenten", slug="crisiscommunicatie")
        edition = make_edition(offering, days=2, capacity=capacity, venue="Hotel Figi", city="Zeist")
        if full:
            for _ in range(capacity):
                make_enrolment(edition)
        db.session.commit()
        return f"/aanbod/crisiscommunicatie/inschrijven/{edition.id}"


def fill_required(page):
    page.get_by_label("Voornaam").first.fill("Sanne")
    page.get_by_label("Achternaam").first.fill("de Vries")
    page.get_by_label("E-mailadres").first.fill("sanne@gemeente.example")
    page.get_by_label("Organisatie").fill("Gemeente Utrecht")
    page.get_by_label("Ik ga akkoord met de algemene voorwaarden").check()


def confirm_from_mail(outbox, live_server, page) -> None:
    """The booker opens the link in the "Bevestig je ..." mail and presses the button."""
    from tests.enrolment.helpers import link_from
    [request] = outbox("sanne@gemeente.example")
    page.goto(live_server.url + link_from(request.body_text, "/bevestigen/"))
    with page.expect_navigation():
        page.get_by_role("button", name="Bevestigen").click()


def test_enrol_through_the_form(app, live_server, page, screenshot, outbox):
    url = make(app, capacity=10)
    page.goto(live_server.url + url)
    # the browser would block an empty required field; switch that off to see the server's answer
    page.eval_on_selector("form.enrolment-form", "f => f.noValidate = true")
    page.get_by_label("E-mailadres").first.fill("geen-adres")
    page.get_by_role("button", name="Inschrijven").click()
    summary = page.get_by_role("alert")
    assert "Controleer het formulier" in summary.inner_text()
    assert "Dit is geen geldig e-mailadres." in summary.inner_text()
    assert page.get_by_label("E-mailadres").first.input_value() == "geen-adres"
    screenshot(page, "enrolment-form-errors")

    fill_required(page)
    page.locator("#participants-0-first_name").fill("Piet")
    page.locator("#participants-0-last_name").fill("Bakker")
    page.locator("#participants-0-email").fill("piet@gemeente.example")
    # with JavaScript the remaining empty rows wait behind a button
    assert page.locator("#participants-2-email").is_hidden()
    page.get_by_role("button", name="Nog een collega toevoegen").click()
    expect(page.locator("#participants-1-first_name")).to_be_visible()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bijna klaar: bevestig je inschrijving")
    assert "Onbevestigd (vastgehouden tot " in page.get_by_role("table", name="Deelnemers").inner_text()
    screenshot(page, "enrolment-received")
    confirm_from_mail(outbox, live_server, page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Je inschrijving is bevestigd")
    assert "Piet Bakker" in page.get_by_role("table", name="Deelnemers").inner_text()
    screenshot(page, "enrolment-confirmation")


def test_join_the_waiting_list(app, live_server, page, screenshot, outbox):
    url = make(app, capacity=2, full=True)
    page.goto(live_server.url + url)
    expect(page.locator("main")).to_contain_text("Deze editie is vol")
    fill_required(page)
    page.get_by_role("button", name="Aanmelden voor de wachtlijst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bijna klaar: bevestig je aanmelding voor de wachtlijst")
    confirm_from_mail(outbox, live_server, page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Je aanmelding voor de wachtlijst is bevestigd")
    assert "Wachtlijst, plaats 1" in page.get_by_role("table", name="Deelnemers").inner_text()
    screenshot(page, "enrolment-waiting-list")


def test_enrolment_pages_pass_axe(app, live_server, browser):
    """Accessibility: the form with errors and the interest form (axe-core; CSP bypassed
    only so axe can be injected)."""
    from axe_playwright_python.sync_playwright import Axe

    url = make(app, capacity=5)
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        problems = []
        page.goto(live_server.url + url)
        page.eval_on_selector("form.enrolment-form", "f => f.noValidate = true")
        page.get_by_role("button", name="Inschrijven").click()
        for target in (None, "/aanbod/crisiscommunicatie/interesse"):
            if target:
                page.goto(live_server.url + target)
            results = Axe().run(page)
            problems += [f"{page.url}: {v['id']}: {v['help']}" for v in results.response["violations"]]
        assert problems == []
    finally:
        context.close()


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not on the page"
    return found


@pytest.mark.parametrize("waiting", [False, True], ids=["enrol", "waiting-list"])
def test_enrolment_form_layout_at_360_and_1280(app, live_server, page, screenshot, waiting):
    """Narrow: the edition and its price come before the form and its submit button.
    Wide: the edition stands beside the form; 'Ordernummer' and 'Kostenplaats' share one row."""
    url = make(app, capacity=1, full=waiting)
    page.goto(live_server.url + url)
    if waiting:
        assert "/wachtlijst/" in page.url
        assert page.get_by_role("heading", level=1).inner_text().startswith("Op de wachtlijst voor")

    page.set_viewport_size({"width": 360, "height": 740})
    summary, price = box(page, "aside.edition-box"), box(page, "aside.edition-box dd:has-text('excl. btw')")
    form, submit = box(page, "form.enrolment-form"), box(page, "form.enrolment-form button[type=submit]")
    heading = box(page, "h1")
    assert heading["y"] + heading["height"] <= summary["y"]
    assert price["y"] + price["height"] <= summary["y"] + summary["height"]
    assert summary["y"] + summary["height"] <= form["y"] <= submit["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_viewport_size({"width": 1280, "height": 900})
    summary, form = box(page, "aside.edition-box"), box(page, "form.enrolment-form")
    assert summary["x"] >= form["x"] + form["width"]  # beside the form, not under it
    assert summary["y"] < form["y"] + 200
    for a, b in (("label[for=po_number]", "label[for=cost_centre]"), ("#po_number", "#cost_centre")):
        left, right = box(page, a), box(page, b)
        assert abs(left["y"] - right["y"]) < 1, (a, left, right)
        assert left["x"] + left["width"] <= right["x"]
    screenshot(page, "enrolment-waiting-list-form" if waiting else "enrolment-form")


def test_enrolment_pair_stays_aligned_with_an_error(app, live_server, page):
    url = make(app, capacity=5)
    page.goto(live_server.url + url)
    page.eval_on_selector("form.enrolment-form", "f => f.noValidate = true")
    fill_required(page)
    page.eval_on_selector("#cost_centre", "i => i.removeAttribute('maxlength')")
    page.locator("#cost_centre").fill("x" * 61)  # too long: an error above the input
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.locator("#cost_centre-error")).to_contain_text("Gebruik hoogstens 60 tekens.")
    page.wait_for_load_state("load")  # its style sheet applied (a loaded machine was caught measuring before)
    assert abs(box(page, "#po_number")["y"] - box(page, "#cost_centre")["y"]) < 1
    assert abs(box(page, "label[for=po_number]")["y"] - box(page, "label[for=cost_centre]")["y"]) < 1


@pytest.mark.parametrize("width", [1280, 360])
def test_interest_privacy_note_keeps_its_distance_from_the_button(app, live_server, page,
                                                                  screenshot, width):
    make(app, capacity=5)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/aanbod/crisiscommunicatie/interesse")
    button, note = box(page, "main button[type=submit]"), box(page, "main .privacy-note")
    assert note["y"] - (button["y"] + button["height"]) >= 16
    if width == 1280:
        screenshot(page, "interest-form")


def test_waiting_list_form_and_cancel_step_pass_axe(app, live_server, browser):
    """Accessibility of the new pages: the waiting-list form and the first cancel step."""
    from axe_playwright_python.sync_playwright import Axe

    from sbo.enrolment.mails import manage_url

    url = make(app, capacity=1, full=True)
    with app.app_context():
        from sbo.enrolment.models import Enrolment
        enrolment = db.session.scalars(db.select(Enrolment)).first()
        cancel = "/" + manage_url(enrolment).split("/", 3)[3] + "/annuleren"
        db.session.commit()
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        problems = []
        for target in (url, cancel):
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + target)
                results = Axe().run(page)
                problems += [f"{page.url} @{width}: {v['id']}: {v['help']}"
                             for v in results.response["violations"]]
        assert problems == []
    finally:
        context.close()
