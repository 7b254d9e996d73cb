"""Personal data of the news domain: comments (name, e-mail, website, IP address, text).

Published comments stay while their article does. What the purge enforces: IP addresses
(spam control only), spam and trash (deleted), and the e-mail address and website of a
comment whose author is shown as "Anoniem" (the name an erasure gives)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update

from ..extensions import db
from ..personal_data import Provider, register, retention
from .comments import forget_ips, purge_comments
from .models import Comment

ANONYMOUS = "Anoniem"


@register
class NewsData(Provider):
    name = "news"
    tables = ("comment",)
    kinds = ("ip_address", "comment_rejected", "comment_anonymised")

    def purge(self, now: datetime) -> dict[str, int]:
        return {
            "ip_address": forget_ips(older_than_days=retention("ip_address").days, now=now),
            "comment_rejected": purge_comments(older_than_days=retention("comment_rejected").days, now=now),
            "comment_anonymised": forget_anonymous_addresses(now - retention("comment_anonymised")),
        }


def forget_anonymous_addresses(cutoff: datetime) -> int:
    """Clear the e-mail address and website of comments by "Anoniem" posted before `cutoff`
    (with no address left, nobody can be mailed about replies either)."""
    result = db.session.execute(
        update(Comment).where(Comment.author_name == ANONYMOUS, Comment.created_at <= cutoff,
                              or_(Comment.author_email != "", Comment.author_url.is_not(None)))
        .values(author_email="", author_url=None, notify_replies=False),
        execution_options={"synchronize_session": False})
    db.session.flush()
    return result.rowcount or 0
