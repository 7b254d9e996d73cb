"""Moderators are mailed about a waiting comment; `flask purge-comments` cleans up old spam, trash
and IP addresses."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.clock import utcnow
from sbo.extensions import db
from sbo.mail import OutboxMessage
from sbo.news.models import Comment
from sbo.news.services import approve_comment
from sbo.staff.moderation_services import send_moderation_digest
from sbo.staff.services import moderator_addresses
from tests.factories import make_article, make_comment, make_staff
from tests.helpers import form_values


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, SITE_URL="https://www.sbo.example")


@pytest.fixture
def article(setup_data):
    with setup_data():
        slug = make_article(title="Nieuwe aanpak woonoverlast").slug
        make_staff("moderator", email="mo@sbo.example")
        make_staff("editor", email="ed@sbo.example")
        make_staff("admin", email="ad@sbo.example")
        make_staff("moderator", email="weg@sbo.example", active=False)
    return slug


def post_comment(client, slug, **fields):
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    data = {**form_values(client, html), "body": "Goed artikel, dank je wel.",
            "author_name": "Anna de Boer", "author_email": "anna@voorbeeld.nl", "author_url": "",
            "homepage": "", **fields}
    return client.post(f"/nieuws/{slug}/reageren", data=data)


def test_moderator_addresses_are_the_active_staff(app_ctx, article):
    assert moderator_addresses() == ["ad@sbo.example", "ed@sbo.example", "mo@sbo.example"]


def moderator_mails(outbox) -> list[OutboxMessage]:
    return [m for m in outbox() if m.to_addr.endswith("@sbo.example")]


def test_waiting_comments_reach_every_moderator_in_a_digest(app, client, runner, article, outbox):
    response = post_comment(client, article)
    assert response.status_code == 303
    with app.app_context():
        comment = db.session.scalars(select(Comment)).one()
        assert comment.status == "pending"
        comment_id = comment.id
    assert moderator_mails(outbox) == []  # not one mail per comment: the digest is sent with the mail
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    mails = moderator_mails(outbox)
    assert sorted(m.to_addr for m in mails) == ["ad@sbo.example", "ed@sbo.example", "mo@sbo.example"]
    for mail in mails:
        assert mail.status == "sent"
        assert mail.subject == "1 nieuwe reactie wacht op goedkeuring"
        assert "anna@voorbeeld.nl" not in mail.subject and "anna@voorbeeld.nl" not in mail.body_text
        assert "Bij “Nieuwe aanpak woonoverlast”, van Anna de Boer, ontvangen " in mail.body_text
        assert f"https://www.sbo.example/beheer/reacties/{comment_id}" in mail.body_text
        assert "Goed artikel, dank je wel." in mail.body_text
    runner.invoke(args=["send-mail"])
    assert len(moderator_mails(outbox)) == 3  # nothing new: no second digest


def test_held_reason_is_in_the_digest(app, client, article, outbox):
    post_comment(client, article, body="Kijk https://a.example https://b.example https://c.example")
    with app.app_context():
        assert send_moderation_digest() == 3
        db.session.commit()
    mails = moderator_mails(outbox)
    assert len(mails) == 3 and all("(reden: te veel links)" in m.body_text for m in mails)


def test_no_digest_for_published_spam_or_refused_comments(app, client, article, outbox):
    post_comment(client, article, author_email="vaste@voorbeeld.nl", author_name="Vaste Lezer")
    with app.app_context():
        approve_comment(db.session.scalars(select(Comment)).one())
        db.session.commit()
    post_comment(client, article, author_email="vaste@voorbeeld.nl", author_name="Vaste Lezer",
                 body="Weer ik")  # known in this browser: published at once
    post_comment(client, article, homepage="http://bot.example", body="Bot")  # honeypot: spam
    response = post_comment(client, article, author_name="")  # invalid: nothing stored
    assert response.status_code == 422
    with app.app_context():
        assert sorted(c.status for c in db.session.scalars(select(Comment))) == ["approved", "approved", "spam"]
        assert send_moderation_digest() == 0
        db.session.commit()
    assert moderator_mails(outbox) == []


def test_a_flood_of_100_comments_makes_one_moderator_mail_per_period(app, client, article, outbox):
    """Issue 12 item 9: 100 comments queued 300 moderator mails (one per comment per moderator).
    Now the send-mail run sends a digest at most once per COMMENT_DIGEST_MINUTES."""
    start = utcnow()
    for n in range(100):
        assert post_comment(client, article, body=f"Reactie nummer {n}",
                            author_email=f"lezer{n}@voorbeeld.nl").status_code == 303
        if n % 10 == 0:  # the send-mail loop runs meanwhile
            with app.app_context():
                send_moderation_digest(now=start + timedelta(seconds=n))
                db.session.commit()
    mails = moderator_mails(outbox)
    assert sorted(m.to_addr for m in mails) == ["ad@sbo.example", "ed@sbo.example", "mo@sbo.example"]
    assert mails[0].subject == "1 nieuwe reactie wacht op goedkeuring"
    with app.app_context():  # the next period: one more mail each, listing the other 99
        assert send_moderation_digest(now=start + timedelta(minutes=14)) == 0
        assert send_moderation_digest(now=start + timedelta(minutes=16)) == 3
        db.session.commit()
    mails = moderator_mails(outbox)
    assert len(mails) == 6 and mails[-1].subject == "99 nieuwe reacties wachten op goedkeuring"
    assert "En nog 49 meer." in mails[-1].body_text


def test_purge_comments_deletes_old_spam_and_trash_and_forgets_ips(app, setup_data, runner):
    long_ago, lately = utcnow() - timedelta(days=40), utcnow() - timedelta(days=10)
    with setup_data():
        article = make_article()
        old_spam = make_comment(article, "spam", now=long_ago, ip_address="192.0.2.1").id
        old_trash = make_comment(article, "trash", now=long_ago).id
        new_spam = make_comment(article, "spam", now=lately, ip_address="192.0.2.2").id
        old_ok = make_comment(article, "approved", now=long_ago, ip_address="192.0.2.3").id
        new_ok = make_comment(article, "pending", now=lately, ip_address="192.0.2.4").id
    result = runner.invoke(args=["purge-comments"])
    assert result.exit_code == 0, result.output
    assert ("2 spam/trash comments older than 30 days deleted; "
            "IP address forgotten on 1 comments older than 30 days.") in result.output
    with app.app_context():
        left = {c.id: c.ip_address for c in db.session.scalars(select(Comment))}
        assert left == {new_spam: "192.0.2.2", old_ok: None, new_ok: "192.0.2.4"}
        assert old_spam not in left and old_trash not in left
        entry = db.session.scalars(select(AuditEntry)).one()
        assert entry.action == "comment.purged" and entry.actor_id is None
    result = runner.invoke(args=["purge-comments", "--days", "5"])
    assert "1 spam/trash comments older than 5 days deleted" in result.output
    with app.app_context():
        assert db.session.get(Comment, new_spam) is None
    result = runner.invoke(args=["purge-comments", "--days", "0"])
    assert result.exit_code != 0
