"""Staff area under /beheer: the blueprint, the dashboard and the audit log.
Login lives in auth.py, the offer in offer.py, accounts in accounts.py."""
from __future__ import annotations

from functools import cache

from flask import render_template, url_for
from flask_login import current_user
from sqlalchemy import Select, bindparam, func, literal, select, true
from sqlalchemy.orm import joinedload

from .. import clock, reads
from ..catalogue import queries as catalogue
from ..catalogue.models import Edition, Offering
from ..catalogue.queries import upcoming_edition_clause
from ..mail import MailStatus, OutboxMessage
from ..extensions import db
from ..incompany.models import IncompanyRequest, RequestStatus
from ..news.models import Article, Comment, CommentStatus
from ..news.status_counts import CommentStatusCount
from .access import bp, can_open, staff_required
from ..audit import OBJECT_LABELS, AuditEntry
from ..urls import Pattern
from .lists import DateTimes, Days
from .models import Role

__all__ = ["bp"]


@cache
def _dashboard_statement(failed_mail: bool, new_requests: bool) -> Select:
    """The newest five waiting comments (with their article's title), the kept number of
    waiting comments, and, for who may open those pages, the failed mails and the new in-company
    requests: one statement, one row of counts even when no comment waits."""
    counts = select(
        select(CommentStatusCount.n).where(CommentStatusCount.status == CommentStatus.PENDING.value)
        .scalar_subquery().label("pending"),
        (select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == MailStatus.FAILED.value)
         .scalar_subquery() if failed_mail else literal(0)).label("failed_mail"),
        (select(func.count()).select_from(IncompanyRequest)
         .where(IncompanyRequest.status == RequestStatus.NEW.value)
         .scalar_subquery() if new_requests else literal(0)).label("new_requests")).subquery("counts")
    latest = (select(Comment.id, Comment.author_name, Comment.created_at, Article.title.label("article_title"))
              .join(Article, Article.id == Comment.article_id)
              .where(Comment.status == CommentStatus.PENDING.value)
              .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(5).subquery("latest"))
    return (select(counts, latest).select_from(counts).outerjoin(latest, true())
            .order_by(latest.c.created_at.desc(), latest.c.id.desc()))


@cache
def _upcoming_statement() -> Select:
    """The next ten editions that are not cancelled, of offerings published or not, with the
    title of their offering (the dashboard shows no more of it); built once, binds today."""
    return (select(Edition).where(upcoming_edition_clause(bindparam("today")))
            .options(joinedload(Edition.offering).load_only(Offering.title))
            .order_by(Edition.start_date, Edition.id).limit(10))


@bp.get("/")
@staff_required(Role.MODERATOR)
def dashboard():
    today = clock.today()
    user = current_user._get_current_object()
    editions = db.session.scalars(_upcoming_statement(), {"today": today}).all()
    counts = catalogue.offer_counts(today)
    rows = reads.rows(_dashboard_statement(can_open("staff.outbox", user), can_open("staff.incompany_requests", user)), {})
    counts["pending_comments"] = rows[0].pending or 0
    return render_template("staff/dashboard.html", editions=editions, counts=counts,
                           pending_comments=[row for row in rows if row.id is not None],
                           failed_mail=rows[0].failed_mail, new_requests=rows[0].new_requests,
                           edition_url=(Pattern("staff.edition_edit", "edition_id")
                                        if can_open("staff.edition_edit", user) else None),
                           comment_url=Pattern("staff.comment_detail", "comment_id"), day=Days(), when=DateTimes())


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

