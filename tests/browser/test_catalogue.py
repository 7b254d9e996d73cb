"""The catalogue in Chromium: search, filter, open an offering; screenshots of the three pages."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_search_filter_and_open_an_offering(live_server, page, screenshot, demo):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Opleidingen en congressen")
    screenshot(page, "catalogue-home")

    page.get_by_label("Zoek een opleiding, cursus of congres").fill("ondermijning")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/aanbod?q=ondermijning")
    results = page.locator(".offering-list h3")
    titles = results.all_inner_texts()
    assert titles[:2] == sorted(titles[:2]) or "ondermijning" in titles[0].lower()
    assert all("ondermijning" in t.lower() for t in titles[:3])

    # a filter applies with its button, never on change (WCAG 3.2.2)
    page.get_by_label("Soort").select_option("congres")
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url("**type=congres**")
    # both congresses in the theme Ondermijning, the one named after it first
    assert page.locator(".offering-list h3").all_inner_texts() == [
        "Congres Ondermijning", "Jonge aanwas uit de jeugdcriminaliteit"]
    page.get_by_role("link", name="Verwijder filter Congressen").click()
    page.wait_for_url("**/aanbod?q=ondermijning")

    page.goto(live_server.url + "/aanbod")
    screenshot(page, "catalogue-aanbod")

    page.get_by_label("Thema").select_option("evenementen")
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url("**thema=evenementen**")
    page.get_by_role("link", name="Coördinator Evenementenveiligheid").click()
    page.wait_for_url("**/aanbod/coordinator-evenementenveiligheid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coördinator Evenementenveiligheid")
    expect(page.get_by_role("link", name="Houd mij op de hoogte")).to_be_visible()
    assert page.locator("table.editions tbody tr").count() == 2
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "Course"
    screenshot(page, "catalogue-offering")


def test_full_and_cancelled_editions_show_no_call_to_action(live_server, page, demo):
    page.goto(live_server.url + "/aanbod/aanpak-complexe-woonoverlast")
    rows = page.locator("table.editions tbody tr")
    assert "Vol" in rows.nth(0).inner_text()
    assert rows.nth(0).get_by_role("link", name="Inschrijven").count() == 0
    assert rows.nth(1).get_by_role("link").count() == 1
    page.goto(live_server.url + "/aanbod/personen-met-onbegrepen-gedrag")
    assert "Geannuleerd" in page.locator("table.editions").inner_text()


@pytest.mark.parametrize("path, label", [("/aanbod", "Maand"), ("/aanbod", "Soort"), ("/nieuws", "Thema")])
def test_arrowing_through_a_filter_select_neither_reloads_nor_moves_focus(live_server, page, demo, path, label):
    page.goto(live_server.url + path)
    select = page.get_by_label(label, exact=True)
    select.focus()
    before = select.input_value()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)  # an auto-submit would have started loading by now
    assert select.input_value() != before  # the key press did change the value ...
    assert page.url == live_server.url + path  # ... yet the page stayed
    assert page.evaluate("document.activeElement.id") == select.get_attribute("id")


FITS = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll(".catalogue-filters select")].map((select) => {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const longest = Math.max(...[...select.options].map((o) => canvas.measureText(o.text).width));
    const box = select.getBoundingClientRect();
    // room for the text: the width minus padding, borders and Chromium's arrow (20 px)
    const room = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 2 - 20;
    return {id: select.id, fits: longest <= room, inside: box.left >= 0 && box.right <= innerWidth};
  });
}"""


def test_filters_and_time_ranges_fit_at_360_px(live_server, page, demo):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/aanbod")
    selects = page.evaluate(FITS)
    assert len(selects) == 5
    assert [s for s in selects if not (s["fits"] and s["inside"])] == []

    page.goto(live_server.url + "/aanbod/coordinator-evenementenveiligheid")
    ranges = page.locator(".editions .time-range")
    assert ranges.count() >= 1
    for n in range(ranges.count()):
        box = ranges.nth(n).bounding_box()
        line = float(ranges.nth(n).evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24"))
        assert box["height"] < 1.5 * line, ranges.nth(n).inner_text()  # on one line
