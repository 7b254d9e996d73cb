"""The browser harness itself: the site opens in Chromium over loopback."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_opens_with_navigation(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Aanbod")).to_be_visible()
    expect(nav.get_by_role("link", name="Nieuws")).to_be_visible()
    screenshot(page, "home")
