"""The browser harness itself: the site opens in Chromium over loopback."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_opens_with_navigation(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link", name="Aanbod").is_visible()
    assert nav.get_by_role("link", name="Nieuws").is_visible()
    screenshot(page, "home")
