"""Issue 13: an e-mail address typed into a comment's text is never published. On the site
(the article page, for the author's own pending comment too) and in the reply mail it shows as
"[e-mailadres verborgen]"; the moderator sees it marked (tests/staff/test_moderation_addresses.py).
The Atom feed holds articles only, never comment text."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from sbo.news import services
from sbo.news.markdown import HIDDEN_ADDRESS, comment_html, hide_addresses, mark_addresses
from tests.factories import make_article, make_comment

ADDRESS = "jan.de.vries@gemeente-utrecht.nl"
TEXT = f"Vragen? Mail {ADDRESS} of kijk op https://example.org/pad.\n\nGroet, Jan"


@pytest.mark.parametrize("written", [
    "jan@example.org", "Jan.de-Vries+sbo@gemeente.utrecht.nl", "jan [at] example [punt] org",
    "jan(at)example.org", "jan {at} example (dot) org"])
def test_addresses_in_all_their_spellings_are_hidden(written):
    html = comment_html(f"Mail {written}, graag.")
    assert html == f"<p>Mail {HIDDEN_ADDRESS}, graag.</p>"
    assert hide_addresses(f"Mail {written}, graag.") == f"Mail {HIDDEN_ADDRESS}, graag."


@pytest.mark.parametrize("text", ["Om 10 @ 5.50 euro", "Zie @gemeente op sociale media.",
                                  "Mail me @ noon.", "e-mail: niet bekend"])
def test_text_that_is_no_address_stays(text):
    assert hide_addresses(text) == text


def test_links_stay_linked_but_not_when_they_hold_an_address():
    html = comment_html(TEXT)
    assert ADDRESS not in html and HIDDEN_ADDRESS in html
    assert '<a href="https://example.org/pad" rel="nofollow ugc">https://example.org/pad</a>.' in html
    html = comment_html("Zie https://example.org/?aan=anna@example.org nu")
    assert "anna@example.org" not in html and "<a " not in html
    assert html == f"<p>Zie https://example.org/?aan={HIDDEN_ADDRESS} nu</p>"
    assert "&lt;b&gt;" in comment_html("<b>a@example.org</b>")  # still escaped around it


def test_the_moderator_sees_the_address_marked():
    html = comment_html(TEXT, mark=True)
    assert f'<mark class="comment-address" title="Op de site: {HIDDEN_ADDRESS}">{ADDRESS}' in html
    assert "verborgen op de site" in html
    assert str(mark_addresses("<i>x@example.org</i>")).startswith("&lt;i&gt;<mark")


def test_the_article_page_and_the_feed_never_show_the_address(app, setup_data, client):
    with setup_data():
        article = make_article()
        make_comment(article, body=TEXT)
        slug = article.slug
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    assert HIDDEN_ADDRESS in html and "Groet, Jan" in html and ADDRESS not in html
    feed = client.get("/nieuws/feed.xml")
    assert feed.status_code == 200 and ADDRESS not in feed.get_data(as_text=True)


def test_the_reply_mail_hides_the_address(app_ctx, outbox):
    article = make_article()
    question = make_comment(article, author_email="vraag@voorbeeld.nl", notify_replies=True)
    reply = make_comment(article, parent=question, status="pending", body=TEXT)
    db.session.commit()
    services.approve_comment(reply)
    db.session.commit()
    [mail] = outbox("vraag@voorbeeld.nl")
    assert HIDDEN_ADDRESS in mail.body_text and "Groet, Jan" in mail.body_text
    assert ADDRESS not in mail.body_text and ADDRESS not in (mail.body_html or "")


def test_the_stored_comment_html_is_the_rendering_and_follows_an_edit(app_ctx):
    """Issue 18: the page shows a comment's HTML as stored on write; it is what comment_html()
    gives for its text (escaped, address hidden), also after staff edit the text, and also for
    a row inserted around the model (a bulk insert)."""
    from sqlalchemy import insert, select
    from sbo.news.models import Comment
    article = make_article()
    comment = make_comment(article, body=f"<b>Hoi</b> {TEXT}")
    db.session.commit()
    assert comment.body_html == str(comment_html(comment.body))
    assert "&lt;b&gt;Hoi&lt;/b&gt;" in comment.body_html and ADDRESS not in comment.body_html
    services.edit_comment(comment, body="Nieuw: <i>x@example.org</i>\n\nTweede alinea")
    db.session.commit()
    assert comment.body_html == str(comment_html("Nieuw: <i>x@example.org</i>\n\nTweede alinea"))
    assert comment.body_html == f"<p>Nieuw: &lt;i&gt;{HIDDEN_ADDRESS}&lt;/i&gt;</p><p>Tweede alinea</p>"
    now = comment.created_at
    db.session.execute(insert(Comment), [{
        "article_id": article.id, "depth": 1, "author_name": "Bulk", "author_email": "b@voorbeeld.nl",
        "body": "<u>x</u>", "status": "approved", "created_at": now, "status_changed_at": now}])
    assert db.session.scalar(select(Comment.body_html).where(Comment.author_name == "Bulk")) == \
        "<p>&lt;u&gt;x&lt;/u&gt;</p>"


def test_the_page_shows_the_stored_html_and_renders_a_row_without_it(app, setup_data, client):
    from sqlalchemy import update
    from sbo.news.models import Comment
    with setup_data():
        article = make_article()
        stored = make_comment(article, body="Opgeslagen <tekst>")
        missing = make_comment(article, body=f"Zonder opgeslagen HTML, {ADDRESS}")
        db.session.flush()
        db.session.execute(update(Comment).where(Comment.id == missing.id).values(body_html=None))
        slug = article.slug
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    assert '<div><p>Opgeslagen &lt;tekst&gt;</p></div>' in html
    assert f'<div><p>Zonder opgeslagen HTML, {HIDDEN_ADDRESS}</p></div>' in html
    assert ADDRESS not in html
