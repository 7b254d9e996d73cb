"""/mijn-gegevens in a real browser: ask for a link, follow it from the mail, see the overview,
download the JSON, then erase (the confirmation step, the comment-text choice, the page after);
every page axe-clean (WCAG 2.1 AA)."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from sqlalchemy import select

from sbo.extensions import db
from sbo.news.models import Comment
from sbo.news.personal_data import ERASED_TEXT
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering

pytestmark = pytest.mark.browser
ADDRESS = "sanne@gemeente.example"


def test_the_my_data_flow(app, live_server, browser, screenshot, outbox):
    from axe_playwright_python.sync_playwright import Axe

    with app.app_context():
        edition = make_edition(make_offering(title="Crisiscommunicatie voor gemeenten"))
        make_enrolment(edition, email=ADDRESS, first_name="Sanne")
        make_comment(make_article(title="Woonoverlast"), author_email=ADDRESS, body="Helder artikel.")
        db.session.commit()

    context = browser.new_context(bypass_csp=True, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []

    def axe_check():
        results = Axe().run(page)
        problems.extend(f"{page.url}: {v['id']}: {v['help']}" for v in results.response["violations"])

    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Mijn gegevens").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
        axe_check()
        page.get_by_label("E-mailadres").fill(ADDRESS)
        page.get_by_role("button", name="Stuur mij een link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je mail")
        axe_check()

        [mail] = outbox(ADDRESS)
        [link] = [word for word in mail.body_text.split() if "/mijn-gegevens/link/" in word]
        page.goto(live_server.url + "/" + link.split("/", 3)[3])
        axe_check()
        page.get_by_role("button", name="Toon mijn gegevens").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens")
        overview = page.locator("main").inner_text()
        assert "Crisiscommunicatie voor gemeenten" in overview and "Helder artikel." in overview
        axe_check()
        screenshot(page, "my-data-overview")

        with page.expect_download() as download:
            page.get_by_role("link", name="als JSON-bestand").click()
        data = json.loads(open(download.value.path(), encoding="utf-8").read())
        assert data["gegevens"]["Reacties"][0]["tekst"] == "Helder artikel."

        page.get_by_role("link", name="Verwijder mijn gegevens").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Verwijder je gegevens")
        step = page.locator("main").inner_text()
        assert "Je inschrijving voor Crisiscommunicatie voor gemeenten" in step and "kosteloos" in step
        axe_check()
        screenshot(page, "my-data-erase")
        page.get_by_label("Vervang de tekst door").check()
        page.get_by_role("button", name="Verwijder mijn gegevens").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens zijn verwijderd")
        expect(page.locator("main")).to_contain_text("Geannuleerde inschrijvingen en wachtlijstplaatsen")
        axe_check()
        screenshot(page, "my-data-erased")
        page.goto(live_server.url + "/mijn-gegevens/overzicht")  # the overview is closed for good
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
        with app.app_context():
            [comment] = db.session.scalars(select(Comment))
            assert (comment.author_name, comment.author_email, comment.body) == ("Anoniem", "", ERASED_TEXT)
        page.goto(live_server.url + "/privacy")
        axe_check()
        page.goto(live_server.url + "/voorwaarden")
        axe_check()
        page.goto(live_server.url + "/toegankelijkheid")
        axe_check()
        assert problems == []
    finally:
        context.close()
