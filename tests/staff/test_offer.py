"""Managing offerings and themes from /beheer: each action, its audit entry, and bad input
that changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from sbo.catalogue.models import Offering, Theme
from sbo.extensions import db
from tests.conftest import csrf_from
from tests.factories import make_offering, make_theme
from tests.staff.conftest import audit_actions


def _offering_form(**overrides):
    data = {"title": "Crisiscommunicatie voor gemeenten", "slug": "", "type": "cursus",
            "teaser": "Leer communiceren als het erop aankomt.", "description": "Twee dagen oefenen.",
            "price": "1.295,50", "duration": "2 dagen", "published": "y"}
    data.update(overrides)
    return data


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _offering(app, **where) -> Offering:
    with app.app_context():
        offering = db.session.scalars(select(Offering).filter_by(**where)).one()
        offering.theme_slugs = [t.slug for t in offering.themes]
        db.session.expunge(offering)
        return offering


def test_create_an_offering_with_themes(app, setup_data, logged_in, post_form):
    with setup_data():
        theme = make_theme(name="Veiligheid")
        theme_id, theme_slug = theme.id, theme.slug
    client, editor_id = logged_in("editor")
    response = post_form(client, "/beheer/aanbod/nieuw", {**_offering_form(), "themes": [str(theme_id)]})
    assert response.status_code == 302
    offering = _offering(app, title="Crisiscommunicatie voor gemeenten")
    assert response.location == f"/beheer/aanbod/{offering.id}"
    assert offering.slug == "crisiscommunicatie-voor-gemeenten"
    assert offering.price_cents == 129550 and offering.published
    assert offering.theme_slugs == [theme_slug]
    page = client.get(response.location).get_data(as_text=True)
    assert "is aangemaakt" in page and "Geschiedenis" in page and "Aanbod aangemaakt" in page
    assert audit_actions(app, "offering", offering.id) == ["offering.created"]


def test_slugs_are_unique_and_stable(app, logged_in, post_form):
    client, _ = logged_in("editor")
    post_form(client, "/beheer/aanbod/nieuw", _offering_form(title="Omgevingswet in de praktijk"))
    post_form(client, "/beheer/aanbod/nieuw", _offering_form(title="Omgevingswet in de práktijk!"))
    with app.app_context():
        slugs = sorted(db.session.scalars(select(Offering.slug)))
    assert slugs == ["omgevingswet-in-de-praktijk", "omgevingswet-in-de-praktijk-2"]
    first = _offering(app, slug="omgevingswet-in-de-praktijk")
    url = f"/beheer/aanbod/{first.id}"
    response = post_form(client, url, _offering_form(title="Omgevingswet: het vervolg", slug=""))
    assert response.status_code == 302
    assert _offering(app, id=first.id).slug == "omgevingswet-in-de-praktijk"  # title changed, slug kept
    assert _offering(app, id=first.id).title == "Omgevingswet: het vervolg"


def test_a_taken_slug_is_refused_at_the_field(app, setup_data, logged_in, post_form):
    with setup_data():
        make_offering(slug="bestaat-al")
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/aanbod/nieuw", _offering_form(slug="bestaat-al"))
    assert response.status_code == 422
    assert "Dit webadres is al in gebruik" in response.get_data(as_text=True)
    assert _count(app, Offering) == 1


def test_bad_input_changes_nothing_and_keeps_what_was_typed(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering(title="Oude titel", price_cents=50000)
        offering_id = offering.id
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}"
    response = post_form(client, url, _offering_form(title="Nieuwe titel", price="veel geld", teaser=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Controleer het formulier" in page
    assert "Vul een bedrag in euro&#39;s in" in page and "Vul een korte omschrijving in." in page
    assert 'value="Nieuwe titel"' in page
    stored = _offering(app, id=offering_id)
    assert (stored.title, stored.price_cents) == ("Oude titel", 50000)
    assert audit_actions(app, "offering") == []
    new = post_form(client, "/beheer/aanbod/nieuw", _offering_form(title="", slug="Geen Slug!"))
    assert new.status_code == 422
    assert "Vul een titel in." in new.get_data(as_text=True)
    assert _count(app, Offering) == 1


def test_unpublish_and_republish(app, setup_data, logged_in, post_form):
    with setup_data():
        offering = make_offering(title="Integriteit")
        offering_id = offering.id
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}"
    response = post_form(client, f"{url}/publicatie", {"publiceren": "0"}, page=url)
    assert response.status_code == 302
    assert _offering(app, id=offering_id).published is False
    assert "Weer publiceren" in client.get(url).get_data(as_text=True)
    post_form(client, f"{url}/publicatie", {"publiceren": "1"}, page=url)
    assert _offering(app, id=offering_id).published is True
    assert audit_actions(app, "offering", offering_id) == ["offering.unpublished", "offering.republished"]


def test_offering_list_searches_and_paginates(setup_data, logged_in):
    with setup_data():
        for n in range(27):
            make_offering(title=f"Basiscursus {n:02d}", slug=f"basis-{n}")
        make_offering(title="Crisisbeheersing", slug="crisis")
    client, _ = logged_in("editor")
    first = client.get("/beheer/aanbod").get_data(as_text=True)
    assert "28 resultaten" in first and "Basiscursus 00" in first and "Crisisbeheersing" not in first
    second = client.get("/beheer/aanbod?page=2").get_data(as_text=True)
    assert "Crisisbeheersing" in second
    found = client.get("/beheer/aanbod?q=CRISIS").get_data(as_text=True)
    assert "1 resultaat" in found and "Crisisbeheersing" in found and "Basiscursus" not in found


def test_themes_create_and_edit(app, logged_in, post_form):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/themas/nieuw", {"name": "Openbare orde & veiligheid", "slug": "",
                                                          "description": "Alles over handhaving."})
    assert response.status_code == 302
    with app.app_context():
        theme = db.session.scalars(select(Theme)).one()
        theme_id, slug = theme.id, theme.slug
    assert slug == "openbare-orde-veiligheid"
    response = post_form(client, f"/beheer/themas/{theme_id}", {"name": "Openbare orde", "slug": slug,
                                                                "description": ""})
    assert response.status_code == 302
    page = client.get("/beheer/themas").get_data(as_text=True)
    assert "Openbare orde" in page and "Openbare orde &amp; veiligheid" not in page
    assert audit_actions(app, "theme", theme_id) == ["theme.created", "theme.updated"]
    bad = post_form(client, f"/beheer/themas/{theme_id}", {"name": "", "slug": slug})
    assert bad.status_code == 422 and "Vul een naam in." in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Theme, theme_id).name == "Openbare orde"


def test_csrf_is_required_for_management_posts(app, logged_in):
    client, _ = logged_in("editor")
    response = client.post("/beheer/aanbod/nieuw", data=_offering_form())
    assert response.status_code == 400
    assert _count(app, Offering) == 0
    assert csrf_from(client.get("/beheer/aanbod/nieuw").get_data(as_text=True))
