"""Page weight: the HTML plus every same-origin asset it loads (CSS, JS, images, fonts, and
what the CSS itself pulls in), and a count of references to any other origin."""
from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

ASSET_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
                   "manifest", "prefetch"}


@dataclass
class Weight:
    url: str
    html_bytes: int = 0
    asset_bytes: int = 0
    gzip_bytes: int = 0
    assets: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)   # references to another origin
    errors: list[str] = field(default_factory=list)

    @property
    def total_kb(self) -> float:
        return round((self.html_bytes + self.asset_bytes) / 1024, 1)

    @property
    def gzip_kb(self) -> float:
        return round(self.gzip_bytes / 1024, 1)


class _Refs(HTMLParser):
    """Collects asset URLs and every absolute reference (assets, links, forms)."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.references: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action", "poster", "data"):
            if attrs.get(name):
                self.references.append(attrs[name])
        for name in ("srcset", "imagesrcset"):
            if attrs.get(name):
                urls = [part.strip().split()[0] for part in attrs[name].split(",") if part.strip()]
                self.references.extend(urls)
                self.assets.extend(urls)
        rels = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and rels & ASSET_LINK_RELS and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag in ("script", "img", "source", "audio", "video", "track", "iframe", "embed") and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "video" and attrs.get("poster"):
            self.assets.append(attrs["poster"])

    def handle_data(self, data):  # inline <style> blocks would be caught too (there should be none)
        self.references.extend(_css_urls(data) if "url(" in data else [])


def _css_urls(css: str) -> list[str]:
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    found += re.findall(r"@import\s+['\"]([^'\"]+)['\"]", css)
    return [u for u in found if not u.startswith("data:")]


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.netloc


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def page_weight(url: str) -> Weight:
    weight = Weight(url)
    origin = _origin(url)
    try:
        html = _fetch(url)
    except (urllib.error.HTTPError, OSError) as error:
        weight.errors.append(str(error))
        return weight
    weight.html_bytes = len(html)
    weight.gzip_bytes = len(gzip.compress(html))
    parser = _Refs()
    parser.feed(html.decode("utf-8", "replace"))
    for ref in parser.references:
        absolute = urllib.parse.urljoin(url, ref)
        if absolute.startswith(("http://", "https://")) and _origin(absolute) != origin:
            weight.foreign.append(absolute)
    queue = [urllib.parse.urljoin(url, ref) for ref in parser.assets]
    seen: set[str] = set()
    while queue:
        asset = urllib.parse.urldefrag(queue.pop(0)).url
        if asset in seen:
            continue
        seen.add(asset)
        if _origin(asset) != origin:
            if asset not in weight.foreign:
                weight.foreign.append(asset)
            continue
        try:
            body = _fetch(asset)
        except (urllib.error.HTTPError, OSError) as error:
            weight.errors.append(f"{asset}: {error}")
            continue
        weight.assets.append(asset)
        weight.asset_bytes += len(body)
        weight.gzip_bytes += len(gzip.compress(body))
        if asset.split("?")[0].endswith(".css"):
            queue.extend(urllib.parse.urljoin(asset, ref) for ref in _css_urls(body.decode("utf-8", "replace")))
    return weight
