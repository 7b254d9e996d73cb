"""sbo.news.queries: the moderation queue, comments by id, the digest, articles (the staff
article list and the dashboard's waiting comments: tests/staff/test_list_queries.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news import queries, services
from sbo.news.models import Article, CommentStatus
from tests.factories import make_article, make_comment


def test_moderation_queue_is_newest_first_per_status_with_search(app):
    with app.app_context():
        article = make_article(title="Over de Omgevingswet")
        now = utcnow()
        for n in range(3):
            make_comment(article, status="pending", body=f"Wachtend {n}", created_at=now - timedelta(minutes=10 - n))
        make_comment(article, status="spam", body="Koop 100% echte horloges")
        make_comment(article, status="spam", body="Koop 100 horloges")
        db.session.commit()
        rows, counts = queries.moderation_rows(CommentStatus.PENDING, None, 1, 2)
        assert [row.body for row in rows] == ["Wachtend 2", "Wachtend 1"] and counts[CommentStatus.PENDING] == 3
        assert rows[0].article_title == "Over de Omgevingswet"
        rows, _ = queries.moderation_rows(CommentStatus.PENDING, None, 2, 2)
        assert [row.body for row in rows] == ["Wachtend 0"]
        # % is matched as itself, not as "anything"; case-insensitive
        rows, _ = queries.moderation_rows(CommentStatus.SPAM, "100%", 1, 25)
        assert [row.body for row in rows] == ["Koop 100% echte horloges"]
        assert queries.search_count(CommentStatus.SPAM, "100%") == 1
        assert queries.search_count(CommentStatus.SPAM, "KOOP") == 2
        assert queries.search_count(CommentStatus.SPAM, "100_") == 0  # _ neither
        assert queries.moderation_rows(CommentStatus.APPROVED, None, 1, 25) == ([], None)
        assert queries.comment_counts()[CommentStatus.SPAM] == 2


def test_comments_by_ids_leaves_out_unknown_ids(app_ctx):
    article = make_article()
    first = make_comment(article, body="Eerste", created_at=utcnow() - timedelta(hours=1))
    second = make_comment(article, body="Tweede")
    db.session.commit()
    assert [c.body for c in queries.comments_by_ids([first.id, 10**9, second.id])] == ["Tweede", "Eerste"]
    assert queries.comments_by_ids([]) == []
    assert queries.comment_or_404(first.id).article.id == article.id
    with pytest.raises(NotFound):
        queries.comment_or_404(10**9)


def test_reply_count_counts_direct_replies(app_ctx):
    article = make_article()
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)
    make_comment(article, parent=reply)
    db.session.commit()
    assert queries.reply_count(parent) == 1


def test_digest_reads_what_was_claimed(app_ctx):
    article = make_article()
    make_comment(article, status="pending", body="Oud", created_at=utcnow() - timedelta(hours=2))
    make_comment(article, status="pending", body="Nieuw")
    make_comment(article, status="approved", body="Al goed")
    db.session.commit()
    assert queries.last_digest_at() is None
    now = utcnow().replace(microsecond=0)
    assert services.claim_for_digest(now) == 2
    assert services.claim_for_digest(now) == 0
    assert queries.last_digest_at() == now
    assert [c.body for c in queries.digest_comments(now, 10)] == ["Oud", "Nieuw"]
    assert [c.body for c in queries.digest_comments(now, 1)] == ["Oud"]


def test_article_lookups_and_choices(app_ctx):
    one = make_article(title="Een", published_at=utcnow() - timedelta(days=2))
    two = make_article(title="Twee", published_at=utcnow() - timedelta(days=1))
    db.session.commit()
    assert queries.article_choices() == [(two.id, "Twee"), (one.id, "Een")]
    assert queries.article_choices(leave_out=two) == [(one.id, "Een")]
    assert queries.article_choices(limit=1) == [(two.id, "Twee")]
    assert queries.article_or_404(one.id) is one
    assert queries.article_with_links(two.id).title == "Twee"
    for lookup in (queries.article_or_404, queries.article_with_links, queries.document_or_404):
        with pytest.raises(NotFound):
            lookup(10**9)
    assert isinstance(one, Article)
