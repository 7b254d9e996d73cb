"""A comment's page in /beheer: details, actions, edit, reply as staff, history; the dashboard's
"Reacties in afwachting" and the audit log links."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sbo.extensions import db
from sbo.news.models import Comment
from tests.conftest import csrf_from
from tests.factories import make_article, make_comment

from .conftest import audit_actions


@pytest.fixture
def comment_id(setup_data):
    with setup_data():
        article = make_article(title="Nieuwe aanpak woonoverlast", slug="woonoverlast")
        comment = make_comment(article, "pending", author_name="Piet Wachter", author_email="piet@voorbeeld.nl",
                               body="Graag meer uitleg.\n\nOver de wijkaanpak.", ip_address="192.0.2.7",
                               held_reason="dubbel")
        return comment.id


def load(app, comment_id: int) -> Comment | None:
    with app.app_context():
        return db.session.get(Comment, comment_id)


def test_detail_shows_the_comment_actions_and_empty_history(logged_in, comment_id):
    client, _ = logged_in("moderator")
    response = client.get(f"/beheer/reacties/{comment_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<h1>Reactie van Piet Wachter" in html
    for text in ("Wacht op goedkeuring", "piet@voorbeeld.nl", "192.0.2.7", "Zelfde tekst als een andere reactie",
                 "<p>Graag meer uitleg.</p><p>Over de wijkaanpak.</p>", 'href="/nieuws/woonoverlast"',
                 "Geschiedenis", "Nog geen wijzigingen vastgelegd.", "Antwoord plaatsen", "Wijzigingen opslaan"):
        assert text in html, text
    assert f'action="/beheer/reacties/{comment_id}/goedkeuren?status=pending&amp;van=detail"' in html


def test_action_from_the_detail_page_returns_there_and_shows_in_history(app, logged_in, comment_id):
    client, _ = logged_in("moderator")
    page = client.get(f"/beheer/reacties/{comment_id}").get_data(as_text=True)
    response = client.post(f"/beheer/reacties/{comment_id}/goedkeuren?status=pending&van=detail",
                           data={"csrf_token": csrf_from(page)})
    assert response.location == f"/beheer/reacties/{comment_id}"
    html = client.get(response.location).get_data(as_text=True)
    assert "De reactie is goedgekeurd." in html
    history = html[html.index('id="geschiedenis"'):]
    assert "Reactie goedgekeurd" in history and "Medewerker" in history
    assert re.search(r"\d{1,2} \w+ 20\d\d om \d\d:\d\d", history)


def test_edit_changes_the_comment_and_records_what_changed(app, logged_in, comment_id, post_form):
    client, _ = logged_in("moderator")
    url = f"/beheer/reacties/{comment_id}"
    response = post_form(client, f"{url}/bewerken", {
        "body": "Graag meer uitleg over de wijkaanpak.", "author_name": "Piet Wachter",
        "author_email": "piet@voorbeeld.nl", "author_url": "https://piet.example"}, page=url)
    assert response.status_code == 302 and response.location == url
    comment = load(app, comment_id)
    assert comment.body == "Graag meer uitleg over de wijkaanpak." and comment.author_url == "https://piet.example"
    assert comment.edited_at is not None and comment.status == "pending"
    html = client.get(url).get_data(as_text=True)
    assert "De reactie is bijgewerkt." in html and "Gewijzigd: tekst, website" in html
    assert audit_actions(app, "comment", comment_id) == ["comment.edited"]


def test_invalid_edit_is_422_keeps_input_and_changes_nothing(app, logged_in, comment_id, post_form):
    client, _ = logged_in("moderator")
    url = f"/beheer/reacties/{comment_id}"
    response = post_form(client, f"{url}/bewerken", {
        "body": "Nieuwe tekst die blijft staan", "author_name": " ", "author_email": "geen-adres",
        "author_url": "javascript:alert(1)"}, page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Controleer het formulier" in html
    for message in ("Vul de naam in.", "Dit is geen geldig e-mailadres.", "Dit is geen geldig webadres"):
        assert message in html, message
    assert "Nieuwe tekst die blijft staan" in html
    assert load(app, comment_id).body == "Graag meer uitleg.\n\nOver de wijkaanpak."
    assert audit_actions(app, "comment") == []


def test_staff_reply_is_published_at_once_and_approves_the_comment(app, logged_in, comment_id, post_form):
    client, _ = logged_in("moderator")
    url = f"/beheer/reacties/{comment_id}"
    response = post_form(client, f"{url}/antwoorden", {"reply": "Dank je, we werken het artikel bij."}, page=url)
    assert response.status_code == 302 and response.location == url
    with app.app_context():
        parent = db.session.get(Comment, comment_id)
        reply = db.session.scalars(select(Comment).where(Comment.parent_id == comment_id)).one()
        assert parent.status == reply.status == "approved" and reply.is_staff
        assert reply.author_name.startswith("Medewerker")
    assert audit_actions(app, "comment", comment_id) == ["comment.approved", "comment.replied"]
    assert "Je antwoord is geplaatst." in client.get(url).get_data(as_text=True)
    public = app.test_client().get("/nieuws/woonoverlast").get_data(as_text=True)
    assert "Dank je, we werken het artikel bij." in public and "Graag meer uitleg." in public


def test_empty_reply_is_422_and_spam_cannot_be_answered(app, logged_in, comment_id, post_form):
    client, _ = logged_in("moderator")
    url = f"/beheer/reacties/{comment_id}"
    response = post_form(client, f"{url}/antwoorden", {"reply": "   "}, page=url)
    assert response.status_code == 422 and "Vul je antwoord in." in response.get_data(as_text=True)
    with app.app_context():
        db.session.get(Comment, comment_id).status = "spam"
        db.session.commit()
    response = post_form(client, f"{url}/antwoorden", {"reply": "Toch antwoorden"}, page=url)
    assert response.status_code == 422
    assert "Op een reactie in spam of de prullenbak kun je niet antwoorden." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Comment).where(Comment.parent_id == comment_id)).all() == []
    assert load(app, comment_id).status == "spam"
    assert audit_actions(app, "comment") == []


def test_dashboard_lists_the_five_newest_waiting_comments(setup_data, logged_in):
    client, _ = logged_in("moderator")
    assert "Er wachten geen reacties op goedkeuring." in client.get("/beheer/").get_data(as_text=True)
    with setup_data():
        article = make_article(title="Woonoverlast")
        ids = [make_comment(article, "pending", author_name=f"Schrijver {i}").id for i in range(7)]
        make_comment(article, "approved", author_name="Al Goedgekeurd")
    html = client.get("/beheer/").get_data(as_text=True)
    section = html[html.index('id="reacties-afwachting"'):html.index('id="komende-edities"')]
    assert '<span class="staff-stat-number">7</span> reacties wachten op goedkeuring' in section
    assert section.count('href="/beheer/reacties/') == 5
    assert f'href="/beheer/reacties/{ids[-1]}"' in section and f'href="/beheer/reacties/{ids[0]}"' not in section
    assert "Al Goedgekeurd" not in section
    assert 'href="/beheer/reacties"' in section


def test_audit_log_links_to_the_comment(app, logged_in, comment_id):
    moderator, _ = logged_in("moderator")
    page = moderator.get(f"/beheer/reacties/{comment_id}").get_data(as_text=True)
    moderator.post(f"/beheer/reacties/{comment_id}/spam", data={"csrf_token": csrf_from(page)})
    admin, _ = logged_in("admin")
    html = admin.get("/beheer/logboek").get_data(as_text=True)
    assert "Reactie als spam gemarkeerd" in html
    assert f'<a href="/beheer/reacties/{comment_id}">Reactie #{comment_id}</a>' in html
