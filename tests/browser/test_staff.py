"""Staff area in a real browser: an editor logs in, adds an edition and sees it listed."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sbo import clock
from sbo.extensions import db
from tests.factories import make_edition, make_offering, make_staff, make_theme

pytestmark = pytest.mark.browser


def test_editor_adds_an_edition(app, live_server, page, screenshot):
    with app.app_context():
        themes = [make_theme(name="Openbare orde en veiligheid"), make_theme(name="Crisisbeheersing"),
                  make_theme(name="Bestuur en organisatie")]
        offering = make_offering(title="Crisiscommunicatie voor gemeenten", themes=themes[:2])
        other = make_offering(title="Basiscursus Omgevingswet")
        make_edition(other, start_date=clock.today() + timedelta(days=12), capacity=24, seats_taken=18,
                     venue="Congrescentrum", city="Zwolle")
        make_edition(offering, start_date=clock.today() + timedelta(days=40), capacity=16, seats_taken=3)
        make_staff("editor", email="eva@sbo.example", name="Eva de Redacteur")
        db.session.commit()
        offering_id = offering.id

    page.goto(live_server.url + f"/beheer/aanbod/{offering_id}")
    assert page.url.startswith(live_server.url + "/beheer/login?next=")
    page.get_by_label("E-mailadres").fill("eva@sbo.example")
    page.get_by_label("Wachtwoord").fill("correct-paard-batterij")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**/beheer/aanbod/{offering_id}")
    page.goto(live_server.url + "/beheer/")
    assert page.get_by_text("15 van 20 plaatsen bezet").count() == 0
    expect(page.get_by_text("18 van 24 plaatsen bezet (75%)")).to_be_visible()
    screenshot(page, "staff-dashboard")

    page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Aanbod").click()
    page.get_by_role("link", name="Crisiscommunicatie voor gemeenten", exact=True).click()
    screenshot(page, "staff-offering-edit")
    page.get_by_role("link", name="Editie toevoegen").click()
    page.get_by_label("Lesdagen").fill("12-03-2031\n19-03-2031")
    page.get_by_label("Plaats", exact=True).fill("Utrecht")
    page.get_by_label("Locatie", exact=True).fill("Jaarbeurs")
    page.get_by_label("Aantal plaatsen").fill("18")
    screenshot(page, "staff-edition-form")
    page.get_by_role("button", name="Editie toevoegen").click()
    page.wait_for_url(f"**/beheer/aanbod/{offering_id}#edities")
    expect(page.get_by_text("De editie van 12-03-2031 is toegevoegd.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="12 maart 2031")
    expect(row.get_by_text("0 / 18")).to_be_visible()
    expect(row.get_by_text("Utrecht")).to_be_visible()
