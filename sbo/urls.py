"""Absolute links to the site, on SITE_URL: for mails, the calendar file, the news feed, the
sitemap and structured data. The same code works in a request, a CLI command and a test, and a
Host header or proxy prefix of the current request never makes it into a link. And `Pattern`:
many links of one endpoint in a request from one url_for(). Shared layer."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for

from .security import INT_MAX


def site_url(path: str = "") -> str:
    """SITE_URL without its trailing slash, followed by `path` ('/sitemap.xml')."""
    return str(current_app.config["SITE_URL"]).rstrip("/") + path


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` (as url_for), on SITE_URL, with or without a request."""
    site = urlsplit(site_url())
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/",
                                       url_scheme=site.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


SENTINEL = INT_MAX  # a number no page or row reaches: marks where it goes in a link


class Pattern:
    """url_for(endpoint, **args, <name>=n) for many n from one url_for(): the part before and
    after a sentinel value (url_for() itself when the sentinel does not split the URL in two)."""

    def __init__(self, endpoint: str, name: str, **args):
        self._endpoint, self._name, self._args = endpoint, name, args
        parts = url_for(endpoint, **args, **{name: SENTINEL}).split(str(SENTINEL))
        self.parts = parts if len(parts) == 2 else None

    def __call__(self, value) -> str:
        if self.parts is None:
            return url_for(self._endpoint, **self._args, **{self._name: value})
        return f"{self.parts[0]}{value}{self.parts[1]}"
