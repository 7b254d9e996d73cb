"""News in a real browser: post a comment through the form, errors first, then see it awaiting
moderation; screenshots of an article with its documents, offerings and comment thread."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sbo.extensions import db
from sbo.news import services
from sbo.news.models import Comment, CommentStatus
from tests.factories import make_article, make_comment, make_offering, make_theme

pytestmark = pytest.mark.browser

BODY = """\
De gemeente krijgt er een taak bij. In dit artikel lees je wat er verandert en wanneer.

## Wat verandert er?

- Meldingen komen op één plek binnen;
- wijkteams krijgen een vast aanspreekpunt bij de politie;
- de burgemeester krijgt extra bevoegdheden.

| Onderdeel | Start |
|---|---|
| Meldpunt | 1 maart |
| Wijkaanpak | 1 juni |
"""


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


def _article(app) -> str:
    with app.app_context():
        theme = make_theme(name="Openbare orde en veiligheid")
        a = make_offering(title="Beleidsmedewerker Openbare Orde en Veiligheid", themes=[theme], type="opleiding",
                          teaser="Tijdens de opleiding leer je een lokaal integraal veiligheidsbeleid opstellen.")
        b = make_offering(title="Aanpak complexe woonoverlast", themes=[theme],
                          teaser="Tijdens de cursus leer je woongenot terugbrengen met een duurzame oplossing.")
        make_offering(title="Nationaal Congres Zorg en Veiligheid", themes=[theme], type="congres",
                      teaser="Tijdens het congres versterk je de samenwerking tussen zorg en veiligheid.")
        other = make_article(title="Meer mensen ervaren overlast van drugsgebruik in hun buurt",
                             lead="In 2023 zeiden zo'n 490 duizend inwoners veel overlast te ervaren.")
        article = make_article(title="Nieuwe wet geeft gemeenten meer grip op woonoverlast", themes=[theme],
                               lead="Gemeenten krijgen meer mogelijkheden om woonoverlast aan te pakken.",
                               body=BODY)
        services.set_related_offerings(article, [b, a])
        services.set_related_articles(article, [other])
        services.add_document(article, "Kamerbrief over de nieuwe wet", data=b"%PDF-1.4" + b"0" * 1_250_000,
                              filename="kamerbrief.pdf", file_type="PDF")
        first = make_comment(article, author_name="Marieke de Vries",
                             body="Helder stuk. Weet iemand al of de VNG een modelverordening maakt?")
        services.staff_reply(first, body="Ja, die verschijnt volgens de VNG dit voorjaar.",
                             author_name="Redactie SBO", author_email="redactie@sbo.example")
        make_comment(article, author_name="Jeroen Bakker",
                     body="Bij ons loopt al een pilot.\nMeer info: https://voorbeeld.nl/pilot")
        db.session.commit()
        return article.slug


def test_post_comment_through_the_form(app, live_server, page, screenshot):
    slug = _article(app)
    page.goto(f"{live_server.url}/nieuws/{slug}")
    expect(page.get_by_text("Het e-mailadres wordt niet gepubliceerd.")).to_be_visible()
    assert page.context.cookies() == []  # reading an article starts no session
    form = page.locator("#reageer form")
    # The fields are `required` in HTML; to see the server's messages, switch that off as an old browser would.
    assert page.locator("#body").get_attribute("required") is not None
    form.evaluate("f => f.noValidate = true")
    page.fill("#body", "Goed dat dit geregeld wordt.")
    # moving into the form fetched this reader's token (static/js/comment-form.js)
    expect(page.locator("input[name=csrf_token]")).not_to_have_value("")
    assert [c["name"] for c in page.context.cookies()] == ["session"]
    page.get_by_role("button", name="Reactie plaatsen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # static/js/forms.js moves focus to the summary
    expect(summary.get_by_role("link", name="Naam: Vul je naam in.")).to_be_visible()
    assert page.locator("#body").input_value() == "Goed dat dit geregeld wordt."
    screenshot(page, "news-comment-errors")

    page.fill("#author_name", "Anna de Boer")
    page.fill("#author_email", "anna@voorbeeld.nl")
    page.check("#remember")
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.wait_for_url("**#reactie-*")
    expect(page.get_by_text("Je reactie wacht op goedkeuring")).to_be_visible()
    assert page.locator("#author_name").input_value() == "Anna de Boer"  # remembered
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.author_name == "Anna de Boer"))
        assert comment.status == CommentStatus.PENDING


def test_without_javascript_a_comment_is_sent_a_second_time(app, live_server, browser, screenshot):
    """The article page holds no token; without the script that fetches one, the first send
    brings the form back with what was typed, and the second places the comment."""
    slug = _article(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/nieuws/{slug}")
        page.fill("#body", "Geschreven zonder JavaScript.")
        page.fill("#author_name", "Bram Zonder")
        page.fill("#author_email", "bram@voorbeeld.nl")
        page.get_by_role("button", name="Reactie plaatsen").click()
        expect(page.get_by_role("heading", name="Je reactie is nog niet geplaatst")).to_be_visible()
        assert page.locator("#body").input_value() == "Geschreven zonder JavaScript."
        assert page.locator("#author_name").input_value() == "Bram Zonder"
        with app.app_context():
            assert db.session.scalar(select(Comment).where(Comment.author_name == "Bram Zonder")) is None
        screenshot(page, "news-comment-confirm")
        page.get_by_role("button", name="Reactie plaatsen").click()
        page.wait_for_url("**#reactie-*")
        expect(page.get_by_text("Je reactie wacht op goedkeuring")).to_be_visible()
        with app.app_context():
            bodies = db.session.scalars(select(Comment.body).where(Comment.author_name == "Bram Zonder")).all()
        assert bodies == ["Geschreven zonder JavaScript."]
    finally:
        context.close()


def test_article_page_screenshots(app, live_server, page, screenshot):
    slug = _article(app)
    page.goto(f"{live_server.url}/nieuws/{slug}")
    for heading in ("Documenten", "Meer weten?", "Bekijk ook", "Geef een reactie"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("(PDF, 1,3 MB)")).to_be_visible()
    page.get_by_role("link", name="Reageer op Marieke de Vries").click()
    expect(page.get_by_role("heading", name="Reageer op Marieke de Vries")).to_be_visible()
    page.goto(f"{live_server.url}/nieuws/{slug}")
    screenshot(page, "news-article")
    from tests.browser.helpers import SCREENSHOTS
    page.set_viewport_size({"width": 360, "height": 740})
    page.locator("#reacties").screenshot(path=str(SCREENSHOTS / "news-article-comments-360.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/nieuws")
    screenshot(page, "news-list")
