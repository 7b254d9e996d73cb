"""The evaluation form at 1280 and at 360 px: sent empty it shows the errors next to the
fields, filled in it thanks the participant; the offering page then shows the average. All
axe-clean (WCAG 2.1 AA)."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from tests.browser.helpers import AXE_OPTIONS
from tests.evaluation.data import link_for, past_course

pytestmark = pytest.mark.browser
VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 360, "height": 740})


@pytest.fixture
def invited(app):
    app.config["EVALUATION_MIN_COUNT"] = 2
    with app.app_context():
        course = past_course(attendees=2)
        links = [link_for(enrolment) for enrolment in course.attended]
        db.session.commit()
        return course.offering.slug, links


def test_filling_in_the_evaluation_form(browser, live_server, invited, screenshot):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    slug, links = invited
    problems: list[str] = []
    for viewport, link, score in zip(VIEWPORTS, links, ("9", "7")):
        context = browser.new_context(viewport=viewport, locale="nl-NL", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        width = viewport["width"]

        def axe_check():
            problems.extend(f"{page.url} {width}: {v['id']}: {v['help']}"
                            for v in Axe().run(page, options=AXE_OPTIONS).response["violations"])
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out

        try:
            page.goto(live_server.url + link)
            expect(page.get_by_role("heading", name="Hoe was Integriteit in de praktijk?")).to_be_visible()
            axe_check()
            # sent empty (the browser's own check off, as an old browser would): errors by the fields
            page.evaluate("document.querySelector('form.evaluation-form').noValidate = true")
            page.get_by_role("button", name="Verstuur mijn evaluatie").click()
            expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
            overall = page.get_by_role("group", name="Welk cijfer geef je de opleiding als geheel?")
            expect(overall.get_by_text("Kies een cijfer voor de opleiding als geheel.")).to_be_visible()
            expect(page.get_by_role("group", name="Zou je deze opleiding aanraden aan een collega?")
                   .get_by_text("Kies ja of nee.")).to_be_visible()
            axe_check()
            if width == 1280:  # (the screenshot fixture also takes it at 360 px)
                screenshot(page, "evaluation-errors")

            for group in ("Welk cijfer geef je de opleiding als geheel?", "Welk cijfer geef je de trainer(s)?",
                          "Welk cijfer geef je de inhoud?"):
                page.get_by_role("group", name=group).get_by_label(score, exact=True).check()
            page.get_by_role("group", name="Zou je deze opleiding aanraden aan een collega?").get_by_label("Ja").check()
            page.get_by_label("Wil je nog iets kwijt?").fill("Sterke casussen, graag meer oefentijd.")
            page.get_by_role("button", name="Verstuur mijn evaluatie").click()
            expect(page.get_by_role("heading", name="Bedankt voor je evaluatie")).to_be_visible()
            axe_check()
            if width == 1280:
                screenshot(page, "evaluation-thanks")
        finally:
            context.close()

    context = browser.new_context(viewport=VIEWPORTS[0], locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/aanbod/{slug}")
        expect(page.get_by_text("8,0 uit 2 evaluaties")).to_be_visible()
        problems.extend(f"{page.url}: {v['id']}: {v['help']}"
                        for v in Axe().run(page, options=AXE_OPTIONS).response["violations"])
        screenshot(page, "evaluation-offering-rating")
    finally:
        context.close()
    assert problems == []
