"""Moderation in a real browser: a visitor posts a comment, a moderator approves it in
/beheer/reacties, and an anonymous visitor then sees it without the author's e-mail address."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sbo.clock import utcnow
from sbo.extensions import db
from tests.factories import STAFF_PASSWORD, make_article, make_comment, make_staff

pytestmark = pytest.mark.browser


def fits_360(page) -> bool:
    """No sideways scrolling on a 360 px wide phone."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    return width <= 360

VISITOR_EMAIL = "marieke.devries@voorbeeld.nl"


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


def _setup(app) -> str:
    with app.app_context():
        article = make_article(title="Nieuwe wet geeft gemeenten meer grip op woonoverlast")
        other = make_article(title="Meer mensen ervaren overlast van drugsgebruik in hun buurt")
        now = utcnow()
        make_comment(other, "pending", author_name="Jeroen Bakker", author_email="jeroen@voorbeeld.nl",
                     body="Bij ons loopt al een pilot, zie https://voorbeeld.nl/pilot en https://voorbeeld.nl/a "
                          "en https://voorbeeld.nl/b voor de resultaten van het eerste jaar.",
                     author_url="https://jeroenbakker.example", ip_address="192.0.2.44",
                     held_reason="links", now=now - timedelta(hours=3))
        make_comment(article, "pending", author_name="Fatima el Amrani", author_email="fatima@gemeente.example",
                     body="Geldt dit ook voor huurders van een woningcorporatie?", ip_address="198.51.100.12",
                     now=now - timedelta(hours=2))
        make_staff("moderator", email="mo@sbo.example", name="Mo de Moderator")
        db.session.commit()
        return article.slug


def test_visitor_comment_is_approved_by_a_moderator(app, browser, live_server, page, screenshot):
    slug = _setup(app)
    article_url = f"{live_server.url}/nieuws/{slug}"

    # a visitor posts a comment through the article's form
    page.goto(article_url)
    page.fill("#body", "Goed dat dit eindelijk geregeld wordt. Wanneer gaat de wet in?")
    page.fill("#author_name", "Marieke de Vries")
    page.fill("#author_email", VISITOR_EMAIL)
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_text("Hij verschijnt op de site zodra we hem hebben goedgekeurd")).to_be_visible()

    # a moderator logs in and approves it
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    mod = staff.new_page()
    mod.set_default_timeout(10_000)
    mod.goto(f"{live_server.url}/beheer/login")
    mod.get_by_label("E-mailadres").fill("mo@sbo.example")
    mod.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    mod.get_by_role("button", name="Inloggen").click()
    mod.wait_for_url("**/beheer/")
    expect(mod.get_by_text("3 reacties wachten op goedkeuring.")).to_be_visible()
    mod.get_by_role("navigation", name="Beheer").get_by_role("link", name="Reacties").click()
    mod.wait_for_url("**/beheer/reacties")
    expect(mod.get_by_role("link", name="Wacht op goedkeuring 3")).to_have_attribute("aria-current", "page")
    row = mod.get_by_role("row").filter(has_text="Marieke de Vries")
    expect(row.get_by_text(VISITOR_EMAIL)).to_be_visible()  # staff see the address
    screenshot(mod, "moderation-queue")
    assert fits_360(mod)
    row.get_by_role("button", name="Goedkeuren").click()
    expect(mod.get_by_text("De reactie is goedgekeurd.")).to_be_visible()
    expect(mod.get_by_role("row").filter(has_text="Marieke de Vries")).to_have_count(0)
    expect(mod.get_by_role("link", name="Goedgekeurd 1")).to_be_visible()

    # the other two in bulk: tick them, choose an action, submit (a plain form, no script)
    mod.get_by_label("Reactie van Jeroen Bakker kiezen").check()
    mod.get_by_label("Reactie van Fatima el Amrani kiezen").check()
    mod.get_by_label("Met de aangevinkte reacties").select_option(label="Naar prullenbak")
    mod.get_by_role("button", name="Uitvoeren").click()
    expect(mod.get_by_text("2 reacties naar de prullenbak verplaatst.")).to_be_visible()
    expect(mod.get_by_text("Er wachten geen reacties op goedkeuring.")).to_be_visible()
    expect(mod.get_by_role("link", name="Prullenbak 2")).to_be_visible()

    # the comment's page: details and history
    mod.get_by_role("link", name="Goedgekeurd 1").click()
    mod.get_by_role("row").filter(has_text="Goed dat dit eindelijk").get_by_role(
        "link", name="Marieke de Vries").click()
    history = mod.locator("section.staff-history")
    expect(history.get_by_text("Reactie goedgekeurd")).to_be_visible()
    expect(history.get_by_text("Mo de Moderator")).to_be_visible()
    screenshot(mod, "moderation-comment")
    assert fits_360(mod)
    staff.close()

    # an anonymous visitor (a fresh browser context) now sees it, without the e-mail address
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    visitor = anonymous.new_page()
    visitor.goto(article_url)
    expect(visitor.get_by_text("Goed dat dit eindelijk geregeld wordt. Wanneer gaat de wet in?")).to_be_visible()
    expect(visitor.locator("#reacties").get_by_text("Marieke de Vries")).to_be_visible()
    assert VISITOR_EMAIL not in visitor.content()
    assert "Fatima el Amrani" not in visitor.content()  # in the trash
    anonymous.close()
