"""Home, about, sitemap.xml, robots.txt and favicon.ico.

The sitemap lists what its sources yield: (absolute path, lastmod date or None) pairs. The site
registers its own pages and those of the catalogue and news domains; anything else adds a
source with `add_sitemap_source(app, fn)`.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from flask import (Blueprint, Flask, Response, current_app, render_template, request, send_from_directory,
                   url_for)
from markupsafe import Markup

from .. import clock
from ..pagecache import cache_page
from ..pagecache.memo import content_memo
from ..catalogue import cards
from ..catalogue import queries as catalogue
from ..catalogue.trainer_views import sitemap_urls as trainer_urls
from ..catalogue.views import sitemap_urls as offering_urls
from ..news.services import latest_articles
from ..news.services import sitemap_urls as news_urls

bp = Blueprint("site", __name__)
from ..urls import site_url

SitemapSource = Callable[[], Iterable[tuple[str, date | datetime | None]]]
EXTENSION_KEY = "sbo_sitemap_sources"

# The home page holds today's date in its cache key and shows the latest news, which can be
# scheduled: a short timeout lets a scheduled article appear within a minute.
HOME_TIMEOUT = 60
ABOUT_TIMEOUT = 3600


def add_sitemap_source(app: Flask, source: SitemapSource) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def site_urls() -> Iterable[tuple[str, date | datetime | None]]:
    """The main pages, in the order of the site's navigation, then every public offering and trainer."""
    yield url_for("site.home"), None
    yield url_for("catalogue.index"), None
    yield url_for("site.about"), None
    yield url_for("incompany.general_request"), None
    yield from offering_urls()
    yield from trainer_urls()


@bp.record_once
def _register_sources(state) -> None:
    add_sitemap_source(state.app, site_urls)
    add_sitemap_source(state.app, news_urls)


@bp.get("/")
@cache_page(timeout=HOME_TIMEOUT)
def home():
    return render_template(
        "site/home.html",
        upcoming=cards.upcoming(clock.today(), 6),
        theme_tiles=content_memo("site.theme_tiles", request.script_root, theme_tiles),
        latest_news=content_memo("site.latest_news", (request.script_root, clock.utcnow().replace(second=0, microsecond=0)),
                                 latest_news),
    )


def theme_tiles() -> Markup:
    """The home page's theme tiles (templates/site/_theme_tiles.html): public, and a function of
    the themes' counts alone, so drawn once per content generation (24 url_for, ~70 escapes)."""
    themes = [row for row in catalogue.theme_counts() if row[2]]
    return Markup(current_app.jinja_env.get_template("site/_theme_tiles.html").render(themes=themes))


def latest_news() -> Markup:
    """The home page's three newest articles (templates/news/_home_latest.html), drawn once per
    content generation and minute: public, and a scheduled article shows within a minute, as
    on the news pages (it read three whole article rows, bodies too, on every request)."""
    articles = latest_articles(3)
    if not articles:
        return Markup("")
    return Markup(current_app.jinja_env.get_template("news/_home_latest.html").render(latest_news=articles))


@bp.get("/over-sbo")
@cache_page(timeout=ABOUT_TIMEOUT)
def about():
    return render_template("site/about.html")


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
