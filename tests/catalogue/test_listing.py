"""/aanbod: filters in the query string, facet counts, sorting, pagination, bad values."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from sbo import clock
from sbo.catalogue.models import EditionStatus, OfferingType
from sbo.extensions import db
from tests.catalogue.helpers import card_titles
from tests.factories import make_edition, make_offering, make_theme

TODAY = clock.today()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@pytest.fixture
def catalogue(setup_data):
    """Four offerings over two themes, three types and a few cities and months."""
    with setup_data():
        jeugd = make_theme(slug="jeugd", name="Jeugd")
        ondermijning = make_theme(slug="ondermijning", name="Ondermijning")
        a = make_offering(title="Alpha jeugdcursus", themes=[jeugd])
        make_edition(a, start_date=TODAY + timedelta(days=60), city="Utrecht")
        b = make_offering(title="Bravo ondermijning", type=OfferingType.OPLEIDING, themes=[ondermijning])
        make_edition(b, start_date=TODAY + timedelta(days=10), city="Zwolle")
        make_edition(b, start_date=TODAY + timedelta(days=70), city="Utrecht")
        c = make_offering(title="Charlie congres", type=OfferingType.CONGRES, themes=[jeugd, ondermijning])
        make_edition(c, start_date=TODAY + timedelta(days=30), city="", venue="", online=True)
        make_edition(c, start_date=TODAY + timedelta(days=5), city="Den Haag", status=EditionStatus.GEANNULEERD)
        d = make_offering(title="Delta zonder data", themes=[jeugd])
        make_edition(d, start_date=TODAY - timedelta(days=20), city="Eindhoven")  # in the past
        make_offering(title="Echo verborgen", published=False, editions=1)


def get(client, **params):
    response = client.get("/aanbod", query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_everything_published_is_listed_by_first_upcoming_date(client, catalogue):
    page = get(client)
    assert card_titles(page) == ["Bravo ondermijning", "Charlie congres", "Alpha jeugdcursus", "Delta zonder data"]
    assert "<strong>4</strong> resultaten" in page
    assert "Nog geen nieuwe data gepland" in page


def test_sort_by_title(client, catalogue):
    assert card_titles(get(client, sorteer="titel")) == [
        "Alpha jeugdcursus", "Bravo ondermijning", "Charlie congres", "Delta zonder data"]


def test_filter_by_type(client, catalogue):
    assert card_titles(get(client, type="congres")) == ["Charlie congres"]


def test_filter_by_theme(client, catalogue):
    page = get(client, thema="ondermijning")
    assert card_titles(page) == ["Bravo ondermijning", "Charlie congres"]
    assert "<h1>Ondermijning</h1>" in page


def test_filter_by_city_uses_upcoming_editions_only(client, catalogue):
    assert card_titles(get(client, plaats="Utrecht")) == ["Bravo ondermijning", "Alpha jeugdcursus"]
    assert card_titles(get(client, plaats="online")) == ["Charlie congres"]
    assert card_titles(get(client, plaats="Eindhoven")) == []  # only a past edition there
    assert card_titles(get(client, plaats="Den Haag")) == []  # only a cancelled edition there


def test_filter_by_month(client, catalogue):
    assert "Alpha jeugdcursus" in card_titles(get(client, maand=month_of(TODAY + timedelta(days=60))))
    assert card_titles(get(client, maand="2099-01")) == []


def test_filters_combine_with_search(client, catalogue):
    assert card_titles(get(client, thema="jeugd", q="congres")) == ["Charlie congres"]
    assert card_titles(get(client, thema="jeugd", type="opleiding")) == []


def test_facet_counts_apply_the_other_filters(client, catalogue):
    page = get(client, thema="jeugd")
    # types among the three "jeugd" offerings: two courses and a congress
    assert ">Cursussen (2)</option>" in page
    assert ">Congressen (1)</option>" in page
    assert ">Opleidingen (" not in page
    # theme counts ignore the theme filter itself
    assert ">Jeugd (3)</option>" in page
    assert ">Ondermijning (2)</option>" in page
    assert ">Utrecht (1)</option>" in page and ">Online (1)</option>" in page
    assert "Zwolle" not in page.split('id="f-plaats"')[1].split("</select>")[0]


def test_month_facet_is_named_in_dutch(client, catalogue):
    from sbo.filters import dutch_date
    day = TODAY + timedelta(days=60)
    label = dutch_date(day, "MMMM y")
    page = get(client, maand=month_of(day))
    assert label == label.lower()  # "maart 2027", as in a running Dutch text
    assert f'<option value="{month_of(day)}" selected>{label} (' in page
    assert f"{label} <span aria-hidden" in page  # the active filter chip, lower case as well


def test_active_filters_can_be_removed(client, catalogue):
    page = get(client, thema="jeugd", type="cursus", q="alpha")
    assert 'href="/aanbod?q=alpha&amp;type=cursus"' in page  # removes the theme
    assert 'href="/aanbod?type=cursus&amp;thema=jeugd"' in page  # removes the search words
    assert "Alle filters wissen" in page


def test_filter_form_works_without_javascript(client, catalogue):
    page = get(client)
    assert '<form action="/aanbod" method="get">' in page
    assert "Toon resultaten</button>" in page


def test_no_form_submits_itself_when_a_value_changes(client, app):
    """WCAG 3.2.2: neither the catalogue nor the news filter is marked for auto-submit, and the
    script has no change handler that submits."""
    script = (app.static_folder and open(f"{app.static_folder}/js/forms.js", encoding="utf-8").read())
    assert "submit()" not in script and '"change"' not in script
    for url in ("/aanbod", "/nieuws"):
        assert "data-autosubmit" not in client.get(url).get_data(as_text=True)


def test_pagination(make_app):
    app = make_app(CATALOGUE_PER_PAGE=2)
    with app.app_context():
        for n in range(5):
            make_offering(title=f"Titel {n}")
        db.session.commit()
    client = app.test_client()
    first = client.get("/aanbod?sorteer=titel").get_data(as_text=True)
    assert card_titles(first) == ["Titel 0", "Titel 1"]
    assert 'href="/aanbod?sorteer=titel&amp;pagina=2" rel="next"' in first
    third = client.get("/aanbod?sorteer=titel&pagina=3").get_data(as_text=True)
    assert card_titles(third) == ["Titel 4"]
    assert client.get("/aanbod?pagina=4").status_code == 404


def test_empty_catalogue_is_fine(client):
    page = client.get("/aanbod").get_data(as_text=True)
    assert "Niets gevonden" in page


@pytest.mark.parametrize("query", [
    "thema=bestaat-niet", "type=workshop", "maand=2027-13", "maand=2027-00", "maand=27-01",
    "maand=abcd-ef", "pagina=abc", "pagina=0", "pagina=-1", "pagina=99999999999999999999",
    "pagina=50", "sorteer=prijs", "thema=x%00y", "type=cursus%27", "pagina=1.5", "pagina=%C2%B2", "pagina=%D9%A3",
])
def test_bad_filter_values_give_the_dutch_404(client, catalogue, query):
    response = client.get("/aanbod?" + query)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["plaats=%00", "plaats=" + "x" * 3000, "q=%00", "plaats=Nergens"])
def test_odd_free_values_do_not_fail(client, catalogue, query):
    assert client.get("/aanbod?" + query, follow_redirects=True).status_code == 200


def test_submitted_filter_form_redirects_to_the_clean_url(client, catalogue):
    response = client.get("/aanbod?q=&type=congres&thema=&maand=&plaats=&sorteer=datum")
    assert response.status_code == 302
    assert response.headers["Location"] == "/aanbod?type=congres"
    response = client.get("/aanbod?q=bravo&sorteer=relevantie&pagina=1")
    assert response.headers["Location"] == "/aanbod?q=bravo"
    assert client.get("/aanbod?q=bravo&sorteer=titel").status_code == 200


def test_active_filter_chips_have_readable_labels(client, catalogue):
    page = get(client, maand="2099-01", plaats="online", type="opleiding")
    chips = page.split('class="active-filters"')[1].split("</ul>")[0]
    for label in ("januari 2099", "Online", "Opleidingen"):
        assert label in chips
    assert "Niets gevonden" in page


def test_any_query_string_gives_a_page_or_a_404_never_a_500(client, catalogue):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = st.sampled_from(["q", "type", "thema", "maand", "plaats", "sorteer", "pagina", "x"])
    values = st.one_of(st.text(max_size=40), st.sampled_from(["cursus", "jeugd", "2027-01", "Utrecht", "titel", "2"]))

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(names, values, max_size=5))
    def check(params):
        response = client.get("/aanbod", query_string=params, follow_redirects=True)
        assert response.status_code in (200, 404)

    check()


def card_of(page: str, title: str) -> str:
    """The text of the card with this title."""
    return page.split(f">{title}</a></h3>", 1)[1].split("</li>", 1)[0]


def test_a_card_shows_the_first_edition_that_matches_the_filters(client, catalogue):
    from sbo.filters import dutch_date
    zwolle, utrecht = TODAY + timedelta(days=10), TODAY + timedelta(days=70)
    unfiltered = card_of(get(client), "Bravo ondermijning")
    assert f"Eerstvolgende: {dutch_date(zwolle)} · Jaarbeurs, Zwolle (+1 andere datum)" in unfiltered

    by_place = card_of(get(client, plaats="Utrecht"), "Bravo ondermijning")
    assert f"Eerstvolgende: {dutch_date(utrecht)} · Jaarbeurs, Utrecht" in by_place
    assert "Zwolle" not in by_place and "andere datum" not in by_place

    by_month = card_of(get(client, maand=month_of(utrecht)), "Bravo ondermijning")
    assert f"Eerstvolgende: {dutch_date(utrecht)} · Jaarbeurs, Utrecht" in by_month
    assert "Zwolle" not in by_month

    online = card_of(get(client, plaats="online"), "Charlie congres")
    assert "· Online" in online and "Den Haag" not in online


def test_a_card_says_vol_when_its_shown_edition_is_full(setup_data, client):
    with setup_data():
        offering = make_offering(title="Foxtrot")
        make_edition(offering, start_date=TODAY + timedelta(days=10), city="Zwolle", capacity=2, seats_taken=2)
        make_edition(offering, start_date=TODAY + timedelta(days=40), city="Utrecht", capacity=2)
        make_edition(offering, start_date=TODAY + timedelta(days=50), city="Assen", status=EditionStatus.VOL)
    assert '· <strong class="status-full">Vol</strong>' in card_of(get(client), "Foxtrot")
    assert "Vol" not in card_of(get(client, plaats="Utrecht"), "Foxtrot")
    assert "Vol</strong>" in card_of(get(client, plaats="Assen"), "Foxtrot")


def test_theme_filter_uses_the_dutch_apostrophe(client, catalogue):
    page = get(client)
    assert "Alle thema&#39;s" in page or "Alle thema's" in page
    assert "’" not in page


def test_one_apostrophe_everywhere_in_the_site_text():
    """Issue 11: "Alle thema's" next to "Programma’s": a word's apostrophe is the straight one
    in every template and in the copy in the code (‘…’ as quotation marks stay)."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    files = [*root.joinpath("templates").rglob("*.html"), *root.joinpath("templates").rglob("*.txt"),
             *root.joinpath("sbo").rglob("*.py")]
    curly = [f"{path.relative_to(root)}: {match.group(0)}" for path in files
             for match in re.finditer(r"\w’\w+", path.read_text(encoding="utf-8"))]
    assert curly == []
