"""Moderators are mailed about a waiting comment; `flask purge-comments` cleans up old spam, trash
and IP addresses."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo.extensions import db
from sbo.mail import OutboxMessage, utcnow
from sbo.news.models import Comment
from sbo.staff.models import AuditEntry
from sbo.staff.services import moderator_addresses
from tests.conftest import csrf_from
from tests.factories import make_article, make_comment, make_staff


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, SITE_URL="https://www.sbo.example")


@pytest.fixture
def article(app):
    with app.app_context():
        slug = make_article(title="Nieuwe aanpak woonoverlast").slug
        make_staff("moderator", email="mo@sbo.example")
        make_staff("editor", email="ed@sbo.example")
        make_staff("admin", email="ad@sbo.example")
        make_staff("moderator", email="weg@sbo.example", active=False)
        db.session.commit()
    return slug


def post_comment(client, slug, **fields):
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]*)"', html).group(1)
    data = {"csrf_token": csrf_from(html), "started": started, "body": "Goed artikel, dank je wel.",
            "author_name": "Anna de Boer", "author_email": "anna@voorbeeld.nl", "author_url": "",
            "homepage": "", **fields}
    return client.post(f"/nieuws/{slug}/reageren", data=data)


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_moderator_addresses_are_the_active_staff(app, article):
    with app.app_context():
        assert moderator_addresses() == ["ad@sbo.example", "ed@sbo.example", "mo@sbo.example"]


def test_a_waiting_comment_mails_every_moderator_once(app, client, article):
    response = post_comment(client, article)
    assert response.status_code == 303
    with app.app_context():
        comment = db.session.scalars(select(Comment)).one()
        assert comment.status == "pending"
        comment_id = comment.id
    mails = outbox(app)
    assert sorted(m.to_addr for m in mails) == ["ad@sbo.example", "ed@sbo.example", "mo@sbo.example"]
    for mail in mails:
        assert mail.subject == "Reactie wacht op goedkeuring: “Nieuwe aanpak woonoverlast”"
        assert "anna@voorbeeld.nl" not in mail.subject and "anna@voorbeeld.nl" not in mail.body_text
        assert "Van: Anna de Boer" in mail.body_text
        assert f"https://www.sbo.example/beheer/reacties/{comment_id}" in mail.body_text
        assert "Goed artikel, dank je wel." in mail.body_text


def test_held_reason_is_in_the_mail(app, client, article):
    post_comment(client, article, body="Kijk https://a.example https://b.example https://c.example")
    assert all("Reden: Te veel links" in m.body_text for m in outbox(app))


def test_no_mail_for_published_spam_or_refused_comments(app, client, article):
    with app.app_context():
        make_comment(make_article(), "approved", author_email="vaste@voorbeeld.nl")
        db.session.commit()
    post_comment(client, article, author_email="vaste@voorbeeld.nl", author_name="Vaste Lezer")  # known: published
    post_comment(client, article, homepage="http://bot.example", body="Bot")  # honeypot: spam
    response = post_comment(client, article, author_name="")  # invalid: nothing stored
    assert response.status_code == 422
    with app.app_context():
        assert sorted(c.status for c in db.session.scalars(select(Comment))) == ["approved", "approved", "spam"]
    assert outbox(app) == []


def test_purge_comments_deletes_old_spam_and_trash_and_forgets_ips(app, runner):
    long_ago, lately = utcnow() - timedelta(days=40), utcnow() - timedelta(days=10)
    with app.app_context():
        article = make_article()
        old_spam = make_comment(article, "spam", now=long_ago, ip_address="192.0.2.1").id
        old_trash = make_comment(article, "trash", now=long_ago).id
        new_spam = make_comment(article, "spam", now=lately, ip_address="192.0.2.2").id
        old_ok = make_comment(article, "approved", now=long_ago, ip_address="192.0.2.3").id
        new_ok = make_comment(article, "pending", now=lately, ip_address="192.0.2.4").id
        db.session.commit()
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
