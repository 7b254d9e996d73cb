"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA) on every page of the registry in
tests/quality/pages.py, at desktop width and at 360 px; the keyboard path through the skip link;
visible focus; no CSP violations with the policy enforced."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.quality.pages import ERROR_PAGES, USER_AGENT, discover_pages
from tests.quality.testapp import build_site

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "360px": {"width": 360, "height": 740}}


@pytest.fixture
def site(make_app):
    return build_site(make_app)


@pytest.fixture
def app(site):  # live_server serves the quality site: sample data and the test-only routes
    return site.app


def all_pages(site) -> list[tuple[str, bool]]:
    """[(url, as_staff)] for every page of the registry, error pages included."""
    pages = [(url, who is site.staff_client)
             for url, who in discover_pages(site.app, site.client, site.staff_client, site.samples)]
    return pages + [(url, False) for url in ERROR_PAGES]


def new_context(browser, site, live_server, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
    cookie = site.staff_client.get_cookie("session")
    staff = browser.new_context(viewport=viewport, locale="nl-NL", user_agent=USER_AGENT, **options)
    staff.add_cookies([{"name": "session", "value": cookie.value, "url": live_server.url}])
    return context, staff


def describe(url, violations) -> list[str]:
    return [f"{url}: {v['id']} ({v['impact']}) {v['help']} -> "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:3])
            for v in violations]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_wcag21_aa(browser, site, live_server, width, screenshot):
    context, staff = new_context(browser, site, live_server, WIDTHS[width], bypass_csp=True)
    axe, problems, checked = Axe(), [], []
    try:
        for url, as_staff in all_pages(site):
            page = (staff if as_staff else context).new_page()
            page.goto(live_server.url + url)
            problems += describe(url, axe.run(page, options=AXE_OPTIONS).response["violations"])
            checked.append(url)
            page.close()
        # a form sent back with errors: the error summary and the fields marked invalid
        page = context.new_page()
        page.goto(live_server.url + "/_test/formulier")
        page.get_by_label("E-mailadres").fill("geen-adres")
        page.get_by_role("button", name="Versturen").click()
        assert page.get_by_role("heading", name="Controleer het formulier").is_visible()
        problems += describe("formulier met fouten", axe.run(page, options=AXE_OPTIONS).response["violations"])
        if width == "desktop":
            screenshot(page, "quality-form-errors")
            page.goto(live_server.url + "/bestaat-niet")
            screenshot(page, "quality-404")
    finally:
        context.close()
        staff.close()
    assert "/" in checked and "/bestaat-niet" in checked
    assert problems == [], "\n".join(problems)


def test_axe_reports_a_real_problem(browser, site, live_server):
    """The check can fail: an image without alt text is reported."""
    context, staff = new_context(browser, site, live_server, WIDTHS["desktop"], bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.evaluate("document.querySelector('main').append(document.createElement('img'))")
        ids = [v["id"] for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]]
        assert "image-alt" in ids
    finally:
        context.close()
        staff.close()


def focus_info(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {tag: el.tagName, id: el.id, cls: el.className, text: (el.textContent || '').trim(),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== 'none',
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
    }""")


@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, live_server, width):
    page.set_viewport_size(WIDTHS[width])
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    first = focus_info(page)
    assert first["cls"] == "skip-link" and first["text"] == "Naar de inhoud"
    assert first["visible"] and (first["outline"] or first["shadow"])
    page.keyboard.press("Enter")
    assert focus_info(page)["id"] == "inhoud"


def test_focus_is_visible_on_every_tab_stop(page, live_server):
    for url in ("/", "/_test/formulier", "/bestaat-niet"):
        page.goto(live_server.url + url)
        for _ in range(25):
            page.keyboard.press("Tab")
            info = focus_info(page)
            if info["tag"] == "BODY":
                break
            assert info["outline"] or info["shadow"], f"{url}: no visible focus on {info}"


def test_no_csp_violations_with_the_policy_enforced(browser, site, live_server):
    context, staff = new_context(browser, site, live_server, WIDTHS["desktop"])
    errors = []
    try:
        for url, as_staff in all_pages(site):
            page = (staff if as_staff else context).new_page()
            page.on("console", lambda msg, url=url: errors.append(f"{url}: {msg.text}")
                    if msg.type == "error" else None)
            page.goto(live_server.url + url)
            page.close()
    finally:
        context.close()
        staff.close()
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
