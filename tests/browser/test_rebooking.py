"""Rebooking from the personal link in a real browser, at 1280 and 360 px: the booker's page
with the overview of the booking, the page with the other dates, the move; axe-clean."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sbo import clock
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering

pytestmark = pytest.mark.browser


def make(app) -> str:
    """Sanne booked herself and Piet for Zeist; Amersfoort has room, Leeuwarden is full.
    Returns the path of Sanne's personal link."""
    with app.app_context():
        offering = make_offering(title="Crisiscommunicatie voor gemeenten", slug="crisiscommunicatie")
        start = clock.today() + timedelta(days=30)
        now = make_edition(offering, days=2, capacity=10, venue="Hotel Figi", city="Zeist", start_date=start)
        make_edition(offering, capacity=12, venue="De Observant", city="Amersfoort",
                     start_date=start + timedelta(days=21))
        full = make_edition(offering, capacity=1, venue="WTC", city="Leeuwarden",
                            start_date=start + timedelta(days=49))
        make_enrolment(full)
        sanne = make_enrolment(now, first_name="Sanne", last_name="de Vries", email="sanne@gemeente.example")
        db.session.add(Enrolment(booking=sanne.booking, edition=now, first_name="Piet", last_name="Bakker",
                                 email="piet@gemeente.example", status="confirmed"))
        now.seats_taken += 1
        db.session.flush()
        path = "/" + manage_url(sanne).split("/", 3)[3]
        db.session.commit()
        return path


def fits_360(page) -> bool:
    page.set_viewport_size({"width": 360, "height": 740})
    fits = page.evaluate("document.documentElement.scrollWidth <= 360")
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_rebook_from_the_personal_link(app, live_server, page, screenshot):
    path = make(app)
    page.goto(live_server.url + path)
    overview = page.get_by_role("region", name="Je boeking")
    assert "Piet Bakker" in overview.inner_text() and "Sanne de Vries (jij)" in overview.inner_text()
    assert fits_360(page)
    screenshot(page, "rebooking-booker-overview")

    page.get_by_role("link", name="Andere datum kiezen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Omboeken naar een andere datum")
    table = page.get_by_role("table", name="Andere data van Crisiscommunicatie voor gemeenten")
    assert "Amersfoort" in table.inner_text() and "Leeuwarden" in table.inner_text()
    assert page.get_by_role("button", name="Naar de wachtlijst").count() == 1
    assert fits_360(page)
    screenshot(page, "rebooking-dates")

    with page.expect_navigation():
        page.get_by_role("button", name="Omboeken").click()
    assert "Je bent omgeboekt naar" in page.get_by_role("status").or_(page.locator(".flash-success")).first.inner_text()
    assert "Amersfoort" in page.locator(".edition-box").inner_text()
    screenshot(page, "rebooking-done")


def test_rebooking_pages_pass_axe(app, live_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    path = make(app)
    with app.app_context():
        piet = db.session.scalar(db.select(Enrolment.id).where(Enrolment.email == "piet@gemeente.example"))
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        problems = []
        for target in (path, path + "/omboeken", f"{path}/deelnemer/{piet}", f"{path}/deelnemer/{piet}/omboeken"):
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + target)
                assert page.get_by_role("heading", level=1).count() == 1
                results = Axe().run(page)
                problems += [f"{page.url} @{width}: {v['id']}: {v['help']}"
                             for v in results.response["violations"]]
        assert problems == []
    finally:
        context.close()
