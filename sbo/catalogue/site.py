"""Site-wide pages of the catalogue blueprint: about, sitemap.xml, robots.txt and favicon.ico.

Other domains add their public URLs to the sitemap with `add_sitemap_source(app, fn)`, where
`fn()` yields (absolute path, lastmod date or None) pairs; call it from create_app or from a
blueprint's `record_once` callback.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from flask import Flask, Response, current_app, render_template, send_from_directory, url_for
from sqlalchemy import select

from ..cache import cache_page
from ..extensions import db
from ..urls import site_url
from .models import Offering
from .views import bp

SitemapSource = Callable[[], Iterable[tuple[str, date | datetime | None]]]
EXTENSION_KEY = "sbo_sitemap_sources"


def add_sitemap_source(app: Flask, source: SitemapSource) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def catalogue_urls() -> Iterable[tuple[str, date | datetime | None]]:
    yield url_for("catalogue.home"), None
    yield url_for("catalogue.index"), None
    yield url_for("catalogue.about"), None
    rows = db.session.execute(
        select(Offering.slug, Offering.updated_at).where(Offering.published.is_(True)).order_by(Offering.slug))
    for slug, updated in rows:
        yield url_for("catalogue.detail", slug=slug), updated


@bp.record_once
def _register_source(state) -> None:
    add_sitemap_source(state.app, catalogue_urls)


@bp.get("/over-sbo")
@cache_page(timeout=3600)
def about():
    return render_template("catalogue/about.html")


@bp.get("/sitemap.xml")
def sitemap():
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    seen: set[str] = set()
    for source in current_app.extensions.get(EXTENSION_KEY, []):
        for path, lastmod in source():
            if path in seen:
                continue
            seen.add(path)
            entry = f"  <url><loc>{escape(site_url(path))}</loc>"
            if lastmod:
                entry += f"<lastmod>{lastmod.date().isoformat() if isinstance(lastmod, datetime) else lastmod.isoformat()}</lastmod>"
            lines.append(entry + "</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /beheer/\n\nSitemap: {site_url('/sitemap.xml')}\n"
    return Response(body, mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links: answer with the
    SVG icon that base.html links, so no visit logs a 404."""
    return send_from_directory(current_app.static_folder, "img/favicon.svg", mimetype="image/svg+xml",
                               max_age=86400)
