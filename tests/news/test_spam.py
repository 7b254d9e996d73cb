"""Spam defences: honeypot, minimum time, flood, duplicates, links, words, known authors, rate limit."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news.comments import edit_comment
from sbo.news.models import Article, Comment, CommentStatus
from tests.factories import make_article, make_comment

from tests.helpers import comment_keys
from tests.news.helpers import comment_data


def only(app) -> Comment:
    with app.app_context():
        return db.session.scalars(select(Comment)).one()


def all_comments(app) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def test_honeypot_goes_to_spam(app, client, article, post_comment):
    assert post_comment(client, article, homepage="http://spam.example").status_code == 303
    comment = only(app)
    assert (comment.status, comment.held_reason) == (CommentStatus.SPAM, "honeypot")
    assert "Goed artikel" not in client.get(f"/nieuws/{article}").get_data(as_text=True)


def test_missing_or_forged_timestamp_goes_to_spam(app, client, article):
    client.post(f"/nieuws/{article}/reageren",
                data={**comment_keys(client), "started": "1700000000.vals", **comment_data()})
    assert (only(app).status, only(app).held_reason) == (CommentStatus.SPAM, "formulier")


def test_too_fast_is_held(make_app, post_comment):
    app = make_app(COMMENT_MIN_SECONDS=60, COMMENT_FLOOD_SECONDS=0)
    with app.app_context():
        slug = make_article().slug
        db.session.commit()
    post_comment(app.test_client(), slug)
    assert (only(app).status, only(app).held_reason) == (CommentStatus.PENDING, "snel")


def test_slow_enough_passes_the_timer(make_app):
    app = make_app(COMMENT_MIN_SECONDS=5, COMMENT_FLOOD_SECONDS=0)
    with app.app_context():
        from sbo.news import spam
        token = spam.form_token(utcnow() - timedelta(seconds=30))
        assert spam.form_age(token, utcnow()) >= 30
        assert spam.form_age(token + "x", utcnow()) is None


@pytest.mark.parametrize("same", ["ip", "email"])
def test_flood_by_ip_or_email_is_held(make_app, post_comment, same):
    app = make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=60)
    with app.app_context():
        article = make_article()
        make_comment(article, status="approved", body="Eerder",
                     author_email="anna@voorbeeld.nl" if same == "email" else "ander@voorbeeld.nl",
                     ip_address="127.0.0.1" if same == "ip" else "10.0.0.9")
        db.session.commit()
        slug = article.slug
    post_comment(app.test_client(), slug, body="Snel nog een")
    held = all_comments(app)[-1]
    assert (held.status, held.held_reason) == (CommentStatus.PENDING, "flood")


def test_duplicate_by_same_author_is_refused(app, client, article, post_comment):
    post_comment(client, article, body="Precies dit")
    response = post_comment(client, article, body="Precies dit")
    assert response.status_code == 422
    assert "Deze reactie heb je al geplaatst." in response.get_data(as_text=True)
    assert len(all_comments(app)) == 1


def test_duplicate_text_from_another_address_is_held(app, client, article, post_comment):
    post_comment(client, article, body="Kopieer mij")
    post_comment(app.test_client(), article, body="Kopieer mij", author_email="b@voorbeeld.nl")
    assert all_comments(app)[-1].held_reason == "dubbel"


def test_duplicate_text_with_other_whitespace_is_held(app, client, article, post_comment):
    post_comment(client, article, body="Kopieer mij")
    post_comment(app.test_client(), article, body="  Kopieer mij\n", author_email="b@voorbeeld.nl")
    assert all_comments(app)[-1].held_reason == "dubbel"


def test_duplicate_of_a_bulk_inserted_or_edited_comment_is_held(app, client, article, post_comment):
    """Every way a text gets into the table keeps its digest (see Comment.body_hash)."""
    with app.app_context():
        article_id = db.session.scalar(select(Article.id))
        now = utcnow()
        db.session.execute(insert(Comment.__table__), [{
            "article_id": article_id, "depth": 1, "author_name": "Import", "author_email": "i@voorbeeld.nl",
            "body": "Uit het oude systeem", "status": CommentStatus.APPROVED, "created_at": now,
            "status_changed_at": now}])
        edit_comment(make_comment(db.session.get(Article, article_id), body="Oude tekst"), body="Nieuwe tekst")
        db.session.commit()
    post_comment(client, article, body="Uit het oude systeem")
    post_comment(client, article, body="Nieuwe tekst", author_email="c@voorbeeld.nl")
    post_comment(client, article, body="Oude tekst", author_email="d@voorbeeld.nl")
    assert [c.held_reason for c in all_comments(app)[-3:]] == ["dubbel", "dubbel", None]


def test_more_than_two_links_is_held(app, client, article, post_comment):
    post_comment(client, article, body="https://a.nl en https://b.nl")
    post_comment(client, article, body="https://a.nl https://b.nl https://c.nl", author_email="c@voorbeeld.nl")
    first, second = all_comments(app)
    assert first.held_reason is None and first.status == CommentStatus.PENDING
    assert (second.status, second.held_reason) == (CommentStatus.PENDING, "links")


def test_disallowed_words_go_straight_to_spam(make_app, post_comment):
    app = make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, COMMENT_DISALLOWED_WORDS=["goksite"])
    with app.app_context():
        slug = make_article().slug
        db.session.commit()
    post_comment(app.test_client(), slug, body="Bezoek mijn GOKSITE nu")
    assert (only(app).status, only(app).held_reason) == (CommentStatus.SPAM, "woorden")


@pytest.mark.parametrize("setting, expected", [(True, CommentStatus.APPROVED), (False, CommentStatus.PENDING)])
def test_known_author_is_approved_at_once(make_app, post_comment, setting, expected):
    """Known = this browser posted a comment under this address that has since been approved."""
    app = make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, COMMENT_AUTO_APPROVE_KNOWN=setting)
    with app.app_context():
        slug = make_article().slug
        db.session.commit()
    client = app.test_client()
    post_comment(client, slug, body="Eerste keer", author_email="Anna@Voorbeeld.nl")
    with app.app_context():
        from sbo.news.services import approve_comment
        approve_comment(db.session.scalars(select(Comment)).one())
        db.session.commit()
    post_comment(client, slug, body="Tweede keer")
    assert all_comments(app)[-1].status == expected
    if setting:
        assert "Tweede keer" in app.test_client().get(f"/nieuws/{slug}").get_data(as_text=True)


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:6379"])
def test_rate_limit_per_ip_on_post(make_app, storage):
    if storage.startswith("redis"):
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url(storage).ping()
        except redis.exceptions.ConnectionError:
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        stale = redis.Redis.from_url(storage).keys("*news.comment*")
        if stale:  # counters of an earlier run within the same minute
            redis.Redis.from_url(storage).delete(*stale)
    prefix = f"sbo-test-{uuid.uuid4().hex}"
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage, RATELIMIT_KEY_PREFIX=prefix,
                   COMMENT_RATE_LIMIT="3 per minute", COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)
    with app.app_context():
        slug = make_article().slug
        db.session.commit()
    client = app.test_client()
    codes = []
    for i in range(5):  # each post with a fresh form: a start time is good for one post
        base = comment_keys(client)
        codes.append(client.post(f"/nieuws/{slug}/reageren", data={
            **base, **comment_data(body=f"Reactie {i}", author_email=f"p{i}@voorbeeld.nl")}).status_code)
    assert codes == [303, 303, 303, 429, 429]
    assert client.get(f"/nieuws/{slug}").status_code == 200  # reading is never limited
    assert len(all_comments(app)) == 3
    if storage.startswith("redis"):  # the counters really live in Redis
        keys = redis.Redis.from_url(storage).keys("*news.comment*")
        assert keys
        redis.Redis.from_url(storage).delete(*keys)
