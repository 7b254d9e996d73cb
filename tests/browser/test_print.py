"""Issue 17: an offering page prints cleanly (the @media print rules in static/css/site.css):
no navigation, footer, forms or buttons; black text; the edition table whole, rows not split;
external links followed by their address. Saves the printed page as PDF and a print-media PNG."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sbo import clock
from tests.browser.helpers import SCREENSHOTS
from tests.factories import make_edition, make_offering

pytestmark = pytest.mark.browser


@pytest.fixture
def offering(setup_data):
    with setup_data():
        offering = make_offering(slug="crisis", title="Crisiscommunicatie",
                                 description="Wat je zegt als het misgaat.\n\nEn hoe je dat zegt.")
        make_edition(offering, days=2)
        make_edition(offering, start_date=clock.today() + timedelta(days=60), online=True)
    return offering


def _display(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => getComputedStyle(e).display)")


def test_the_offering_page_prints_without_navigation_forms_or_buttons(live_server, page, offering):
    page.goto(live_server.url + "/aanbod/crisis")
    assert page.locator(".main-nav").is_visible() and page.locator("table.editions .button").first.is_visible()
    # an external link in the text, as an editor may write one
    page.eval_on_selector(".offering-body p", """p => { const a = document.createElement('a');
        a.href = 'https://www.example.org/gids'; a.textContent = 'de gids'; p.append(' Zie ', a); }""")
    page.emulate_media(media="print")

    for selector in (".site-header", ".main-nav", ".site-footer", ".breadcrumb", ".skip-link"):
        assert not page.locator(selector).is_visible(), selector
    assert set(_display(page, ".button")) == {"none"}
    expect(page.locator("table.editions")).to_be_visible()
    assert page.locator("table.editions tbody tr").count() == 2
    assert set(_display(page, "table.editions tbody tr")) == {"table-row"}
    assert set(page.eval_on_selector_all("table.editions tbody tr",
                                         "els => els.map(e => getComputedStyle(e).breakInside)")) == {"avoid"}
    assert page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert page.eval_on_selector("body", "e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    after = page.eval_on_selector('a[href^="https://www.example.org"]',
                                  "a => getComputedStyle(a, '::after').content")
    assert after == '" (https://www.example.org/gids)"'
    internal = page.eval_on_selector('a[href="/aanbod/crisis/interesse"]',
                                     "a => getComputedStyle(a, '::after').content")
    assert internal in ("none", "normal")

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "offering-print.png"), full_page=True)
    pdf = page.pdf(path=str(SCREENSHOTS / "offering-print.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_a_form_page_prints_without_its_form(live_server, page, offering):
    page.goto(live_server.url + "/aanbod/crisis/interesse")
    expect(page.locator("main form")).to_be_visible()
    page.emulate_media(media="print")
    assert not page.locator("main form").is_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
