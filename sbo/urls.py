"""Absolute links to the site, on SITE_URL: for mails, the calendar file, the news feed, the
sitemap and structured data. The same code works in a request, a CLI command and a test, and a
Host header or proxy prefix of the current request never makes it into a link. Shared layer."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def site_url(path: str = "") -> str:
    """SITE_URL without its trailing slash, followed by `path` ('/sitemap.xml')."""
    return str(current_app.config["SITE_URL"]).rstrip("/") + path


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` (as url_for), on SITE_URL, with or without a request."""
    site = urlsplit(site_url())
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/",
                                       url_scheme=site.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
