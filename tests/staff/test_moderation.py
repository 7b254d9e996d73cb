"""The moderation queue /beheer/reacties: tabs and counts, search, actions per comment and in bulk,
each with its audit entry; bad input and unknown ids."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.clock import utcnow
from sbo.extensions import db
from sbo.mail import OutboxMessage
from sbo.news.models import Comment
from tests.factories import make_article, make_comment
from tests.helpers import csrf_from

from tests.staff.helpers import audit_actions


def statuses(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(Comment.id, Comment.status)).all())


@pytest.fixture
def queue(setup_data):
    """An article with comments in every status; returns their ids by name."""
    with setup_data():
        article = make_article(title="Nieuwe aanpak woonoverlast")
        now = utcnow()
        ids = {
            "pending": make_comment(article, "pending", author_name="Piet Wachter",
                                    author_email="piet@voorbeeld.nl", body="Graag meer uitleg over de wijkaanpak.",
                                    ip_address="192.0.2.7", held_reason="links",
                                    author_url="https://piet.example", now=now - timedelta(hours=2)).id,
            "pending2": make_comment(article, "pending", author_name="Sara Snel", body="Eerste!",
                                     held_reason="flood", now=now - timedelta(hours=1)).id,
            "approved": make_comment(article, "approved", author_name="Anna Goed", body="Helder verhaal.").id,
            "spam": make_comment(article, "spam", author_name="Casino Bot", body="Win nu", held_reason="woorden").id,
            "trash": make_comment(article, "trash", author_name="Oud Bericht", body="Dubbel geplaatst.").id,
        }
    return ids


def token(client, url="/beheer/reacties") -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def test_tabs_show_counts_and_the_pending_queue_with_staff_only_details(logged_in, queue):
    client, _ = logged_in("moderator")
    response = client.get("/beheer/reacties")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    for text, n in (("Wacht op goedkeuring", 2), ("Goedgekeurd", 1), ("Spam", 1), ("Prullenbak", 1)):
        assert re.search(rf'>{text} <span class="staff-tab-count">{n}</span>', html), text
    assert 'aria-current="page">Wacht op goedkeuring' in html
    assert "Piet Wachter" in html and "piet@voorbeeld.nl" in html and "IP 192.0.2.7" in html
    assert 'href="https://piet.example"' in html and "Nieuwe aanpak woonoverlast" in html
    assert "Te veel links" in html and "Veel reacties kort na elkaar" in html
    assert "Anna Goed" not in html and "Casino Bot" not in html
    # the newest first
    assert html.index("Sara Snel") < html.index("Piet Wachter")
    assert re.search(r"\d{1,2} \w+ 20\d\d om \d\d:\d\d", html)  # a Dutch date


@pytest.mark.parametrize("status,shown,hidden", [
    ("approved", "Anna Goed", "Piet Wachter"), ("spam", "Casino Bot", "Anna Goed"),
    ("trash", "Oud Bericht", "Casino Bot")])
def test_each_tab_lists_its_own_comments(logged_in, queue, status, shown, hidden):
    client, _ = logged_in("moderator")
    html = client.get(f"/beheer/reacties?status={status}").get_data(as_text=True)
    assert shown in html and hidden not in html


def test_unknown_tab_is_404(logged_in, queue):
    client, _ = logged_in("moderator")
    assert client.get("/beheer/reacties?status=alles").status_code == 404


def test_search_looks_in_text_name_and_email(logged_in, queue):
    client, _ = logged_in("moderator")
    for q in ("wijkaanpak", "wachter", "PIET@voorbeeld"):
        html = client.get(f"/beheer/reacties?q={q}").get_data(as_text=True)
        assert "Piet Wachter" in html and "Sara Snel" not in html, q
    html = client.get("/beheer/reacties?q=niets-te-vinden").get_data(as_text=True)
    assert "Geen reacties gevonden voor ‘niets-te-vinden’" in html


def test_queue_is_paginated(setup_data, logged_in):
    with setup_data():
        article = make_article()
        for i in range(30):
            make_comment(article, "pending", body=f"Bericht {i:02d}", now=utcnow() - timedelta(minutes=i))
    client, _ = logged_in("moderator")
    first = client.get("/beheer/reacties").get_data(as_text=True)
    assert "Bericht 00" in first and "Bericht 29" not in first
    assert 'href="/beheer/reacties?page=2&amp;na=' in first  # with where page 2 starts (sbo/paging.py)
    second = client.get("/beheer/reacties?page=2").get_data(as_text=True)
    assert "Bericht 29" in second and "Bericht 00" not in second


ACTION_CASES = [
    # start, url part, new status, audit code, flash
    ("pending", "goedkeuren", "approved", "comment.approved", "De reactie is goedgekeurd."),
    ("approved", "afkeuren", "pending", "comment.unapproved", "De reactie is teruggezet naar ‘Wacht op goedkeuring’."),
    ("pending", "spam", "spam", "comment.spam", "De reactie is als spam gemarkeerd."),
    ("spam", "geen-spam", "pending", "comment.not_spam", "De reactie is als geen spam gemarkeerd."),
    ("approved", "prullenbak", "trash", "comment.trashed", "De reactie is naar de prullenbak verplaatst."),
    ("trash", "terugzetten", "pending", "comment.restored", "De reactie is teruggezet uit de prullenbak."),
]


@pytest.mark.parametrize("start,slug,new,code,message", ACTION_CASES, ids=[c[1] for c in ACTION_CASES])
def test_each_action_changes_status_writes_audit_and_goes_back(app, logged_in, queue, start, slug, new, code,
                                                               message):
    client, user_id = logged_in("moderator")
    comment_id = queue[start]
    response = client.post(f"/beheer/reacties/{comment_id}/{slug}?status={start}&q=a&page=1",
                           data={"csrf_token": token(client)})
    assert response.status_code == 302
    expected = "/beheer/reacties?q=a" if start == "pending" else f"/beheer/reacties?status={start}&q=a"
    assert response.location == expected
    assert statuses(app)[comment_id] == new
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "comment")).one()
        assert (entry.action, entry.object_id, entry.actor_id) == (code, comment_id, user_id)
        assert "Nieuwe aanpak woonoverlast" in entry.description
    assert message in client.get(response.location).get_data(as_text=True)


def test_approving_mails_the_author_once(app, logged_in, queue):
    client, _ = logged_in("moderator")
    client.post(f"/beheer/reacties/{queue['pending']}/goedkeuren", data={"csrf_token": token(client)})
    with app.app_context():
        mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "piet@voorbeeld.nl")).all()
        assert len(mails) == 1 and "is geplaatst" in mails[0].subject


def test_an_action_that_does_not_apply_changes_nothing(app, logged_in, queue):
    client, _ = logged_in("moderator")
    response = client.post(f"/beheer/reacties/{queue['approved']}/goedkeuren?status=approved",
                           data={"csrf_token": token(client)}, follow_redirects=True)
    assert "Dat kan niet bij een reactie in ‘Goedgekeurd’" in response.get_data(as_text=True)
    assert audit_actions(app, "comment") == []


def test_delete_asks_first_then_deletes_with_replies(app, setup_data, logged_in, queue):
    with setup_data():
        parent = db.session.get(Comment, queue["approved"])
        reply_id = make_comment(parent.article, "approved", parent=parent).id
    client, user_id = logged_in("moderator")
    # from the trash tab the delete button is a link to a question
    html = client.get("/beheer/reacties?status=trash").get_data(as_text=True)
    assert f'href="/beheer/reacties/{queue["trash"]}/verwijderen?status=trash"' in html
    question = client.get(f"/beheer/reacties/{queue['approved']}/verwijderen?status=approved")
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert "Deze reactie definitief verwijderen?" in page and "Helder verhaal." in page
    assert statuses(app)[queue["approved"]] == "approved"  # asking changes nothing
    response = client.post(f"/beheer/reacties/{queue['approved']}/verwijderen?status=approved",
                           data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.location == "/beheer/reacties?status=approved"
    left = statuses(app)
    assert queue["approved"] not in left and reply_id not in left
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "comment.deleted")).one()
        assert entry.object_id == queue["approved"] and entry.actor_id == user_id
        # the article and the number of replies; the author's name stays out of the log
        assert entry.data["replies"] == 1 and "1 directe reactie" in entry.description
        assert "Anna Goed" not in str(entry.data) and "Anna Goed" not in entry.description
    assert "De reactie is definitief verwijderd." in client.get(response.location).get_data(as_text=True)


def test_actions_on_unknown_comments_are_404(logged_in):
    client, _ = logged_in("moderator")
    csrf = token(client)
    for slug in ("goedkeuren", "spam", "prullenbak", "verwijderen", "bewerken", "antwoorden"):
        assert client.post(f"/beheer/reacties/999/{slug}", data={"csrf_token": csrf}).status_code == 404, slug
    assert client.get("/beheer/reacties/999").status_code == 404
    assert client.get("/beheer/reacties/999/verwijderen").status_code == 404


def test_actions_need_the_csrf_token(app, logged_in, queue):
    client, _ = logged_in("moderator")
    response = client.post(f"/beheer/reacties/{queue['pending']}/goedkeuren")
    assert response.status_code == 400
    assert statuses(app)[queue["pending"]] == "pending"


# ---------------------------------------------------------------- bulk

def test_bulk_approve(app, logged_in, queue):
    client, user_id = logged_in("moderator")
    response = client.post("/beheer/reacties/bulk", data={
        "csrf_token": token(client), "action": "approve", "ids": [queue["pending"], queue["pending2"]]})
    assert response.status_code == 302 and response.location == "/beheer/reacties"
    now = statuses(app)
    assert now[queue["pending"]] == now[queue["pending2"]] == "approved"
    assert audit_actions(app, "comment") == ["comment.approved", "comment.approved"]
    html = client.get("/beheer/reacties").get_data(as_text=True)
    assert "2 reacties goedgekeurd." in html
    assert "Er wachten geen reacties op goedkeuring." in html


def test_bulk_skips_comments_the_action_does_not_apply_to(app, logged_in, queue):
    client, _ = logged_in("moderator")
    response = client.post("/beheer/reacties/bulk?status=spam", data={
        "csrf_token": token(client), "action": "not_spam", "ids": [queue["spam"], queue["approved"]]},
        follow_redirects=True)
    assert "1 reactie als geen spam gemarkeerd. 1 reactie overgeslagen" in response.get_data(as_text=True)
    assert statuses(app)[queue["approved"]] == "approved"
    assert audit_actions(app, "comment") == ["comment.not_spam"]


def test_bulk_without_selection_or_action_is_422_and_changes_nothing(app, logged_in, queue):
    client, _ = logged_in("moderator")
    csrf = token(client)
    response = client.post("/beheer/reacties/bulk", data={"csrf_token": csrf, "action": "approve"})
    assert response.status_code == 422
    assert "Kies eerst een of meer reacties" in response.get_data(as_text=True)
    response = client.post("/beheer/reacties/bulk", data={"csrf_token": csrf, "action": "opblazen",
                                                           "ids": [queue["pending"]]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies wat je met de gekozen reacties wilt doen." in html
    assert f'value="{queue["pending"]}" id="kies-{queue["pending"]}" form="bulk-form" checked' in html
    response = client.post("/beheer/reacties/bulk", data={"csrf_token": csrf, "action": "approve",
                                                           "ids": ["abc", "999"]})
    assert response.status_code == 422
    assert statuses(app)[queue["pending"]] == "pending"
    assert audit_actions(app, "comment") == []


def test_bulk_delete_asks_for_confirmation(app, logged_in, queue):
    client, _ = logged_in("moderator")
    ids = [queue["spam"], queue["trash"]]
    question = client.post("/beheer/reacties/bulk?status=spam",
                           data={"csrf_token": token(client), "action": "delete", "ids": ids})
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert "2 reacties definitief verwijderen?" in page and "Casino Bot" in page
    assert set(statuses(app)) >= set(ids)
    response = client.post("/beheer/reacties/bulk?status=spam", data={
        "csrf_token": csrf_from(page), "action": "delete", "ids": ids, "bevestigd": "1"})
    assert response.location == "/beheer/reacties?status=spam"
    assert not set(statuses(app)) & set(ids)
    assert audit_actions(app, "comment") == ["comment.deleted", "comment.deleted"]
    assert "2 reacties definitief verwijderd." in client.get(response.location).get_data(as_text=True)
