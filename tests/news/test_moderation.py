"""Moderation services for the staff area: status changes, mail, replies, search, purge, IPs."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.mail import OutboxMessage
from sbo.news import queries, services
from sbo.news.models import Comment, CommentStatus
from tests.factories import make_article, make_comment


def test_status_changes(app_ctx):
    comment = make_comment(make_article(), status="pending", held_reason="links")
    for action, expected in [(services.approve_comment, "approved"),
                             (services.unapprove_comment, "pending"),
                             (services.mark_spam, "spam"), (services.mark_not_spam, "pending"),
                             (services.trash_comment, "trash"), (services.restore_comment, "pending")]:
        action(comment)
        db.session.commit()
        assert db.session.get(Comment, comment.id).status == CommentStatus(expected)
    assert comment.held_reason is None


def test_approval_mails_author_once_with_link(app, client, outbox):
    with app.app_context():
        article = make_article(title="Over veiligheid")
        comment = make_comment(article, status="pending", author_email="auteur@voorbeeld.nl")
        services.approve_comment(comment)
        services.unapprove_comment(comment)
        services.approve_comment(comment)
        db.session.commit()
        [mail] = outbox()
        assert mail.to_addr == "auteur@voorbeeld.nl" and "Over veiligheid" in mail.subject
        link = f"http://localhost/nieuws/{article.slug}/reacties/{comment.id}"
        assert link in mail.body_text
        path = link.removeprefix("http://localhost")
    assert client.get(path).status_code == 302


def test_reply_notification_only_when_asked(app_ctx, outbox):
    article = make_article()
    wants = make_comment(article, author_email="wil@voorbeeld.nl", notify_replies=True)
    silent = make_comment(article, author_email="stil@voorbeeld.nl", notify_replies=False)
    reply_1 = make_comment(article, parent=wants, status="pending", author_email="x@voorbeeld.nl")
    reply_2 = make_comment(article, parent=silent, status="pending", author_email="y@voorbeeld.nl")
    db.session.commit()
    assert outbox() == []  # nothing while the replies wait
    services.approve_comment(reply_1)
    services.approve_comment(reply_2)
    services.unapprove_comment(reply_1)
    services.approve_comment(reply_1)
    db.session.commit()
    recipients = sorted(m.to_addr for m in outbox())
    assert recipients == ["wil@voorbeeld.nl", "x@voorbeeld.nl", "y@voorbeeld.nl"]


def test_staff_reply_is_published_at_once(app, client, outbox):
    with app.app_context():
        article = make_article()
        question = make_comment(article, status="pending", notify_replies=True,
                                author_email="vraag@voorbeeld.nl")
        reply = services.staff_reply(question, body="Dank je, we passen het aan.",
                                     author_name="Redactie SBO", author_email="redactie@sbo.example")
        db.session.commit()
        assert reply.status == CommentStatus.APPROVED and reply.is_staff and reply.depth == 2
        assert question.status == CommentStatus.APPROVED
        assert sorted(m.to_addr for m in outbox()) == ["vraag@voorbeeld.nl", "vraag@voorbeeld.nl"]
        slug = article.slug
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    assert "Dank je, we passen het aan." in html and "comment-staff" in html


def test_edit_and_delete_with_replies(app_ctx):
    article = make_article()
    top = make_comment(article)
    make_comment(article, parent=top)
    other = make_comment(article)
    services.edit_comment(other, body="Nieuwe tekst", author_name="Nieuwe naam")
    services.delete_comment(top)
    db.session.commit()
    rows = list(db.session.scalars(select(Comment)))
    assert [(c.body, c.author_name) for c in rows] == [("Nieuwe tekst", "Nieuwe naam")]
    assert rows[0].edited_at is not None


def test_search_list_and_counts(app):
    with app.app_context():
        article = make_article()
        for i in range(3):
            make_comment(article, status="pending", body=f"Wachtend {i}")
        make_comment(article, status="spam", body="Koop nu")
        make_comment(article, status="approved", body="Mooi stuk", author_name="Karin")
        db.session.commit()
        counts = queries.comment_counts()
        assert counts == {CommentStatus.PENDING: 3, CommentStatus.APPROVED: 1,
                          CommentStatus.SPAM: 1, CommentStatus.TRASH: 0}
        rows, kept = queries.moderation_rows(CommentStatus.PENDING, None, 1, 2)
        assert kept == counts and len(rows) == 2
        rows, _ = queries.moderation_rows(CommentStatus.APPROVED, "karin", 1, 25)
        assert [row.body for row in rows] == ["Mooi stuk"]
        assert queries.moderation_rows(CommentStatus.PENDING, "karin", 1, 25) == ([], None)
        assert queries.search_count(CommentStatus.APPROVED, "karin") == 1


def test_purge_old_spam_and_trash(app_ctx):
    article = make_article()
    old = utcnow() - timedelta(days=40)
    old_spam = make_comment(article, status="spam", status_changed_at=old)
    old_trash = make_comment(article, status="trash", status_changed_at=old)
    make_comment(article, status="spam")
    make_comment(article, status="approved", status_changed_at=old)
    db.session.commit()
    assert services.purge_comments(older_than_days=30) == 2
    db.session.commit()
    left = {c.id for c in db.session.scalars(select(Comment))}
    assert old_spam.id not in left and old_trash.id not in left and len(left) == 2


def test_forget_ips_after_thirty_days(app_ctx):
    article = make_article()
    old = make_comment(article, ip_address="10.1.1.1", created_at=utcnow() - timedelta(days=31))
    new = make_comment(article, ip_address="10.2.2.2")
    db.session.commit()
    assert services.forget_ips(older_than_days=30) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Comment, old.id).ip_address is None
    assert db.session.get(Comment, new.id).ip_address == "10.2.2.2"
