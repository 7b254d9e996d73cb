"""news sends comment_held when a new comment waits for moderation (sbo/signals.py)."""
from __future__ import annotations

from sbo.extensions import db
from sbo.news import services
from sbo.signals import comment_held
from tests.factories import make_article


def test_a_held_comment_is_signalled_spam_is_not(app_ctx):
    held = []

    def receiver(comment, **kwargs):
        held.append((comment.body, comment.status, kwargs))

    with comment_held.connected_to(receiver):
        article = make_article()
        services.post_comment(article, body="Wacht op een moderator", author_name="Lezer",
                              author_email="lezer@example.org")
        services.post_comment(article, body="Koop nu", author_name="Bot",
                              author_email="bot@example.org", honeypot="ja")
        db.session.commit()
    assert held == [("Wacht op een moderator", "pending", {})]
