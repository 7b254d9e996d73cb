"""The programme per day on the offering page, the services that keep its order, and search
over programme items."""
from __future__ import annotations

import re
from datetime import time

from sbo.catalogue.models import ProgrammeItem
from sbo.catalogue.programme import ItemData, add_item, delete_item, move_item, update_item
from sbo.extensions import db
from tests.catalogue.helpers import card_titles
from tests.factories import make_item, make_offering, make_trainer


def _order(offering) -> list[tuple[int, str]]:
    db.session.expire(offering, ["programme_items"])
    return [(item.day, item.title) for item in offering.programme_items]


def test_the_offering_page_shows_the_programme_per_day(client, setup_data):
    with setup_data():
        offering = make_offering(slug="crisis", title="Crisiscommunicatie")
        trainer = make_trainer([offering], slug="anouk-verbeek", name="Anouk Verbeek")
        make_item(offering, "Praten in de eerste uren", day=2, start_time=time(13, 0), end_time=time(14, 30))
        make_item(offering, "Wat is een crisis?", start_time=time(9, 30), end_time=time(11, 0),
                  description="Met voorbeelden uit de praktijk <b>en</b> oefeningen.", trainers=[trainer])
        make_item(offering, "Oefening met de pers", day=2)
    page = client.get("/aanbod/crisis").get_data(as_text=True)
    section = page.split('id="programma-title"')[1].split("</section>")[0]
    assert re.findall(r'<h3 class="programme-day">([^<]+)</h3>', section) == ["Dag 1", "Dag 2"]
    assert re.findall(r'<p class="programme-title">([^<]+)</p>', section) == [
        "Wat is een crisis?", "Praten in de eerste uren", "Oefening met de pers"]
    assert "09:30–11:00" in section and "13:00–14:30" in section
    assert "&lt;b&gt;en&lt;/b&gt;" in section  # escaped
    assert 'Door <a href="/trainers/anouk-verbeek">Anouk Verbeek</a>' in section


def test_no_programme_no_section(client, setup_data):
    with setup_data():
        make_offering(slug="leeg")
    assert 'id="programma-title"' not in client.get("/aanbod/leeg").get_data(as_text=True)


def test_items_go_to_the_end_of_their_day_and_move_within_it(app_ctx):
    offering = make_offering()
    first = add_item(offering, ItemData(day=1, title="A"))
    second = add_item(offering, ItemData(day=1, title="B", start_time=time(10, 0), end_time=time(11, 0)))
    add_item(offering, ItemData(day=2, title="C"))
    assert _order(offering) == [(1, "A"), (1, "B"), (2, "C")]
    assert move_item(second, up=True) and _order(offering) == [(1, "B"), (1, "A"), (2, "C")]
    assert not move_item(second, up=True)  # already first of its day
    assert not move_item(first, up=False)  # last of day 1: day 2 is another day
    update_item(first, ItemData(day=2, title="A2"))
    assert _order(offering) == [(1, "B"), (2, "C"), (2, "A2")]
    delete_item(second)
    assert _order(offering) == [(2, "C"), (2, "A2")]


def test_who_leads_an_item_teaches_the_offering(app_ctx):
    offering = make_offering()
    trainer = make_trainer(name="Bas Vermeulen")
    add_item(offering, ItemData(day=1, title="Crowd management", trainer_ids=(trainer.id,)))
    assert offering.trainers == [trainer]


def test_search_finds_programme_items_and_follows_their_changes(client, setup_data, app):
    with setup_data():
        offering = make_offering(title="Evenementenveiligheid")
        item = make_item(offering, "Crowd management")
    assert card_titles(client.get("/aanbod?q=crowd").get_data(as_text=True)) == ["Evenementenveiligheid"]
    with app.app_context():
        db.session.delete(db.session.get(ProgrammeItem, item.id))
        db.session.commit()
    assert card_titles(client.get("/aanbod?q=crowd").get_data(as_text=True)) == []
