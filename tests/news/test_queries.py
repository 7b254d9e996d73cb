"""sbo.news.queries: the moderation queue, comments by id, the digest, the staff article list."""
from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news import queries, services
from sbo.news.models import Article, ArticleStatus, CommentStatus
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
        page = queries.moderation_queue(CommentStatus.PENDING, per_page=2)
        assert [c.body for c in page.items] == ["Wachtend 2", "Wachtend 1"] and page.total == 3
        assert page.items[0].article.title == "Over de Omgevingswet"
        # % is matched as itself, not as "anything"
        assert [c.body for c in queries.moderation_queue(search="100%").items] == ["Koop 100% echte horloges"]
        assert queries.comment_counts()[CommentStatus.SPAM] == 2
        assert [c.body for c in queries.latest_comments(CommentStatus.PENDING, 1)] == ["Wachtend 2"]


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


def test_staff_articles_drafts_first_then_newest_with_filters(app):
    with app.app_context():
        now = utcnow()
        make_article(title="Oud nieuws", published_at=now - timedelta(days=9))
        make_article(title="Vers nieuws", published_at=now - timedelta(days=1))
        make_article(title="Straks", published_at=now + timedelta(days=3))
        make_article(title="Concept_A", published_at=None)
        db.session.commit()
        titles = lambda page: [a.title for a in page.items]  # noqa: E731
        assert titles(queries.staff_articles(now=now)) == ["Concept_A", "Straks", "Vers nieuws", "Oud nieuws"]
        assert titles(queries.staff_articles(status=ArticleStatus.DRAFT, now=now)) == ["Concept_A"]
        assert titles(queries.staff_articles(status=ArticleStatus.SCHEDULED, now=now)) == ["Straks"]
        assert titles(queries.staff_articles(status=ArticleStatus.PUBLISHED, now=now)) == ["Vers nieuws", "Oud nieuws"]
        assert titles(queries.staff_articles("NIEUWS", now=now)) == ["Vers nieuws", "Oud nieuws"]
        assert titles(queries.staff_articles("s_n", now=now)) == []  # _ is not a wildcard ("Vers nieuws")
        assert titles(queries.staff_articles("T_A", now=now)) == ["Concept_A"]
        assert titles(queries.staff_articles(per_page=3, page=2, now=now)) == ["Oud nieuws"]


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
