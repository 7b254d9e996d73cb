"""sbo.urls: every absolute link the site makes (mails, calendar file, feed, sitemap, JSON-LD)
is on SITE_URL, in a request or outside one, whatever Host the request came in with."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from sbo.urls import external_url, site_url
from tests.factories import make_offering


@pytest.mark.parametrize("configured, base", [
    ("https://www.sbo.example", "https://www.sbo.example"),
    ("https://www.sbo.example/", "https://www.sbo.example"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    ("https://example.org/sbo/", "https://example.org/sbo"),
])
def test_site_url_and_external_url_outside_a_request(make_app, configured, base):
    app = make_app(SITE_URL=configured)
    with app.app_context():
        assert site_url() == base
        assert site_url("/sitemap.xml") == base + "/sitemap.xml"
        assert external_url("catalogue.detail", slug="crisis") == base + "/aanbod/crisis"
        assert external_url("news.comment_link", slug="nieuws-1", comment_id=7) == (
            base + "/nieuws/nieuws-1/reacties/7")
        assert external_url("catalogue.index", thema="ov") == base + "/aanbod?thema=ov"


def test_the_host_of_the_request_does_not_count(make_app):
    app = make_app(SITE_URL="https://www.sbo.example")
    with app.test_request_context("/", base_url="http://evil.example"):
        assert external_url("staff.reset_password", token="abc") == (
            "https://www.sbo.example/beheer/wachtwoord-herstellen/abc")
        assert site_url("/nieuws") == "https://www.sbo.example/nieuws"


def test_pages_that_show_absolute_links_use_site_url(make_app):
    app = make_app(SITE_URL="https://www.sbo.example")
    with app.app_context():
        slug = make_offering().slug
        db.session.commit()
    client = app.test_client()
    robots = client.get("/robots.txt", base_url="http://evil.example").get_data(as_text=True)
    assert "Sitemap: https://www.sbo.example/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml", base_url="http://evil.example").get_data(as_text=True)
    assert f"<loc>https://www.sbo.example/aanbod/{slug}</loc>" in sitemap
    assert "evil.example" not in sitemap
    feed = client.get("/nieuws/feed.xml", base_url="http://evil.example").get_data(as_text=True)
    assert "https://www.sbo.example/nieuws" in feed and "evil.example" not in feed
    page = client.get(f"/aanbod/{slug}", base_url="http://evil.example").get_data(as_text=True)
    assert f'"https://www.sbo.example/aanbod/{slug}"' in page
