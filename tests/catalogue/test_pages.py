"""Home, offering page (with JSON-LD), about, sitemap and robots."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sbo import clock
from sbo.catalogue.models import EditionStatus, OfferingType
from sbo.extensions import db
from tests.factories import make_article, make_edition, make_item, make_offering, make_theme, make_trainer

TODAY = clock.today()
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def offering(setup_data):
    with setup_data():
        theme = make_theme(slug="ondermijning", name="Ondermijning")
        other_theme = make_theme(slug="jeugd", name="Jeugd")
        offering = make_offering(
            slug="bibob", title="Bibob coördinator", type=OfferingType.OPLEIDING, themes=[theme],
            teaser="Tijdens de opleiding leer je de Wet Bibob toepassen.",
            description="Eerste alinea.\n\nTweede alinea.", learning_outcomes="Je schrijft beleid\nJe toetst",
            audience="Juristen bij gemeenten.", duration="4 dagen", price_cents=239500,
            accreditation="NOvA: 20 PO-punten")
        zwart = make_trainer([offering], slug="erik-zwart", name="Erik Zwart", role="adviseur")
        make_item(offering, "De wet", trainers=[zwart])
        make_item(offering, "De praktijk", day=2)
        open_edition = make_edition(offering, days=3, start_date=date(TODAY.year + 1, 3, 12), city="Utrecht",
                                    venue="Jaarbeurs", street_address="Jaarbeursplein 6", postal_code="3521 AL",
                                    capacity=20, seats_taken=16)
        make_edition(offering, start_date=TODAY + timedelta(days=20), city="Zwolle", venue="Hanzeborg",
                     capacity=10, seats_taken=10, status=EditionStatus.VOL)
        make_edition(offering, start_date=TODAY + timedelta(days=40), city="", venue="", online=True,
                     status=EditionStatus.GEANNULEERD, price_cents_override=99500)
        make_edition(offering, start_date=TODAY - timedelta(days=40), city="Eindhoven", venue="Evoluon")
        make_offering(slug="related", title="Bestuurlijke aanpak", themes=[theme],
                      teaser="Tijdens de cursus leer je criminelen buiten de deur houden.")
        make_offering(slug="unrelated", title="Jeugdgroepen", themes=[other_theme])
        make_offering(slug="hidden", title="Verborgen", themes=[theme], published=False)
        return open_edition.id


def test_offering_page_shows_every_field(client, offering):
    page = client.get("/aanbod/bibob").get_data(as_text=True)
    for text in ("<h1>Bibob coördinator</h1>", "Over deze opleiding", "Trainers", "Tijdens de opleiding leer je de Wet Bibob toepassen.",
                 "<p>Eerste alinea.</p><p>Tweede alinea.</p>", "<li>Je schrijft beleid</li>",
                 "Juristen bij gemeenten.", "Dag 1", "De wet", "Dag 2", "De praktijk",
                 '<a href="/trainers/erik-zwart">Erik Zwart</a>', "adviseur",
                 "4 dagen", "€ 2.395,- excl. btw", "NOvA: 20 PO-punten", ">Ondermijning</a>"):
        assert text in page, text


def test_breadcrumb(client, offering):
    page = client.get("/aanbod/bibob").get_data(as_text=True)
    crumb = page.split('aria-label="Kruimelpad"')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumb) == ["Home", "Aanbod", "Bibob coördinator"]


def test_editions_table_with_dates_places_seats_and_actions(client, offering):
    edition_id = offering
    page = client.get("/aanbod/bibob").get_data(as_text=True)
    year = TODAY.year + 1
    assert f"vrijdag 12 maart {year}" in page or f"12 maart {year}" in page
    assert f"19 maart {year}" in page and f"26 maart {year}" in page  # every session day
    assert "Jaarbeurs, Utrecht" in page and "Hanzeborg, Zwolle" in page and "Online" in page
    assert "Nog 4 plaatsen" in page and ">Vol<" in page and ">Geannuleerd<" in page
    assert "€ 995,- excl. btw" in page  # the price of one edition differs
    assert "Eindhoven" not in page  # past editions are not shown
    assert page.count(">Inschrijven<") == 1
    assert f'href="/aanbod/bibob/inschrijven/{edition_id}"' in page
    assert 'href="/aanbod/bibob/interesse"' in page and "Houd mij op de hoogte" in page


def test_interest_link_is_there_without_editions(client, setup_data):
    with setup_data():
        make_offering(slug="leeg", title="Zonder data")
    page = client.get("/aanbod/leeg").get_data(as_text=True)
    assert "geen nieuwe data gepland" in page and 'href="/aanbod/leeg/interesse"' in page
    assert ">Inschrijven<" not in page


def test_related_offerings_share_a_theme(client, offering):
    page = client.get("/aanbod/bibob").get_data(as_text=True)
    related = page.split('id="related-title"')[1]
    assert "Bestuurlijke aanpak" in related and "criminelen buiten de deur houden" in related
    assert "Jeugdgroepen" not in related and "Verborgen" not in related


def test_course_json_ld(client, offering):
    page = client.get("/aanbod/bibob").get_data(as_text=True)
    data = json.loads(JSONLD.search(page).group(1))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Course"
    assert data["name"] == "Bibob coördinator"
    instances = data["hasCourseInstance"]
    assert [i["@type"] for i in instances] == ["CourseInstance"] * 3
    first = next(i for i in instances if i["location"].get("address", {}).get("addressLocality") == "Utrecht")
    # start and end with their time and the Amsterdam offset (first and last of three weekly days)
    amsterdam = ZoneInfo("Europe/Amsterdam")
    start = datetime(TODAY.year + 1, 3, 12, 9, 30, tzinfo=amsterdam)
    assert first["startDate"] == start.isoformat() and re.fullmatch(
        r"\d{4}-03-12T09:30:00\+01:00", first["startDate"])
    assert first["endDate"] == datetime(TODAY.year + 1, 3, 26, 16, 30, tzinfo=amsterdam).isoformat()
    assert first["location"] == {
        "@type": "Place", "name": "Jaarbeurs",
        "address": {"@type": "PostalAddress", "streetAddress": "Jaarbeursplein 6", "postalCode": "3521 AL",
                    "addressLocality": "Utrecht", "addressCountry": "NL"}}
    assert first["offers"] == {"@type": "Offer", "category": "Paid", "price": "2395.00", "priceCurrency": "EUR",
                               "valueAddedTaxIncluded": False, "availability": "https://schema.org/InStock", "url": "http://localhost/aanbod/bibob",
                               # the default enrolment deadline: a week before the start
                               "validThrough": date(TODAY.year + 1, 3, 5).isoformat()}
    # Google's Course info: the course itself has offers with a category
    assert data["offers"] == [{"@type": "Offer", "category": "Paid", "price": "2395.00", "priceCurrency": "EUR",
                               "valueAddedTaxIncluded": False, "url": "http://localhost/aanbod/bibob"}]


def test_free_course_and_online_instance_json_ld(client, setup_data):
    with setup_data():
        offering = make_offering(slug="gratis", title="Webinar", price_cents=0)
        make_edition(offering, start_date=date(TODAY.year + 1, 7, 1), city="", venue="", online=True)
    data = json.loads(JSONLD.search(client.get("/aanbod/gratis").get_data(as_text=True)).group(1))
    assert data["offers"][0]["category"] == "Free"
    [instance] = data["hasCourseInstance"]
    assert instance["startDate"] == f"{TODAY.year + 1}-07-01T09:30:00+02:00"  # summer time
    assert instance["location"] == {"@type": "VirtualLocation", "name": "Online"}


def test_congress_json_ld_is_events(client, setup_data):
    with setup_data():
        congress = make_offering(slug="congres", title="Congres Ondermijning", type=OfferingType.CONGRES)
        make_trainer([congress], slug="ruud-schouten", name="Ruud Schouten", role="burgemeester")
        make_edition(congress, start_date=TODAY + timedelta(days=9), city="Den Haag", venue="World Forum")
    page = client.get("/aanbod/congres").get_data(as_text=True)
    assert "Over dit congres" in page and "Sprekers" in page
    data = json.loads(JSONLD.search(page).group(1))
    assert [event["@type"] for event in data] == ["Event"]
    assert data[0]["location"]["name"] == "World Forum"
    assert data[0]["performer"] == [{"@type": "Person", "name": "Ruud Schouten", "jobTitle": "burgemeester",
                                     "url": "http://localhost/trainers/ruud-schouten"}]
    assert data[0]["offers"]["priceCurrency"] == "EUR" and data[0]["offers"]["category"] == "Paid"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT09:30:00\+0[12]:00", data[0]["startDate"])


def test_json_ld_cannot_break_out_of_its_script(client, setup_data):
    nasty = "</script><script>alert(1)</script><!-- & \u2028"
    with setup_data():
        make_offering(slug="nasty", title=nasty, teaser=nasty)
    page = client.get("/aanbod/nasty").get_data(as_text=True)
    blocks = JSONLD.findall(page)
    assert len(blocks) == 1 and "<" not in blocks[0]
    assert json.loads(blocks[0])["name"] == nasty
    assert "<script>alert" not in page


@pytest.mark.parametrize("slug", ["hidden", "bestaat-niet", "x" * 500])
def test_unknown_or_unpublished_offering_is_404(client, offering, slug):
    response = client.get(f"/aanbod/{slug}")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_home_shows_search_upcoming_editions_and_themes(client, setup_data):
    with setup_data():
        theme = make_theme(slug="jeugd", name="Jeugd")
        make_theme(slug="leeg", name="Leeg thema")
        for n in range(8):
            o = make_offering(title=f"Cursus nummer {n}", themes=[theme] if n < 3 else [])
            make_edition(o, start_date=TODAY + timedelta(days=n + 1))
        cancelled = make_offering(title="Afgelast")
        make_edition(cancelled, start_date=TODAY, status=EditionStatus.GEANNULEERD)
    page = client.get("/").get_data(as_text=True)
    assert 'action="/aanbod" method="get" role="search"' in page
    upcoming = page.split('id="upcoming-title"')[1].split("</section>")[0]
    assert re.findall(r">(Cursus nummer \d)</a>", upcoming) == [f"Cursus nummer {n}" for n in range(6)]
    assert "Afgelast" not in upcoming
    tiles = page.split('id="themes-title"')[1].split("</section>")[0]
    assert 'href="/aanbod?thema=jeugd"' in tiles and "3 opleidingen" in tiles
    assert "Leeg thema" not in tiles


def test_home_shows_the_three_latest_published_articles(setup_data, client):
    from sbo.clock import utcnow
    with setup_data():
        for days in (1, 2, 3, 4):
            make_article(title=f"Bericht van {days} dagen terug", published_at=utcnow() - timedelta(days=days))
        make_article(title="Nog niet verschenen", published_at=utcnow() + timedelta(days=1))
    page = client.get("/").get_data(as_text=True)
    news = page.split('id="home-news-title"')[1].split("</section>")[0]
    assert [t for t in ("Bericht van 1", "Bericht van 2", "Bericht van 3") if t in news] == [
        "Bericht van 1", "Bericht van 2", "Bericht van 3"]
    assert news.index("Bericht van 1") < news.index("Bericht van 3")
    assert "Bericht van 4" not in news and "Nog niet verschenen" not in page


def test_home_news_is_drawn_once_yet_shows_new_and_scheduled_articles(app, setup_data, client, monkeypatch):
    """The news block is memoised (issue 18): a new article shows at once (its commit makes the
    memo stale), a scheduled one within the minute it appears (the minute is in the key). The
    page cache is off: this is the render path (a stored home page lasts HOME_TIMEOUT)."""
    app.config["CACHE_ENABLED"] = False
    from sbo import clock
    from sbo.news import services
    now = clock.utcnow()
    for module in (clock, services):  # the news queries' own name for the clock too
        monkeypatch.setattr(module, "utcnow", lambda: now)
    with setup_data():
        make_article(title="Eerder bericht", published_at=now - timedelta(days=1))
        make_article(title="Gepland bericht", published_at=now + timedelta(minutes=1))
    assert "Eerder bericht" in client.get("/").get_data(as_text=True)
    with setup_data():
        make_article(title="Net geplaatst", published_at=now - timedelta(minutes=5))
    page = client.get("/").get_data(as_text=True)
    assert "Net geplaatst" in page and "Gepland bericht" not in page
    now += timedelta(minutes=1)
    assert "Gepland bericht" in client.get("/").get_data(as_text=True)


def test_about_page(client):
    response = client.get("/over-sbo")
    assert response.status_code == 200 and "<h1>Over SBO</h1>" in response.get_data(as_text=True)


def test_sitemap_lists_every_public_page(client, offering, app):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    import xml.etree.ElementTree as ET
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(response.data).findall("s:url/s:loc", ns)]
    assert locs[:3] == ["http://localhost/", "http://localhost/aanbod", "http://localhost/over-sbo"]
    assert "http://localhost/aanbod/bibob" in locs and "http://localhost/aanbod/related" in locs
    assert "http://localhost/aanbod/hidden" not in locs


def test_other_domains_can_add_to_the_sitemap(make_app):
    from sbo.site.views import add_sitemap_source
    app = make_app()
    add_sitemap_source(app, lambda: [("/elders", date(2026, 1, 2))])
    body = app.test_client().get("/sitemap.xml").get_data(as_text=True)
    assert "<url><loc>http://localhost/elders</loc><lastmod>2026-01-02</lastmod></url>" in body


def test_robots_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in response.get_data(as_text=True)
