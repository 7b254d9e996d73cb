"""Trainer profiles: /trainers/<slug> with the offerings they teach and their next dates, the
index, JSON-LD (Person; the Course's instructor), the sitemap, search by trainer name."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from sbo import clock
from sbo.catalogue.models import EditionStatus, Trainer
from sbo.extensions import db
from tests.catalogue.helpers import card_titles
from tests.factories import make_edition, make_offering, make_trainer

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
TODAY = clock.today()


def test_profile_shows_who_they_are_and_what_they_teach(client, setup_data):
    with setup_data():
        bibob = make_offering(slug="bibob", title="Bibob in de praktijk")
        make_edition(bibob, start_date=TODAY + timedelta(days=30), city="Utrecht", venue="Jaarbeurs")
        make_edition(bibob, start_date=TODAY + timedelta(days=50), status=EditionStatus.GEANNULEERD)
        make_edition(bibob, start_date=TODAY - timedelta(days=5), city="Eindhoven", venue="Evoluon")
        later = make_offering(slug="later", title="Integriteit")
        hidden = make_offering(slug="hidden", title="Verborgen cursus", published=False)
        make_trainer([bibob, later, hidden], slug="erik-zwart", name="Erik Zwart", role="Bibob-adviseur",
                     bio="Erik adviseert gemeenten.\n\nHij schreef <beleid>.")
    page = client.get("/trainers/erik-zwart").get_data(as_text=True)
    assert "<h1>Erik Zwart</h1>" in page and "Bibob-adviseur" in page
    assert "<p>Erik adviseert gemeenten.</p><p>Hij schreef &lt;beleid&gt;.</p>" in page
    assert '<a href="/aanbod/bibob">Bibob in de praktijk</a>' in page
    assert f"eerstvolgende: <time datetime=\"{(TODAY + timedelta(days=30)).isoformat()}\">" in page
    assert "Jaarbeurs, Utrecht" in page and "Eindhoven" not in page
    assert "Integriteit" in page and "nog geen nieuwe data gepland" in page
    assert "Verborgen cursus" not in page
    data = json.loads(JSONLD.search(page).group(1))
    assert data == {"@context": "https://schema.org", "@type": "Person", "name": "Erik Zwart",
                    "url": "http://localhost/trainers/erik-zwart", "jobTitle": "Bibob-adviseur",
                    "description": "Erik adviseert gemeenten."}
    assert client.get("/trainers/onbekend").status_code == 404


def test_the_offering_page_links_its_trainers_and_names_them_as_instructor(client, setup_data):
    with setup_data():
        offering = make_offering(slug="bibob")
        make_edition(offering)
        make_trainer([offering], slug="noor-hendriks", name="Noor Hendriks", role="jurist")
    page = client.get("/aanbod/bibob").get_data(as_text=True)
    section = page.split('id="trainers-title"')[1].split("</section>")[0]
    assert ">Trainers</h2>" in section and '<a href="/trainers/noor-hendriks">Noor Hendriks</a>' in section
    data = json.loads(JSONLD.search(page).group(1))
    assert data["hasCourseInstance"][0]["instructor"] == [
        {"@type": "Person", "name": "Noor Hendriks", "url": "http://localhost/trainers/noor-hendriks",
         "jobTitle": "jurist"}]


def test_index_and_sitemap_list_trainers_of_published_offerings(client, setup_data):
    with setup_data():
        make_trainer([make_offering()], slug="anouk-verbeek", name="Anouk Verbeek")
        make_trainer([make_offering(published=False)], slug="niet-zichtbaar", name="Niet Zichtbaar")
        make_trainer(slug="zonder-aanbod", name="Zonder Aanbod")
    page = client.get("/trainers").get_data(as_text=True)
    assert '<a href="/trainers/anouk-verbeek">Anouk Verbeek</a>' in page
    assert "Niet Zichtbaar" not in page and "Zonder Aanbod" not in page
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/trainers/anouk-verbeek</loc>" in sitemap and "<loc>http://localhost/trainers</loc>" in sitemap
    assert "niet-zichtbaar" not in sitemap


def test_search_finds_an_offering_by_its_trainer_and_follows_a_new_name(client, setup_data, app):
    with setup_data():
        trainer = make_trainer([make_offering(title="Mensenhandel")], name="Linda Hoekstra")
    assert card_titles(client.get("/aanbod?q=hoekstra").get_data(as_text=True)) == ["Mensenhandel"]
    with app.app_context():
        db.session.get(Trainer, trainer.id).name = "Linda de Vries"
        db.session.commit()
    assert card_titles(client.get("/aanbod?q=hoekstra").get_data(as_text=True)) == []
    assert card_titles(client.get("/aanbod?q=vries").get_data(as_text=True)) == ["Mensenhandel"]
