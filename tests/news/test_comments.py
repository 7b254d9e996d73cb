"""The comment form, threads, own pending comments, cookies, pagination and closing."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news.models import Comment, CommentStatus
from tests.factories import make_article, make_comment

from tests.helpers import comment_keys
from tests.news.helpers import comment_data, hidden_value


def stored(app) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def test_form_has_fields_privacy_line_and_required_markers(client, article):
    html = client.get(f"/nieuws/{article}").get_data(as_text=True)
    assert "Geef een reactie" in html
    assert re.search(r"Het e-mailadres wordt niet gepubliceerd\. Vereiste velden zijn gemarkeerd met "
                     r"<span class=\"req\">\*</span>", html)
    for name in ("body", "author_name", "author_email"):
        assert re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*required', html), name
    assert not re.search(r'<input[^>]*name="author_url"[^>]*required', html)
    for label in ("Reactie", "Naam", "E-mail", "Website"):
        assert f">{label}" in html
    assert 'name="remember"' in html and 'name="notify_replies"' in html


def test_missing_fields_rerender_with_errors_and_text_kept(app, client, article, post_comment):
    response = post_comment(client, article, body="Mijn mening blijft staan", author_name="",
                            author_email="geen-adres")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Controleer het formulier" in html
    assert 'href="#author_name"' in html and 'href="#author_email"' in html
    assert "Vul je naam in." in html and "Dit is geen geldig e-mailadres." in html
    assert "Mijn mening blijft staan" in html
    assert stored(app) == []


def test_new_comment_is_pending_and_only_its_author_sees_it(app, client, article, post_comment):
    response = post_comment(client, article, body="Wacht even op mij")
    assert response.status_code == 303
    assert "#reactie-" in response.headers["Location"]
    [comment] = stored(app)
    assert comment.status == CommentStatus.PENDING and comment.ip_address == "127.0.0.1"
    own = client.get(f"/nieuws/{article}").get_data(as_text=True)
    assert "Wacht even op mij" in own and "Je reactie wacht op goedkeuring" in own
    cookie = client.get_cookie("sbo_mijn_reacties")
    assert cookie.http_only and cookie.same_site == "Lax"
    stranger = app.test_client().get(f"/nieuws/{article}").get_data(as_text=True)
    assert "Wacht even op mij" not in stranger


def test_pending_cookie_cannot_be_forged(setup_data, client, article):
    with setup_data():
        from sbo.news.services import public_article
        other = make_comment(public_article(article), status="pending", body="Van iemand anders").id
    client.set_cookie("sbo_mijn_reacties", f"[{other}]")
    assert "Van iemand anders" not in client.get(f"/nieuws/{article}").get_data(as_text=True)


def test_remember_cookie_only_when_ticked_and_prefills(app, client, article, post_comment):
    post_comment(client, article, body="Eerste")
    assert client.get_cookie("sbo_reageerder") is None
    post_comment(client, article, body="Tweede", remember="y")
    cookie = client.get_cookie("sbo_reageerder")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert "anna@voorbeeld.nl" not in cookie.value and "anna" not in cookie.value
    html = client.get(f"/nieuws/{article}").get_data(as_text=True)
    assert 'value="anna@voorbeeld.nl"' in html and 'value="Anna de Boer"' in html
    post_comment(client, article, body="Derde")  # not ticked: forgotten again
    assert client.get_cookie("sbo_reageerder") is None


def test_plain_text_comment_keeps_lines_and_links_urls(setup_data, client, article):
    with setup_data():
        from sbo.news.services import public_article
        make_comment(public_article(article), body="Regel een\nRegel <b>twee</b>\nZie https://voorbeeld.nl/x.")
    html = client.get(f"/nieuws/{article}").get_data(as_text=True)
    assert "Regel een<br>Regel &lt;b&gt;twee&lt;/b&gt;<br>" in html
    assert '<a href="https://voorbeeld.nl/x" rel="nofollow ugc">https://voorbeeld.nl/x</a>.' in html


def test_replies_thread_to_depth_three(app, setup_data, client, article, post_comment):
    with setup_data():
        from sbo.news.services import public_article
        top = make_comment(public_article(article), body="Niveau een")
        second = make_comment(top.article, parent=top, body="Niveau twee")
        third = make_comment(top.article, parent=second, body="Niveau drie")
        ids = top.id, second.id, third.id
    html = client.get(f"/nieuws/{article}").get_data(as_text=True)
    assert f'href="/nieuws/{article}?antwoord={ids[0]}#reageer"' in html
    assert f'?antwoord={ids[1]}#reageer' in html and f'?antwoord={ids[2]}#reageer' not in html
    form_page = client.get(f"/nieuws/{article}?antwoord={ids[1]}").get_data(as_text=True)
    assert f'name="parent_id" type="hidden" value="{ids[1]}"' in form_page
    response = post_comment(client, article, page=f"/nieuws/{article}?antwoord={ids[1]}",
                            body="Antwoord op twee", parent_id=str(ids[1]))
    assert response.status_code == 303
    # a crafted reply to the deepest level joins that level instead of going deeper
    post_comment(client, article, body="Te diep", parent_id=str(ids[2]))
    replies = {c.body: c for c in stored(app)}
    assert replies["Antwoord op twee"].parent_id == ids[1] and replies["Antwoord op twee"].depth == 3
    assert replies["Te diep"].parent_id == ids[1] and replies["Te diep"].depth == 3


def test_reply_to_unapproved_comment_is_refused(setup_data, client, article, post_comment):
    with setup_data():
        from sbo.news.services import public_article
        hidden = make_comment(public_article(article), status="pending").id
    response = post_comment(client, article, body="Hallo", parent_id=str(hidden))
    assert response.status_code == 422
    assert "Je kunt niet op deze reactie antwoorden." in response.get_data(as_text=True)


def test_two_thousand_comments_are_paginated(make_app):
    app = make_app(COMMENT_THREADS_PER_PAGE=20, CACHE_ENABLED=False)  # count the render itself
    with app.app_context():
        article = make_article()
        now = utcnow() - timedelta(hours=1)
        rows = [Comment(article_id=article.id, depth=1, author_name=f"Lezer {i}",
                        author_email=f"l{i}@voorbeeld.nl", body=f"Reactie {i:04d}",
                        status=CommentStatus.APPROVED, created_at=now + timedelta(seconds=i),
                        status_changed_at=now) for i in range(2000)]
        db.session.add_all(rows)
        db.session.flush()
        for row in rows:
            row.thread_id = row.id
        make_comment(article, parent=rows[0], body="Antwoord op de eerste")
        db.session.commit()
        slug = article.slug
    client = app.test_client()
    statements: list[str] = []
    with app.app_context():  # this app's engine (the count_queries fixture counts another app's)
        engine = db.engine
    def count(*args) -> None:
        statements.append(args[2])
    event.listen(engine, "before_cursor_execute", count)
    first = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    cold = list(statements)
    statements.clear()
    again = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    event.remove(engine, "before_cursor_execute", count)
    # issue 18: the content generation, the article with both comment counts, its themes, its
    # documents, the page of threads with their replies, related offerings, related articles
    # (it was 11); then all of it from the content memo: at most the generation
    assert len(cold) == 7, cold
    assert len(statements) <= 1, statements
    assert again == first  # the page is the same for every reader: no token of theirs in it
    assert "Reactie 0000" in first and "Reactie 0019" in first and "Reactie 0020" not in first
    assert "Antwoord op de eerste" in first and "Reacties (2001)" in first
    last = client.get(f"/nieuws/{slug}?reacties=100").get_data(as_text=True)
    assert "Reactie 1999" in last
    assert client.get(f"/nieuws/{slug}?reacties=101").status_code == 404
    assert client.get(f"/nieuws/{slug}?reacties=x").status_code == 404


def test_comments_stay_open_by_default(app, setup_data, client):
    """Issue 11: no automatic close: an article of two years ago still takes comments."""
    assert app.config["COMMENTS_CLOSE_AFTER_DAYS"] is None
    with setup_data():
        make_article(slug="oud", published_at=utcnow() - timedelta(days=730))
    html = client.get("/nieuws/oud").get_data(as_text=True)
    assert "Geef een reactie" in html and "gesloten" not in html


def test_staff_closed_article_takes_no_comments(app, setup_data, client, post_comment):
    with setup_data():
        article = make_article(slug="dicht", comments_closed=True)
        make_comment(article, body="Oude reactie blijft zichtbaar")
        make_article(slug="open")
    html = client.get("/nieuws/dicht").get_data(as_text=True)
    assert "De reacties bij dit artikel zijn gesloten." in html and "Geef een reactie" not in html
    assert "Oude reactie blijft zichtbaar" in html
    response = post_comment(client, "dicht", page="/nieuws/open", body="Toch nog iets")
    assert response.status_code == 422
    assert "De reacties bij dit artikel zijn gesloten." in response.get_data(as_text=True)
    assert [c.body for c in stored(app)] == ["Oude reactie blijft zichtbaar"]


def test_comments_close_after_configured_days(make_app):
    app = make_app(COMMENTS_CLOSE_AFTER_DAYS=10, COMMENT_MIN_SECONDS=0)
    with app.app_context():
        old = make_article(slug="oud", published_at=utcnow() - timedelta(days=11))
        make_article(slug="langer-open", published_at=utcnow() - timedelta(days=11), comments_open_days=30)
        make_article(slug="kort-open", published_at=utcnow() - timedelta(days=2), comments_open_days=1)
        make_comment(old, body="Oude reactie blijft zichtbaar")
        db.session.commit()
    client = app.test_client()
    closed = client.get("/nieuws/oud").get_data(as_text=True)
    assert "De reacties bij dit artikel zijn gesloten." in closed and "Geef een reactie" not in closed
    assert "Oude reactie blijft zichtbaar" in closed
    assert "Geef een reactie" in client.get("/nieuws/langer-open").get_data(as_text=True)
    assert "Geef een reactie" not in client.get("/nieuws/kort-open").get_data(as_text=True)
    response = client.post("/nieuws/oud/reageren", data={**comment_keys(client), **comment_data()})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Comment).where(Comment.author_email == "anna@voorbeeld.nl")) is None


def test_post_without_csrf_is_refused(app, client, article):
    response = client.post(f"/nieuws/{article}/reageren", data=comment_data())
    assert response.status_code == 400
    assert stored(app) == []


def test_the_article_page_holds_no_token_and_sets_no_cookie(app, client, article):
    """The page is the same for every reader: the comment form's values are fetched by its
    script (comment_keys), so reading an article starts no session."""
    response = client.get(f"/nieuws/{article}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert hidden_value(html, "csrf_token") == "" and hidden_value(html, "started") == ""
    assert 'data-form-keys="/nieuws/reactieformulier.json"' in html
    assert '<script src="/static/js/comment-form.js" defer></script>' in html
    keys = client.get("/nieuws/reactieformulier.json")
    assert keys.status_code == 200 and keys.mimetype == "application/json"
    assert keys.headers["Cache-Control"] == "private, no-store"
    assert "session=" in keys.headers["Set-Cookie"]  # the token belongs to this new session
    assert set(keys.get_json()) == {"csrf_token", "started"} and all(keys.get_json().values())


def test_without_a_script_the_comment_comes_back_to_be_sent_again(app, client, article):
    """No script, so no token: the form returns with what was typed and the values filled in,
    nothing is stored; sending it again (as the browser does) places the comment once."""
    client.get(f"/nieuws/{article}")
    typed = comment_data(body="Zonder script <geschreven>", author_name="Piet")
    first = client.post(f"/nieuws/{article}/reageren", data={"csrf_token": "", "started": "", **typed},
                        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"})
    html = first.get_data(as_text=True)
    assert first.status_code == 400 and stored(app) == []
    assert "Je reactie is nog niet geplaatst" in html
    assert "Zonder script &lt;geschreven&gt;</textarea>" in html and 'value="Piet"' in html
    assert 'aria-invalid' not in html  # nothing the reader typed was wrong
    again = client.post(f"/nieuws/{article}/reageren", data={
        "csrf_token": hidden_value(html, "csrf_token"), "started": hidden_value(html, "started"),
        **typed})
    assert again.status_code == 303
    assert [(c.body, c.author_name) for c in stored(app)] == [("Zonder script <geschreven>", "Piet")]


def test_a_form_with_errors_and_no_token_shows_both(app, client, article):
    response = client.post(f"/nieuws/{article}/reageren",
                           data={**comment_data(author_email="geen-adres"), "csrf_token": "vals"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and stored(app) == []
    assert "Je reactie is nog niet geplaatst" in html and 'aria-invalid="true"' in html
    assert hidden_value(html, "csrf_token") not in ("", "vals")


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://elders.example"}])
def test_a_cross_site_post_is_not_turned_into_a_filled_in_form(app, client, article, headers):
    response = client.post(f"/nieuws/{article}/reageren",
                           data=comment_data(body="Ondergeschoven tekst"), headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and stored(app) == []
    assert "Het formulier is verlopen of ongeldig" in html and "Ondergeschoven tekst" not in html


def test_comment_link_redirects_to_its_page(make_app):
    app = make_app(COMMENT_THREADS_PER_PAGE=2)
    with app.app_context():
        article = make_article()
        comments = [make_comment(article, created_at=utcnow() - timedelta(minutes=10 - i)) for i in range(5)]
        hidden = make_comment(article, status="pending")
        db.session.commit()
        slug, last, hidden_id = article.slug, comments[4].id, hidden.id
    client = app.test_client()
    response = client.get(f"/nieuws/{slug}/reacties/{last}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/nieuws/{slug}?reacties=3#reactie-{last}")
    assert client.get(f"/nieuws/{slug}/reacties/{hidden_id}").status_code == 404


def test_after_posting_the_author_lands_on_the_page_of_their_comment(make_app, post_comment):
    """The threads before a new comment: the approved ones and the author's own pending ones,
    not someone else's pending one (two threads a page)."""
    app = make_app(COMMENT_THREADS_PER_PAGE=2, COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)
    with app.app_context():
        article = make_article()
        for i in range(3):
            make_comment(article, created_at=utcnow() - timedelta(minutes=10 - i))
        make_comment(article, status="pending", created_at=utcnow() - timedelta(minutes=5))
        db.session.commit()
        slug = article.slug
    client = app.test_client()
    first = post_comment(client, slug, body="Mijn eerste reactie")
    second = post_comment(client, slug, body="En nog een tweede")
    with app.app_context():
        ids = {c.body: c.id for c in db.session.scalars(select(Comment).where(Comment.author_email == comment_data()["author_email"]))}
    assert first.headers["Location"].endswith(f"/nieuws/{slug}?reacties=2#reactie-{ids['Mijn eerste reactie']}")
    assert second.headers["Location"].endswith(f"/nieuws/{slug}?reacties=3#reactie-{ids['En nog een tweede']}")


def test_reply_notification_choice_is_stored(app, client, article, post_comment):
    post_comment(client, article, body="Laat het me weten", notify_replies="y")
    post_comment(client, article, body="Hoeft niet", author_email="b@voorbeeld.nl")
    assert [c.notify_replies for c in stored(app)] == [True, False]


def test_replies_are_nested_in_their_parents_item(app, setup_data, client):
    """Issue 18: the thread is drawn by a loop over the comments in order, not by recursion;
    each reply still sits in a list inside its parent's item, at every depth."""
    with setup_data():
        article = make_article()
        first = make_comment(article)
        reply = make_comment(article, parent=first)
        deeper = make_comment(article, parent=reply)
        second_reply = make_comment(article, parent=first)
        second = make_comment(article)
        ids = [c.id for c in (first, reply, deeper, second_reply, second)]
        slug = article.slug
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    section = html[html.index('id="reacties"'):html.index('id="reageer"')]
    tags = re.findall(r'<li(?: class="[^"]*")? id="reactie-(\d+)"|(<ol class="comment-replies">)|(</ol>)|(</li>)',
                      section)
    shown = [f"li{m[0]}" if m[0] else m[1] and "ol" or m[2] or m[3] for m in tags]
    a, b, c, d, e = ids
    assert shown == [f"li{a}", "ol", f"li{b}", "ol", f"li{c}", "</li>", "</ol>", "</li>",
                     f"li{d}", "</li>", "</ol>", "</li>", f"li{e}", "</li>", "</ol>"]
