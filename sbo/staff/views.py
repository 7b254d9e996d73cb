"""Staff area under /beheer: the blueprint, the dashboard and the audit log.
Login lives in auth.py, the offer in offer.py, accounts in accounts.py."""
from __future__ import annotations

from flask import render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..catalogue import queries as catalogue
from .. import mail
from ..extensions import db
from ..incompany import queries as incompany_queries
from ..incompany.models import RequestStatus
from ..news import queries as news
from ..news.models import CommentStatus
from .access import bp, can_open, staff_required
from ..audit import OBJECT_LABELS, AuditEntry
from .models import Role

__all__ = ["bp"]


@bp.get("/")
@staff_required(Role.MODERATOR)
def dashboard():
    today = clock.today()
    editions = catalogue.staff_upcoming_editions(limit=10, today=today)
    counts = catalogue.offer_counts(today)
    counts["pending_comments"] = news.comment_counts()[CommentStatus.PENDING]
    failed_mail = mail.count_by_status()[mail.MailStatus.FAILED] if can_open("staff.outbox") else 0
    new_requests = (incompany_queries.status_counts().get(RequestStatus.NEW.value, 0)
                    if can_open("staff.incompany_requests") else 0)
    return render_template("staff/dashboard.html", editions=editions, counts=counts,
                           pending_comments=news.latest_comments(CommentStatus.PENDING, 5),
                           failed_mail=failed_mail, new_requests=new_requests)


@bp.get("/logboek")
@staff_required(Role.ADMIN)
def audit_log():
    page = db.paginate(select(AuditEntry).options(joinedload(AuditEntry.actor))
                       .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
                       per_page=50, error_out=False)
    return render_template("staff/audit_log.html", page=page, object_labels=OBJECT_LABELS,
                           object_url=object_url,
                           page_url=lambda n: url_for("staff.audit_log", page=n))


def object_url(entry: AuditEntry) -> str | None:
    """Where the staff area shows the object of an entry (None when it has no page here)."""
    if entry.object_id is None:
        return None
    if entry.object_type == "offering":
        return url_for("staff.offering_edit", offering_id=entry.object_id)
    if entry.object_type == "edition":
        return url_for("staff.edition_edit", edition_id=entry.object_id)
    if entry.object_type == "theme":
        return url_for("staff.theme_edit", theme_id=entry.object_id)
    if entry.object_type == "comment" and entry.action != "comment.deleted":
        return url_for("staff.comment_detail", comment_id=entry.object_id)
    if entry.object_type == "article":
        return url_for("staff.article_edit", article_id=entry.object_id)
    if entry.object_type == "trainer" and entry.action != "trainer.deleted":
        return url_for("staff.trainer_edit", trainer_id=entry.object_id)
    if entry.object_type == "register":
        return url_for("staff.register_edit", register_id=entry.object_id)
    if entry.object_type == "incompany_request":
        return url_for("staff.incompany_detail", request_id=entry.object_id)
    return None


from . import (accounts, auth, certificates, contacts, content, discounts, enrolments, evaluations, incompany,  # noqa: E402,F401
               moderation, offer, offers, outbox, presence, privacy, registers, trainers, venues)  # (their routes join bp)

