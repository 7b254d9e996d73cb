"""The audit log: every staff action is recorded with `record(...)`; other domains' staff
screens call it too (e.g. record(current_user, "comment.approved", "comment", comment.id))."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import AuditEntry, StaffUser

# Dutch wording of the action codes; an unknown code is shown as it is.
LABELS = {
    "offering.created": "Aanbod aangemaakt",
    "offering.updated": "Aanbod gewijzigd",
    "offering.unpublished": "Aanbod offline gehaald",
    "offering.republished": "Aanbod weer gepubliceerd",
    "edition.created": "Editie toegevoegd",
    "edition.updated": "Editie gewijzigd",
    "edition.cancelled": "Editie geannuleerd",
    "theme.created": "Thema aangemaakt",
    "theme.updated": "Thema gewijzigd",
    "staff.created": "Account aangemaakt",
    "staff.role_changed": "Rol gewijzigd",
    "staff.deactivated": "Account gedeactiveerd",
    "staff.activated": "Account weer geactiveerd",
    "staff.logged_in": "Ingelogd",
    "staff.password_changed": "Wachtwoord gewijzigd",
    "staff.password_reset": "Nieuw wachtwoord ingesteld via herstellink",
    "staff.reset_link_made": "Herstellink gemaakt",
    "staff.reset_link_mailed": "Herstellink gemaild (wachtwoord vergeten)",
    "staff.logged_out_everywhere": "Overal uitgelogd",
    "comment.approved": "Reactie goedgekeurd",
    "comment.unapproved": "Reactie terug naar afwachting",
    "comment.spam": "Reactie als spam gemarkeerd",
    "comment.not_spam": "Reactie als geen spam gemarkeerd",
    "comment.trashed": "Reactie naar prullenbak",
    "comment.restored": "Reactie uit prullenbak teruggezet",
    "comment.deleted": "Reactie definitief verwijderd",
    "comment.edited": "Reactie bewerkt",
    "comment.replied": "Beantwoord als redactie",
    "comment.purged": "Oude spam en prullenbak opgeruimd",
    "enrolment.cancelled": "Inschrijving geannuleerd",
    "enrolments.exported": "Inschrijvingen gedownload (CSV)",
    "interest.exported": "Belangstellenden gedownload (CSV)",
    "article.created": "Artikel aangemaakt",
    "article.updated": "Artikel gewijzigd",
    "article.unpublished": "Artikel offline gehaald",
    "document.added": "Document toegevoegd",
    "document.removed": "Document verwijderd",
    "mail.resent": "Mail opnieuw verstuurd",
}

OBJECT_LABELS = {"offering": "Aanbod", "edition": "Editie", "theme": "Thema", "staff": "Account",
                 "comment": "Reactie", "enrolment": "Inschrijving", "article": "Artikel",
                 "outbox_message": "Mail"}


def record(actor: StaffUser | None, action: str, obj_type: str, obj_id: int | None,
           detail: str = "") -> AuditEntry:
    """Add one entry (actor None: the command line). Flushes; the caller commits."""
    entry = AuditEntry(actor=actor, action=action[:60], object_type=obj_type[:40],
                       object_id=obj_id, detail=detail)
    db.session.add(entry)
    db.session.flush()
    return entry


def history(*targets: tuple[str, Iterable[int]], limit: int = 50) -> list[AuditEntry]:
    """The latest entries for some objects, newest first:
    history(("offering", [offering.id]), ("edition", edition_ids))."""
    conditions = [and_(AuditEntry.object_type == obj_type, AuditEntry.object_id.in_(list(ids)))
                  for obj_type, ids in targets if ids]
    if not conditions:
        return []
    return list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor)).where(or_(*conditions))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)))


def label(action: str) -> str:
    return LABELS.get(action, action)
