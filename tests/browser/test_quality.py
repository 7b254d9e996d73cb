"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA) on every page of the registry in
tests/quality/pages.py, at desktop width and at 360 px; the keyboard path through the skip link;
visible focus; no CSP violations with the policy enforced."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.helpers import AXE_OPTIONS
from tests.quality.pages import ERROR_PAGES, USER_AGENT, discover_pages
from tests.quality.testapp import build_site

pytestmark = pytest.mark.browser

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


def with_axe(*contexts) -> None:
    """axe-core loaded into every page the contexts open, as the page starts: sending its 500 kB
    over the DevTools protocol for each page (Axe().run) took longer than the checks did."""
    for context in contexts:
        context.add_init_script(Axe().axe_script)


def violations(page) -> list[dict]:
    """axe's WCAG 2.1 A/AA violations on the page (axe loaded by with_axe)."""
    return page.evaluate("options => axe.run(document, options).then(result => result.violations)",
                         AXE_OPTIONS)


def describe(url, violations) -> list[str]:
    return [f"{url}: {v['id']} ({v['impact']}) {v['help']} -> "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:3])
            for v in violations]


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_wcag21_aa(browser, site, live_server, width, screenshot):
    context, staff = new_context(browser, site, live_server, WIDTHS[width], bypass_csp=True)
    with_axe(context, staff)
    pages = {False: context.new_page(), True: staff.new_page()}  # one tab each, page after page
    problems, checked = [], []
    try:
        for url, as_staff in all_pages(site):
            page = pages[as_staff]
            page.goto(live_server.url + url)
            problems += describe(url, violations(page))
            checked.append(url)
        # a form sent back with errors: the error summary and the fields marked invalid
        page = pages[False]
        page.goto(live_server.url + "/_test/formulier")
        page.get_by_label("E-mailadres").fill("geen-adres")
        page.get_by_role("button", name="Versturen").click()
        expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
        problems += describe("formulier met fouten", violations(page))
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
    with_axe(context)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.evaluate("document.querySelector('main').append(document.createElement('img'))")
        ids = [v["id"] for v in violations(page)]
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


@pytest.mark.slow
def test_no_csp_violations_with_the_policy_enforced(browser, site, live_server):
    context, staff = new_context(browser, site, live_server, WIDTHS["desktop"])
    errors, current = [], [""]
    pages = {False: context.new_page(), True: staff.new_page()}
    for page in pages.values():
        page.on("console", lambda msg: errors.append(f"{current[0]}: {msg.text}")
                if msg.type == "error" else None)
    try:
        for url, as_staff in all_pages(site):
            current[0] = url
            pages[as_staff].goto(live_server.url + url)
    finally:
        context.close()
        staff.close()
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
