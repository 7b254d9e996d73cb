"""Staff content in a real browser: an editor writes an article, previews it, attaches a PDF and
finds both on the public article page; the enrolment list of an edition."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sbo import clock
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering, make_staff, make_theme

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + b" " * 40_000


def _login(page, url: str, email: str):
    page.goto(url + "/beheer/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("correct-paard-batterij")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/beheer/")


def test_editor_publishes_an_article_with_a_document(app, live_server, page, screenshot, tmp_path):
    with app.app_context():
        make_theme(name="Omgevingsrecht")
        make_theme(name="Bestuur en organisatie")
        make_offering(title="Basiscursus Omgevingswet")
        make_offering(title="Vergunningverlening in de praktijk")
        make_staff("editor", email="eva@sbo.example", name="Eva de Redacteur")
        db.session.commit()
    _login(page, live_server.url, "eva@sbo.example")

    page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Artikelen").click()
    page.get_by_role("link", name="Nieuw artikel").click()
    page.get_by_label("Titel").fill("Omgevingswet: wat gemeenten nu moeten regelen")
    yesterday = clock.today() - timedelta(days=1)
    page.get_by_label("Publicatiedatum").fill(yesterday.isoformat())
    page.get_by_label("Tijd").fill("09:00")
    page.get_by_label("Inleiding").fill("De wet is van kracht. Drie zaken vragen nu aandacht van elke gemeente.")
    page.get_by_label("Tekst (Markdown)").fill(
        "## Het omgevingsplan\n\nElke gemeente werkt aan **één omgevingsplan**.\n\n"
        "## Vergunningen\n\n- kortere termijnen\n- meer participatie\n")
    page.get_by_label("Omgevingsrecht").check()
    page.get_by_label("Aanbod 1").select_option(label="Vergunningverlening in de praktijk")
    page.get_by_label("Aanbod 2").select_option(label="Basiscursus Omgevingswet")
    # Each click below posts a form: wait for the new page with expect(), which retries,
    # instead of reading the old page right after the click (is_visible() does not wait).
    with page.expect_navigation():
        page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.get_by_role("region", name="Voorbeeld")
    expect(preview.get_by_role("heading", name="Het omgevingsplan")).to_be_visible()
    expect(preview.locator("strong", has_text="één omgevingsplan")).to_be_visible()
    screenshot(page, "staff-article-form")
    with page.expect_navigation(url="**/documenten"):
        page.get_by_role("button", name="Artikel opslaan").click()
    expect(page.get_by_text("is opgeslagen")).to_be_visible()

    pdf = tmp_path / "Handreiking omgevingsplan.pdf"
    pdf.write_bytes(PDF)
    page.locator("#bestand-file").set_input_files(str(pdf))
    page.locator("#bestand-title").fill("Handreiking omgevingsplan")
    # The upload posts from /documenten back to /documenten: wait_for_url would return at once.
    with page.expect_navigation(url="**/documenten"):
        page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_text("Het document ‘Handreiking omgevingsplan’ is toegevoegd.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Handreiking omgevingsplan")
    expect(row.get_by_role("cell", name="PDF", exact=True)).to_be_visible()
    expect(row.get_by_text("40 kB")).to_be_visible()
    screenshot(page, "staff-article-documents")

    page.goto(live_server.url + "/nieuws/omgevingswet-wat-gemeenten-nu-moeten-regelen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Omgevingswet: wat gemeenten nu moeten regelen")
    link = page.get_by_role("link", name="Handreiking omgevingsplan")
    expect(link).to_be_visible()
    expect(page.get_by_text("(PDF, 40 kB)")).to_be_visible()
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF
    assert response.headers["x-content-type-options"] == "nosniff"
    expect(page.get_by_text("Vergunningverlening in de praktijk").first).to_be_visible()


def test_editor_sees_the_enrolments_of_an_edition(app, live_server, page, screenshot):
    with app.app_context():
        offering = make_offering(title="Crisiscommunicatie voor gemeenten")
        edition = make_edition(offering, start_date=clock.today() + timedelta(days=30), capacity=3,
                               venue="Jaarbeurs", city="Utrecht")
        people = [("Sanne", "de Vries", "Gemeente Utrecht"), ("Pieter", "Jansen", "Provincie Gelderland"),
                  ("Fatima", "El Amrani", "Veiligheidsregio Utrecht"), ("Joost", "Bakker", "Gemeente Zeist"),
                  ("Ilse", "Vermeulen", "Waterschap Rivierenland")]
        for n, (first, last, organisation) in enumerate(people):
            status = "confirmed" if n < 3 else "waiting"
            enrolment = make_enrolment(edition, status, first_name=first, last_name=last,
                                       email=f"{first.lower()}@voorbeeld.nl")
            enrolment.booking.organisation = organisation
            enrolment.booking.po_number = f"PO-2027-{100 + n}" if n % 2 == 0 else ""
        make_staff("editor", email="eva@sbo.example", name="Eva de Redacteur")
        db.session.commit()
        offering_id = offering.id
    _login(page, live_server.url, "eva@sbo.example")
    page.goto(live_server.url + f"/beheer/aanbod/{offering_id}")
    page.get_by_role("link", name="Inschrijvingen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Inschrijvingen"))
    expect(page.get_by_text("Wachtlijst, plaats 1")).to_be_visible()
    screenshot(page, "staff-enrolments")
    page.get_by_role("row").filter(has_text="Pieter").get_by_role("link", name="Annuleren").click()
    page.get_by_role("button", name="Ja, annuleer deze inschrijving").click()
    expect(page.get_by_text("De vrijgekomen plaats is aangeboden aan Joost Bakker")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV (Excel)").click()
    assert download.value.suggested_filename.startswith("inschrijvingen-")
