"""The moderation tabs' counts are kept by triggers (sbo/news/status_counts.py): they match a
real count after every kind of change, whoever makes it."""
from __future__ import annotations

from sqlalchemy import delete, func, select, text, update

from sbo.extensions import db
from sbo.news import queries
from sbo.news.models import Article, Comment, CommentStatus
from sbo.news.status_counts import recount
from tests.factories import make_article, make_comment


def kept_and_counted() -> tuple[dict, dict]:
    kept = {status.value: n for status, n in queries.comment_counts().items() if n}
    counted = dict(db.session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all())
    return kept, counted


def test_counts_follow_inserts_status_changes_and_deletes(app_ctx):
    article, other = make_article(), make_article()
    first = make_comment(article, "pending")
    make_comment(article, "approved", parent=make_comment(article, "approved"))
    make_comment(other, "spam")
    make_comment(other, "pending")
    db.session.commit()
    kept, counted = kept_and_counted()
    assert kept == counted == {"pending": 2, "approved": 2, "spam": 1}

    first.status = CommentStatus.APPROVED  # through the ORM, as moderation does
    db.session.execute(update(Comment).where(Comment.status == CommentStatus.SPAM)
                       .values(status=CommentStatus.TRASH))  # in bulk
    db.session.commit()
    kept, counted = kept_and_counted()
    assert kept == counted == {"pending": 1, "approved": 3, "trash": 1}

    db.session.execute(delete(Article).where(Article.id == article.id))  # ON DELETE CASCADE
    db.session.execute(text("DELETE FROM comment WHERE status = 'trash'"))
    db.session.commit()
    kept, counted = kept_and_counted()
    assert kept == counted == {"pending": 1}


def test_a_rolled_back_change_leaves_the_counts(app_ctx):
    make_comment(make_article(), "pending")
    db.session.commit()
    make_comment(make_article(), "pending")
    db.session.rollback()
    assert queries.comment_counts()[CommentStatus.PENDING] == 1


def test_recount_repairs_counts(app_ctx):
    make_comment(make_article(), "approved")
    db.session.commit()
    db.session.execute(text("UPDATE comment_status_count SET n = 99"))
    recount(db.session.connection())
    db.session.commit()
    kept, counted = kept_and_counted()
    assert kept == counted == {"approved": 1}


def test_the_moderation_page_total_comes_from_the_kept_count(app_ctx):
    article = make_article()
    for _ in range(3):
        make_comment(article, "pending")
    db.session.commit()
    rows, counts = queries.moderation_rows(CommentStatus.PENDING, None, 1, 2)
    assert (counts[CommentStatus.PENDING], len(rows)) == (3, 2) and sum(counts.values()) == 3
    assert queries.search_count(CommentStatus.PENDING, "nummer") == 3
    db.session.execute(text("UPDATE comment_status_count SET n = 99 WHERE status = 'pending'"))
    assert queries.moderation_rows(CommentStatus.PENDING, None, 1, 2)[1][CommentStatus.PENDING] == 99
