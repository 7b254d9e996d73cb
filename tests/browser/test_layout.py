"""Layout in Chromium on the demo site: no console error and no failed request on the main
pages (the favicon included), the footer at the bottom of a short page, and a news index that
uses the width of the page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SCREENSHOTS

pytestmark = pytest.mark.browser

MAIN_PAGES = ["/", "/aanbod", "/aanbod/bibob-coordinator", "/nieuws",
              "/nieuws/rapportage-integrale-aanpak-terrorisme-2024", "/over-sbo", "/beheer/login"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "360px": {"width": 360, "height": 740}}


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_log_no_console_error_and_no_failed_request(browser, live_server, demo, width):
    context = browser.new_context(viewport=WIDTHS[width], locale="nl-NL")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning")
            and problems.append(f"{page.url}: console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: problems.append(f"failed {request.url}"))
    try:
        for path in MAIN_PAGES:
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            icon = page.locator('link[rel="icon"]')
            expect(icon).to_have_count(1)
            answer = page.request.get(live_server.url + icon.get_attribute("href"))
            assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    finally:
        context.close()
    assert problems == []


def test_favicon_ico_is_answered(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert response.cache_control.max_age and response.cache_control.max_age >= 3600


@pytest.mark.parametrize("size", [{"width": 1280, "height": 1200}, {"width": 360, "height": 1600}],
                         ids=["desktop", "360px"])
def test_the_footer_sits_at_the_bottom_of_a_short_page(browser, live_server, size, screenshot):
    context = browser.new_context(viewport=size, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/beheer/login")
        main_bottom = page.locator("main").evaluate("el => el.getBoundingClientRect().bottom")
        footer = page.locator("footer.site-footer").evaluate(
            "el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; }")
        height = page.evaluate("() => [window.innerHeight, document.documentElement.scrollHeight]")
        assert height[1] <= height[0], "the short page should not scroll"
        assert abs(footer[1] - height[0]) <= 1, f"footer ends at {footer[1]}, window at {height[0]}"
        assert footer[0] >= main_bottom
        if size["width"] == 360:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "layout-short-page-360-tall.png"))
        else:
            screenshot(page, "layout-short-page")
    finally:
        context.close()


def test_the_news_index_uses_the_width_of_the_page(live_server, page, demo, screenshot):
    page.goto(live_server.url + "/nieuws")
    cards = page.locator(".news-grid > li")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 6
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    content = page.locator(".news-index").evaluate(
        "el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);"
        " return [r.left + parseFloat(s.paddingLeft), r.right - parseFloat(s.paddingRight)]; }")
    first_row = [box for box in boxes if abs(box["y"] - boxes[0]["y"]) < 1]
    assert len(first_row) == 3, "three articles side by side at 1280 px"
    right_edge = max(box["x"] + box["width"] for box in boxes)
    assert right_edge >= content[1] - 2, f"cards end at {right_edge}, the column at {content[1]}"
    screenshot(page, "news-index")
    page.set_viewport_size({"width": 360, "height": 740})
    widths = [cards.nth(i).bounding_box()["width"] for i in range(cards.count())]
    assert min(widths) >= 300, "one full-width card per row on a phone"


def test_password_fields_tell_the_browser_what_they_hold(client):
    """Chromium otherwise logs a DOM hint on the login page, and password managers guess."""
    html = client.get("/beheer/login").get_data(as_text=True)
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
