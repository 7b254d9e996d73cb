"""Browser harness: the app served on 127.0.0.1 in a thread, driven by Playwright in Debian's
Chromium with the loopback-only settings of shared/BROWSER.md.

Without /usr/bin/chromium these tests skip with a loud reason; with SBO_REQUIRE_BROWSER=1 they fail.
Screenshots go to tests/browser/screenshots/ (desktop and 360 px wide).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.helpers import SCREENSHOTS, LiveServer

CHROMIUM = os.environ.get("SBO_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1",
]


def _unavailable(reason: str):
    if os.environ.get("SBO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but unavailable: {reason}")
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason} (install Debian's chromium; "
                "set SBO_REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    app.config["SITE_URL"] = "http://127.0.0.1"
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name"): full-page PNGs at desktop width and at 360 px."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str):
        size = page.viewport_size
        page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-360.png"), full_page=True)
        page.set_viewport_size(size)
    return take
