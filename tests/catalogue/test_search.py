"""Full-text search rules, on SQLite (FTS5) and PostgreSQL (tsvector) alike."""
from __future__ import annotations

import pytest

from sbo import clock
from sbo.catalogue import search
from sbo.catalogue.models import Offering
from sbo.extensions import db
from tests.catalogue.helpers import card_titles
from tests.factories import make_offering


def titles(client, q: str) -> list[str]:
    response = client.get("/aanbod", query_string={"q": q})
    assert response.status_code == 200
    return card_titles(response.get_data(as_text=True))


@pytest.fixture
def catalogue(setup_data):
    with setup_data():
        make_offering(title="Coördinator Evenementenveiligheid", teaser="Tijdens de opleiding leer je risico's zien.")
        make_offering(title="Omgaan met radicalisering", teaser="Tijdens de cursus leer je signalen duiden.")
        make_offering(title="Bestuurlijke aanpak", teaser="Tijdens de cursus leer je ondermijning tegengaan.",
                      description="Radicaliseringsprocessen komen ook even aan bod.")
        make_offering(title="Verborgen cursus over radicalisering", teaser="Niet gepubliceerd.", published=False)


def test_search_ignores_diacritics_both_ways(client, catalogue):
    assert titles(client, "coordinator") == ["Coördinator Evenementenveiligheid"]
    assert titles(client, "COÖRDINATOR") == ["Coördinator Evenementenveiligheid"]


def test_search_matches_word_prefixes(client, catalogue):
    assert "Omgaan met radicalisering" in titles(client, "radical")
    assert titles(client, "evenementenveilig") == ["Coördinator Evenementenveiligheid"]


def test_title_matches_rank_before_body_matches(client, catalogue):
    assert titles(client, "radicalisering") == ["Omgaan met radicalisering", "Bestuurlijke aanpak"]


def test_all_words_must_match(client, catalogue):
    assert titles(client, "cursus signalen") == ["Omgaan met radicalisering"]
    assert titles(client, "signalen evenementen") == []


def test_unpublished_offerings_are_not_found(client, catalogue):
    assert "Verborgen cursus over radicalisering" not in titles(client, "verborgen")


@pytest.mark.parametrize("q", ['"', "'", "*", "radical*", "title:x", "body : radical", "(", ")", "((a",
                               "a AND OR NOT", "NEAR(a b)", "\x00", "a\x00b", "x" * 2000,
                               "radical " * 300, "& | ! :*", "-", "^", "{title}:x", "😀", "_"])
def test_hostile_queries_never_fail(client, catalogue, q):
    response = client.get("/aanbod", query_string={"q": q}, follow_redirects=True)
    assert response.status_code == 200
    assert "resultaten" in response.get_data(as_text=True) or "resultaat" in response.get_data(as_text=True)


def test_query_without_words_lists_everything(client, catalogue):
    assert len(titles(client, '"*:(')) == 3


def test_edits_are_searchable_after_flush(app, client, catalogue):
    with app.app_context():
        offering = db.session.scalar(db.select(Offering).where(Offering.title == "Bestuurlijke aanpak"))
        offering.title = "Bestuurlijke aanpak van ondermijning"
        db.session.commit()
    assert titles(client, "ondermijning")[0] == "Bestuurlijke aanpak van ondermijning"


def test_deleted_offerings_leave_the_index(app, client, catalogue):
    with app.app_context():
        db.session.delete(db.session.scalar(db.select(Offering).where(Offering.title == "Omgaan met radicalisering")))
        db.session.commit()
    assert titles(client, "signalen") == []


def test_reindex_all_rebuilds_from_the_text(app, client, catalogue):
    with app.app_context():
        db.session.execute(db.update(Offering).values(search_title="", search_body=""))
        db.session.commit()
    assert titles(client, "coordinator") == []
    with app.app_context():
        assert search.reindex_all() == 4
        db.session.commit()
    assert titles(client, "coordinator") == ["Coördinator Evenementenveiligheid"]


def test_install_search_is_idempotent(app, client, catalogue):
    with app.app_context():
        search.install_search(db.session.connection())
        search.install_search(db.session.connection())
        db.session.commit()
    assert titles(client, "coordinator") == ["Coördinator Evenementenveiligheid"]


def test_normalise_and_terms():
    assert search.normalise("Coördinator Ë") == "coordinator e"
    assert search.terms('"radical*" (ondermijning): \x00') == ["radical", "ondermijning"]
    assert len(search.terms("a " * 100)) == search.MAX_TERMS


def test_search_objects_are_known_to_the_migration_filter():
    assert search.is_search_object("offering_fts") and search.is_search_object("offering_fts_data")
    assert search.is_search_object("ix_offering_search")
    assert not search.is_search_object("offering") and not search.is_search_object(None)


def test_any_text_at_all_is_a_safe_query(app, client, catalogue):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=300))
    def check(q):
        response = client.get("/aanbod", query_string={"q": q}, follow_redirects=True)
        assert response.status_code == 200

    check()


# == Dutch word forms, theme names and places ==

@pytest.fixture
def themed(setup_data):
    """Five offerings in the theme Ondermijning, only two of which use the word in their text."""
    from datetime import timedelta

    from sbo.catalogue.models import EditionStatus
    from tests.factories import make_edition, make_theme

    soon = clock.today() + timedelta(days=20)
    with setup_data():
        theme = make_theme(slug="ondermijning", name="Ondermijning")
        other = make_theme(slug="jeugd", name="Jeugd")
        a = make_offering(title="Integrale aanpak van ondermijning", themes=[theme])
        make_edition(a, start_date=soon, city="Rotterdam")
        b = make_offering(title="Bibob in de praktijk", teaser="Tijdens de cursus leer je toetsen.", themes=[theme])
        make_edition(b, start_date=soon, city="Utrecht")
        make_edition(b, start_date=clock.today() - timedelta(days=30), city="Rotterdam")  # past
        c = make_offering(title="Weerbare organisatie", teaser="Tijdens de cursus leer je weerstand bieden.",
                          themes=[theme])
        make_edition(c, start_date=soon, city="Rotterdam", status=EditionStatus.GEANNULEERD)
        d = make_offering(title="Drugscriminaliteit en vastgoed", teaser="Tijdens de cursus leer je panden duiden.",
                          themes=[theme])
        make_edition(d, start_date=soon, city="Rotterdam")
        make_offering(title="Congres Ondermijning", teaser="Tijdens het congres leer je veel.", themes=[theme])
        make_offering(title="Jeugd en radicaliserende jongeren", teaser="Tijdens de cursus leer je duiden.",
                      themes=[other])
        make_offering(title="Omgaan met radicalisering", teaser="Tijdens de cursus leer je signalen duiden.")
        make_offering(title="Polarisatie", teaser="Tijdens de cursus leer je radicale taal herkennen.")


def test_dutch_word_forms_find_each_other(client, themed):
    assert set(titles(client, "radicaal")) == {
        "Jeugd en radicaliserende jongeren", "Omgaan met radicalisering", "Polarisatie"}
    assert titles(client, "signaal") == ["Omgaan met radicalisering"]


def test_a_theme_name_finds_every_offering_in_the_theme(client, themed):
    assert set(titles(client, "ondermijning")) == {
        "Integrale aanpak van ondermijning", "Bibob in de praktijk", "Weerbare organisatie",
        "Drugscriminaliteit en vastgoed", "Congres Ondermijning"}


def test_a_place_finds_offerings_with_an_upcoming_edition_there(client, themed):
    # not the one whose Rotterdam edition is past, nor the one whose edition there is cancelled
    assert set(titles(client, "ondermijning rotterdam")) == {
        "Integrale aanpak van ondermijning", "Drugscriminaliteit en vastgoed"}


def test_the_index_follows_themes_and_editions(app, client, themed):
    from datetime import timedelta

    from sbo.catalogue.models import Edition, EditionStatus, Theme
    from tests.factories import make_edition

    with app.app_context():
        theme = db.session.scalar(db.select(Theme).where(Theme.slug == "ondermijning"))
        theme.name = "Georganiseerde misdaad"
        db.session.commit()
    assert set(titles(client, "ondermijning")) == {"Integrale aanpak van ondermijning", "Congres Ondermijning"}
    assert len(titles(client, "misdaad")) == 5

    with app.app_context():
        offering = db.session.scalar(db.select(Offering).where(Offering.title == "Congres Ondermijning"))
        make_edition(offering, start_date=clock.today() + timedelta(days=50), city="Rotterdam")
        cancelled = db.session.scalar(db.select(Edition).join(Offering).where(Offering.title == "Weerbare organisatie"))
        cancelled.status = EditionStatus.OPEN
        db.session.commit()
    assert set(titles(client, "misdaad rotterdam")) == {
        "Integrale aanpak van ondermijning", "Drugscriminaliteit en vastgoed", "Congres Ondermijning",
        "Weerbare organisatie"}

    with app.app_context():
        edition = db.session.scalar(db.select(Edition).join(Offering).where(Offering.title == "Congres Ondermijning"))
        db.session.delete(edition)
        moved = db.session.scalar(db.select(Edition).join(Offering).where(Offering.title == "Weerbare organisatie"))
        moved.city = "Zwolle"
        offering = db.session.scalar(db.select(Offering).where(Offering.title == "Drugscriminaliteit en vastgoed"))
        offering.themes = []
        db.session.commit()
    assert titles(client, "misdaad rotterdam") == ["Integrale aanpak van ondermijning"]
    assert titles(client, "weerbare zwolle") == ["Weerbare organisatie"]


def test_the_demo_catalogue_answers_dutch_searches(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        in_theme = set(db.session.scalars(
            db.select(Offering.title).where(Offering.themes.any(slug="ondermijning"))))
    assert len(in_theme) == 5
    assert set(titles(client, "ondermijning")) >= in_theme
    found = titles(client, "radicaal")
    assert "Omgaan met maatschappelijke onrust, polarisatie & radicalisering" in found
    assert titles(client, "ondermijning rotterdam")


def test_stems_are_those_of_postgresqls_dutch_configuration():
    assert search.stem("radicaal") == search.stem("radicale") == "radical"
    assert search.stem("ondermijning") == "ondermijn"
    assert search.dutch_stems("Radicalisering in Rotterdam") == "radicaliser in rotterdam"
