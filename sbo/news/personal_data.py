"""Personal data of the news domain: comments (name, e-mail, website, IP address, text).

Published comments stay while their article does. What the purge enforces: IP addresses
(spam control only), spam and trash (deleted), and the e-mail address and website of a
comment whose author is shown as "Anoniem" (the name an erasure gives)."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..personal_data import Plan, Provider, Rows, register, retention, text
from .comments import forget_ips, purge_comments
from .models import Comment, CommentStatus, body_hash

ANONYMOUS = "Anoniem"
# what an erased comment says when its author did not want the text kept
ERASED_TEXT = "Deze reactie is op verzoek van de schrijver verwijderd."
# what an e-mail address typed into a comment's text becomes when that address is erased
ERASED_ADDRESS = "[e-mailadres verwijderd]"


@register
class NewsData(Provider):
    name = "news"
    tables = ("comment",)
    kinds = ("ip_address", "comment_rejected", "comment_anonymised")
    erased = {"comment_anonymised": "Geanonimiseerde reacties",
              "comment_mention": "Reacties waaruit het e-mailadres is gehaald"}

    def purge(self, now: datetime) -> dict[str, int]:
        return {
            "ip_address": forget_ips(older_than_days=retention("ip_address").days, now=now),
            "comment_rejected": purge_comments(older_than_days=retention("comment_rejected").days, now=now),
            "comment_anonymised": forget_anonymous_addresses(now - retention("comment_anonymised")),
        }

    def export(self, email: str) -> Rows:
        return {"Reacties": export_comments(email)}

    def plan(self, email: str) -> Plan:
        count = db.session.scalar(select(func.count()).select_from(Comment)
                                  .where(func.lower(Comment.author_email) == email))
        if not count:
            return Plan()
        which = "Je reactie" if count == 1 else f"Je {count} reacties"
        return Plan(actions=[f"{which} krijgt als naam „{ANONYMOUS}”; e-mailadres, website en IP-adres "
                             "worden verwijderd. Je kiest hieronder of de tekst blijft staan."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        return erase_comments(email, keep_text=keep_comment_text)


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


def _without_address(body: str, email: str) -> str:
    return re.sub(re.escape(email), ERASED_ADDRESS, body, flags=re.IGNORECASE)


def erase_comments(email: str, *, keep_text: bool) -> dict[str, int]:
    """Anonymise the comments written with `email`: the author becomes "Anoniem" without
    address, website or IP address; the text stays (without the address in it) or, when
    not `keep_text`, becomes ERASED_TEXT. The address is also taken out of other comments'
    text. Replies and threads stay in place."""
    own = db.session.scalars(select(Comment).where(func.lower(Comment.author_email) == email)).all()
    for comment in own:
        comment.author_name, comment.author_email, comment.author_url = ANONYMOUS, "", None
        comment.ip_address, comment.visitor_token_hash, comment.notify_replies = None, None, False
        comment.body = _without_address(comment.body, email) if keep_text else ERASED_TEXT
        comment.body_hash = body_hash(comment.body)
    others = db.session.scalars(select(Comment).where(func.lower(Comment.body).contains(email))).all()
    for comment in others:
        comment.body = _without_address(comment.body, email)
        comment.body_hash = body_hash(comment.body)
    db.session.flush()
    return {"comment_anonymised": len(own), "comment_mention": len(others)}
