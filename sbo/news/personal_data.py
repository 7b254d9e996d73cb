"""Personal data of the news domain: comments (name, e-mail, website, IP address, text).

Published comments stay while their article does. What the purge enforces: IP addresses
(spam control only), spam and trash (deleted), and the e-mail address and website of a
comment whose author is shown as "Anoniem" (the name an erasure gives)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..personal_data import Provider, Rows, register, retention, text
from .comments import forget_ips, purge_comments
from .models import Comment, CommentStatus

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

    def export(self, email: str) -> Rows:
        return {"Reacties": export_comments(email)}


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


def export_comments(email: str) -> list[dict[str, str]]:
    comments = db.session.scalars(
        select(Comment).where(func.lower(Comment.author_email) == email)
        .options(joinedload(Comment.article)).order_by(Comment.id))
    return [{"artikel": c.article.title, "status": text(CommentStatus(c.status)), "naam": c.author_name,
             "e-mailadres": c.author_email, "website": c.author_url or "", "tekst": c.body,
             "ip-adres": c.ip_address or "", "geplaatst": text(c.created_at),
             "bericht_bij_antwoord": "ja" if c.notify_replies else "nee"} for c in comments]
