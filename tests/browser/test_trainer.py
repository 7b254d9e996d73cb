"""Issue 17 in Chromium: the offering page with its programme per day and its trainers, and a
trainer's profile reached from it, at 1280 and 360 px (screenshots), axe-clean."""
from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect
from PIL import Image, ImageDraw

from sbo import clock
from sbo.catalogue.trainers import set_photo
from tests.factories import make_edition, make_item, make_offering, make_trainer, make_venue

pytestmark = pytest.mark.browser


def portrait() -> bytes:
    image = Image.new("RGB", (240, 240), (14, 110, 106))
    ImageDraw.Draw(image).ellipse((70, 40, 170, 140), fill=(232, 214, 196))
    ImageDraw.Draw(image).rectangle((45, 150, 195, 240), fill=(18, 53, 91))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def offering(setup_data):
    with setup_data():
        offering = make_offering(slug="evenementen", title="Coördinator Evenementenveiligheid",
                                 teaser="Van vergunning tot evaluatie: veilige evenementen in je gemeente.")
        bas = make_trainer([offering], slug="bas-vermeulen", name="Bas Vermeulen", role="crowd safety manager",
                           bio="Bas begeleidt festivals en sportevenementen.\n\nHij oefent met organisatoren "
                               "wat te doen bij onweer, drukte of een ontruiming.")
        set_photo(bas, "bas.png", portrait())
        jolanda = make_trainer([offering], slug="jolanda-peters", name="Jolanda Peters",
                               role="adviseur evenementen, veiligheidsregio")
        make_item(offering, "Vergunningverlening en rollen", start_time=time(9, 30), end_time=time(12, 30),
                  trainers=[jolanda], description="Wie beslist wat, van aanvraag tot draaiboek.")
        make_item(offering, "Risicoanalyse en scenario's", start_time=time(13, 30), end_time=time(16, 30),
                  trainers=[bas, jolanda])
        make_item(offering, "Crowd management in de praktijk", day=2, start_time=time(9, 30),
                  end_time=time(16, 30), trainers=[bas])
        make_edition(offering, days=2, location=make_venue(), city="Utrecht",
                     start_date=clock.today() + timedelta(days=40))
    return "/aanbod/evenementen"


def test_offering_programme_and_trainer_page(live_server, page, screenshot, offering):
    page.goto(live_server.url + offering)
    programme = page.locator("section.programme")
    assert programme.get_by_role("heading", level=3).all_inner_texts() == ["Dag 1", "Dag 2"]
    assert "09:30–12:30" in programme.inner_text()
    expect(page.get_by_role("link", name="Download brochure (pdf) van Coördinator Evenementenveiligheid")).to_be_visible()
    trainers = page.locator("section[aria-labelledby=trainers-title]")
    assert trainers.get_by_role("link").all_inner_texts() == ["Bas Vermeulen", "Jolanda Peters"]
    photo = trainers.locator("img")
    photo.scroll_into_view_if_needed()  # loading="lazy": fetched only near the viewport, after the page's load
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 240  # the photo loads
    screenshot(page, "trainer-offering-programme")

    page.get_by_role("link", name="Bas Vermeulen").first.click()
    page.wait_for_url("**/trainers/bas-vermeulen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bas Vermeulen")
    assert page.get_by_role("img", name="Portret van Bas Vermeulen").evaluate("img => img.naturalWidth") == 240
    expect(page.get_by_role("link", name="Coördinator Evenementenveiligheid")).to_be_visible()
    screenshot(page, "trainer-profile")


def test_programme_and_trainer_pages_pass_axe(live_server, browser, offering):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        problems = []
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            for target in (offering, "/trainers/bas-vermeulen", "/trainers"):
                page.goto(live_server.url + target)
                results = Axe().run(page)
                problems += [f"{width} {target}: {v['id']}: {v['help']}" for v in results.response["violations"]]
        assert problems == []
    finally:
        context.close()
