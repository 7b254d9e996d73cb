"""The catalogue's cards and the home page's upcoming editions from plain rows
(sbo/catalogue/cards.py) write the HTML the ORM entities and the Jinja templates wrote before
(issue 18), and whether an edition is full stays live under the memo."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape as html_unescape

import pytest
from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from sbo import clock
from sbo.catalogue import cards
from sbo.catalogue.models import Edition, EditionStatus, Offering, OfferingType
from sbo.extensions import db
from sbo.filters import dutch_date
from sbo.pagecache.invalidation import may_show_late
from tests.factories import make_edition, make_offering, make_theme, make_venue

TODAY = clock.today()

# templates/catalogue/_offering.html as it was, a Jinja macro per card over ORM entities
OLD_CARD = """{% macro offering_card(offering, today, heading='h3', editions=none) %}
<li class="card offering-card">
  <p class="offering-card-tags"><span class="tag{% if offering.type == 'congres' %} tag-congres{% endif %}">{{ offering.type|label("OfferingType") }}</span></p>
  <{{ heading }}><a href="{{ url_for('catalogue.detail', slug=offering.slug) }}">{{ offering.title }}</a></{{ heading }}>
  <p>{{ offering.teaser }}</p>
  {% set upcoming = editions if editions is not none else offering.editions|selectattr('start_date', 'ge', today)|rejectattr('status', 'eq', 'geannuleerd')|list %}
  <p class="meta next-date">
    {% if upcoming %}{% set shown = upcoming[0] %}{% set seats = shown|seats_label %}Eerstvolgende: {{ shown.start_date|datum }} · {{ shown.place }}{% if seats == 'Vol' %} · <strong class="status-full">Vol</strong>{% endif %}{% if upcoming|length > 1 %} (+{{ upcoming|length - 1 }} {{ 'andere datum' if upcoming|length == 2 else 'andere data' }}){% endif %}
    {% else %}Nog geen nieuwe data gepland{% endif %}
  </p>
  <p class="meta">{% if offering.duration %}{{ offering.duration }} · {% endif %}{{ offering|prijs_btw }}</p>
</li>
{% endmacro %}{% for offering in offerings %}{{ offering_card(offering, today, editions=editions[offering.id]) }}{% endfor %}"""

# the home page's upcoming edition as templates/site/home.html drew it from an ORM edition
OLD_UPCOMING = """{% for edition in upcoming %}
      <li class="card">
        <p class="date-badge"><time datetime="{{ edition.start_date.isoformat() }}">{{ edition.start_date|datum }}</time></p>
        <h3><a href="{{ url_for('catalogue.detail', slug=edition.offering.slug) }}">{{ edition.offering.title }}</a></h3>
        <p class="meta"><span class="tag{% if edition.offering.type == 'congres' %} tag-congres{% endif %}">{{ edition.offering.type|label("OfferingType") }}</span> {{ edition.place }}</p>
        <p class="meta">{{ edition|seats_label }}</p>
      </li>
      {% endfor %}"""


def matching_editions(offering: Offering, month: str, place: str) -> list[Edition]:
    """The listing's choice of editions as it was (sbo/catalogue/queries.py before issue 18)."""
    found = []
    for edition in offering.editions:
        if edition.start_date < TODAY or edition.status == EditionStatus.GEANNULEERD:
            continue
        if month and f"{edition.start_date:%Y-%m}" != month:
            continue
        if place and ("online" if edition.online else edition.city) != place:
            continue
        found.append(edition)
    return sorted(found, key=lambda e: e.start_date)


@pytest.fixture
def varied(setup_data):
    """Offerings with every kind of card: full (by status and by seats), cancelled and past
    editions, online with and without platform, a venue, no dates, odd characters, free."""
    soon, later = TODAY + timedelta(days=12), TODAY + timedelta(days=75)
    with setup_data():
        theme = make_theme(slug="jeugd", name="Jeugd")
        hall = make_venue(name="Hal <A> & 'B'", city="Amersfoort")
        a = make_offering(title="Alpha & <b>\"co\"</b>", teaser="It's <i>x</i> & y", themes=[theme],
                          slug="alpha-&-'q'", duration="")
        make_edition(a, start_date=soon, city="Zwolle", capacity=2, seats_taken=2)
        make_edition(a, start_date=later, city="Utrecht")
        b = make_offering(title="Bravo", type=OfferingType.CONGRES, price_cents=0, vat_status="incl")
        make_edition(b, start_date=soon, online=True, online_platform="Teams", city="", venue="")
        make_edition(b, start_date=soon + timedelta(days=1), city="Zwolle", status=EditionStatus.VOL)
        make_edition(b, start_date=later, city="Den Haag", status=EditionStatus.GEANNULEERD)
        make_edition(b, start_date=later + timedelta(days=3), venue_id=hall.id, city="Utrecht")
        c = make_offering(title="Charlie", type=OfferingType.JAAROPLEIDING, vat_status="vrijgesteld",
                          price_cents=129550)
        make_edition(c, start_date=TODAY - timedelta(days=3), city="Utrecht")
        make_edition(c, start_date=TODAY, online=True, city="", venue="", capacity=1, seats_taken=0)
        d = make_offering(title="Delta zonder data", type=OfferingType.OPLEIDING)
        make_edition(d, start_date=TODAY - timedelta(days=40), city="Utrecht")
        e = make_offering(title="Echo", price_cents=49999)
        for n in range(4):
            make_edition(e, start_date=soon + timedelta(days=30 * n), city="Utrecht" if n % 2 else "Zwolle",
                         venue="" if n == 3 else "Jaarbeurs")
        make_offering(title="Foxtrot")
    return soon, later


def test_cards_are_the_old_macro_output(app, varied):
    soon, later = varied
    filters = [("", ""), (f"{soon:%Y-%m}", ""), (f"{later:%Y-%m}", ""), ("", "Zwolle"), ("", "Utrecht"),
               ("", "online"), ("", "Den Haag"), (f"{soon:%Y-%m}", "Zwolle"), ("2001-01", "")]
    with app.test_request_context():
        offerings = list(db.session.scalars(select(Offering).order_by(Offering.title)
                                            .options(selectinload(Offering.editions))))
        old = app.jinja_env.from_string(OLD_CARD)
        seen = ""
        for month, place in filters:
            expected = old.render(offerings=offerings, today=TODAY,
                                  editions={o.id: matching_editions(o, month, place) for o in offerings})
            shown, full = cards.load_cards([o.id for o in offerings], TODAY, month, place)
            assert str(cards.render(shown, full)) == expected, (month, place)
            assert cards.full_editions(shown) == full
            seen += expected
    for case in ("Vol</strong>", "Hal &lt;A&gt; &amp; &#39;B&#39;, Amersfoort", "Online (Teams)", "Gratis",
                 "(+1 andere datum)", "(+3 andere data)", "Nog geen nieuwe data gepland", "tag-congres",
                 "€ 1.295,50 vrijgesteld van btw", "Eerstvolgende: " + dutch_date(TODAY) + " · Online"):
        assert case in seen, case


def test_full_is_read_live_under_the_memo(make_app, setup_data):
    # the generation read at most once a minute: a seat taken is not seen by the memo
    app = make_app(CACHE_ENABLED=False, CACHE_GENERATION_TTL=60)
    client = app.test_client()
    with setup_data():
        offering = make_offering(title="Golf")
        edition = make_edition(offering, start_date=TODAY + timedelta(days=9), capacity=1)
        home_offering = make_offering(title="Hotel")
        make_edition(home_offering, start_date=TODAY + timedelta(days=8), capacity=3)
    assert "Vol</strong>" not in client.get("/aanbod").get_data(as_text=True)
    assert "Nog 1 plaats<" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(may_show_late(update(Edition).where(Edition.id == edition.id).values(seats_taken=1)))
        db.session.commit()
    assert '· <strong class="status-full">Vol</strong>' in client.get("/aanbod").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Nog 1 plaats<" not in home and '<p class="meta">Vol</p>' in home


def test_home_upcoming_is_the_old_template_output(app, client, varied):
    page = client.get("/").get_data(as_text=True)
    shown = page.split('<ul class="cards upcoming-list">\n      ', 1)[1].split("\n    </ul>", 1)[0]
    with app.test_request_context():
        editions = list(db.session.scalars(
            select(Edition).join(Edition.offering)
            .where(Offering.published.is_(True), Edition.start_date >= TODAY,
                   Edition.status != EditionStatus.GEANNULEERD)
            .order_by(Edition.start_date, Offering.title).limit(6)))
        assert shown == app.jinja_env.from_string(OLD_UPCOMING).render(upcoming=editions)
    assert "Online (Teams)" in shown and "Vol" in shown and "Nog 1 plaats" in shown


@pytest.mark.parametrize("slug", ["gewoon-een-slug", "a&b'c", "met spatie", "ü-ß", "x/y?z#w", "50%"])
def test_urls_from_one_pattern_are_url_for(app, slug):
    for prefix in ("", "/sub"):
        with app.test_request_context(environ_overrides={"SCRIPT_NAME": prefix}):
            assert cards.detail_url(cards.detail_url_prefix(), slug) == url_for("catalogue.detail", slug=slug)


def test_page_links_are_url_for(make_app, setup_data):
    app = make_app(CATALOGUE_PER_PAGE=2)
    client = app.test_client()
    with setup_data():
        for n in range(9):
            make_edition(make_offering(title=f"Cursus {n}"), start_date=TODAY + timedelta(days=n + 1),
                         city="Den Haag & 's-Hertogenbosch")
    for query in ({}, {"plaats": "Den Haag & 's-Hertogenbosch", "sorteer": "titel"}, {"type": "cursus"}):
        for page in (1, 3, 5):
            html = client.get("/aanbod", query_string={**query, **({"pagina": page} if page > 1 else {})}).get_data(
                as_text=True)
            nav = html.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
            links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
            assert len(links) >= 3
            with app.test_request_context():
                for href, text in links:
                    n = {"Vorige": page - 1, "Volgende": page + 1}.get(text) or int(text)
                    params = {"plaats": query.get("plaats"), "sorteer": query.get("sorteer"), "type": query.get("type")}
                    params = {k: v for k, v in params.items() if v}
                    expected = url_for("catalogue.index", **{**dict(sorted(params.items(), key=lambda kv: [
                        "type", "plaats", "sorteer"].index(kv[0]))), **({"pagina": n} if n > 1 else {})})
                    assert html_unescape(href) == expected


def test_month_label_is_babels():
    from sbo.catalogue.queries import month_label
    for year in (2026, 2027):
        for month in range(1, 13):
            assert month_label(f"{year}-{month:02d}") == dutch_date(date(year, month, 1), "MMMM y")
