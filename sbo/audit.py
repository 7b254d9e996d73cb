"""The audit log, below the domains: the services write one entry per staff action with
`log_action(action, obj_type, obj_id, actor=..., data={...})` (as pretix's `log_action`), in the
caller's transaction. `data` is structured: ids, counts, dates, changed field names and titles
that staff typed — never a participant's name, an e-mail address or text typed by the public.
What staff read (the log page, the history boxes) is made from action + data by a small
formatter per action (`describe`)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, and_, or_, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from .clock import utcnow
from .extensions import db
from .filters import counted
from .labels import label as status_label


class AuditEntry(db.Model):
    """One staff action on one object: who did what, to which object, when, with what data."""
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    # the staff account (sbo.staff.models.StaffUser, named so this layer does not import staff/)
    actor: Mapped[Any] = relationship("StaffUser")

    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    @property
    def label(self) -> str:
        return label(self.action)

    @property
    def description(self) -> str:
        return describe(self)


def log_action(action: str, obj_type: str, obj_id: int | None, *, actor: Any = None,
               data: dict[str, Any] | None = None) -> AuditEntry:
    """Add one entry. `actor` is the staff account that acted (None: the system or the command
    line). Flushes; the caller commits."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), action=action[:60],
                       object_type=obj_type[:40], object_id=obj_id, data=dict(data or {}))
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


def changed_fields(obj: object, names: Iterable[str], before: dict[str, Any]) -> list[str]:
    """The attribute names among `names` whose value differs from `before` (a snapshot made
    with `snapshot`)."""
    return [name for name in names if getattr(obj, name) != before.get(name)]


def snapshot(obj: object, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# ---------------------------------------------------------------- what staff read

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
    "offer.made": "Plaats met de hand aangeboden aan de wachtlijst",
    "enrolments.exported": "Inschrijvingen gedownload (CSV)",
    "interest.exported": "Belangstellenden gedownload (CSV)",
    "venue.created": "Locatie aangemaakt",
    "venue.updated": "Locatie gewijzigd",
    "venue.deleted": "Locatie verwijderd",
    "trainer.created": "Trainer aangemaakt",
    "trainer.updated": "Trainer gewijzigd",
    "trainer.deleted": "Trainer verwijderd",
    "offering.trainers_changed": "Trainers van aanbod gewijzigd",
    "programme.item_added": "Programmaonderdeel toegevoegd",
    "programme.item_changed": "Programmaonderdeel gewijzigd",
    "programme.item_moved": "Programmaonderdeel verplaatst",
    "programme.item_removed": "Programmaonderdeel verwijderd",
    "contact.created": "Contactpersoon aangemaakt",
    "contact.updated": "Contactpersoon gewijzigd",
    "contact.deleted": "Contactpersoon verwijderd",
    "discount.created": "Korting toegevoegd",
    "discount.deleted": "Korting verwijderd",
    "register.created": "Register aangemaakt",
    "register.updated": "Register gewijzigd",
    "accreditation.added": "Accreditatie toegevoegd",
    "accreditation.updated": "Accreditatie gewijzigd",
    "accreditation.removed": "Accreditatie verwijderd",
    "attendance.arrived": "Aanwezig gemeld",
    "attendance.left_early": "Eerder vertrokken gemeld",
    "attendance.removed": "Aanwezigheid teruggedraaid",
    "article.created": "Artikel aangemaakt",
    "article.updated": "Artikel gewijzigd",
    "article.unpublished": "Artikel offline gehaald",
    "document.added": "Document toegevoegd",
    "document.removed": "Document verwijderd",
    "mail.resent": "Mail opnieuw verstuurd",
    "personal_data.viewed": "Persoonsgegevens ingezien",
    "personal_data.exported": "Persoonsgegevens gedownload",
    "personal_data.erased": "Persoonsgegevens verwijderd",
    "incompany.status_changed": "Status van aanvraag gewijzigd",
    "incompany.owner_changed": "Behandelaar van aanvraag gewijzigd",
    "incompany.note_added": "Notitie bij aanvraag toegevoegd",
    "incompany.exported": "Maatwerkaanvragen gedownload (CSV)",
}

OBJECT_LABELS = {"offering": "Aanbod", "edition": "Editie", "theme": "Thema", "staff": "Account",
                 "comment": "Reactie", "enrolment": "Inschrijving", "article": "Artikel",
                 "outbox_message": "Mail", "incompany_request": "Maatwerkaanvraag", "venue": "Locatie",
                 "trainer": "Trainer", "contact_person": "Contactpersoon", "discount": "Korting",
                 "register": "Register", "offer": "Aangeboden plaats"}

# Dutch names of the fields a service reports in data["changed"].
FIELD_LABELS = {
    "title": "titel", "slug": "adres", "type": "soort", "teaser": "korte omschrijving",
    "description": "omschrijving", "learning_outcomes": "leerdoelen", "audience": "doelgroep",
    "programme": "programma", "speakers": "sprekers", "duration": "duur",
    "accreditation": "accreditatie", "price_cents": "prijs", "published": "publicatie",
    "themes": "thema's", "name": "naam", "lead": "inleiding", "body": "tekst",
    "published_at": "publicatiemoment", "comments_open_days": "reactietermijn",
    "comments_closed": "reacties gesloten", "offerings": "gekoppeld aanbod",
    "related": "gerelateerde artikelen", "dates": "data", "times": "tijden", "venue": "locatie",
    "city": "plaats", "street_address": "adres", "postal_code": "postcode", "online": "online",
    "capacity": "plaatsen", "price_cents_override": "afwijkende prijs",
    "enrolment_deadline": "inschrijfdeadline",
    "venue_id": "locatie", "online_platform": "platform", "route": "route", "parking": "parkeren",
    "step_free": "drempelvrij", "hearing_loop": "ringleiding", "role": "functie", "bio": "biografie",
    "photo": "foto", "vat_status": "btw", "included": "inbegrepen", "included_note": "verder inbegrepen",
    "contact": "contactpersoon", "phone": "telefoon", "email": "e-mailadres",
    "short_name": "korte naam", "number_pattern": "nummerformaat", "number_hint": "uitleg nummer",
    "provider_details": "gegevens aanbieder",
    "author_name": "naam", "author_email": "e-mailadres", "author_url": "website",
}


def label(action: str) -> str:
    return LABELS.get(action, action)


def _day(value: str) -> str:
    """'2027-04-07' → '07-04-2027'."""
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return str(value)


def _changed(data: dict) -> str:
    if "changed" not in data:
        return ""
    names = [FIELD_LABELS.get(name, name) for name in data["changed"]]
    return ("gewijzigd: " + ", ".join(dict.fromkeys(names))) if names else "niets gewijzigd"


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _titled(data: dict) -> str:
    return _join(data.get("title", ""), _changed(data))


def _edition(data: dict) -> str:
    days = ", ".join(_day(d) for d in data.get("dates", []))
    place = "Online" if data.get("online") else (data.get("city") or "geen plaats")
    capacity = counted(data["capacity"], "plaats") if "capacity" in data else ""
    return _join(days, place, capacity, _changed(data))


def _edition_created(data: dict) -> str:
    mailed = data.get("mailed")
    return _join(_edition(data), f"{counted(mailed, 'geïnteresseerde')} gemaild" if mailed else "")


def _edition_cancelled(data: dict) -> str:
    start = f"Editie van {_day(data['start_date'])} geannuleerd" if data.get("start_date") else ""
    notified = data.get("notified")
    return _join(start, f"{counted(notified, 'deelnemer')} bericht" if notified is not None else "")


def _comment(data: dict) -> str:
    text = f"Bij “{data['article']}”" if data.get("article") else ""
    if data.get("replies"):
        replies = data["replies"]
        text += f" (met {replies} directe {'reactie' if replies == 1 else 'reacties'} eronder)"
    if data.get("with_reply"):
        text += " (bij antwoord)"
    return text


def _comment_edited(data: dict) -> str:
    names = [FIELD_LABELS.get(name, name) for name in data.get("changed", [])]
    return ("Gewijzigd: " + ", ".join(names)) if names else "Niets gewijzigd"


def _comment_purged(data: dict) -> str:
    return (f"{data.get('deleted', 0)} verwijderd (ouder dan {counted(data.get('days', 0), 'dag')}), "
            f"{counted(data.get('ips_forgotten', 0), 'IP-adres')} gewist")


def _enrolment_cancelled(data: dict) -> str:
    promoted = data.get("promoted") or []
    if not promoted:
        return ""
    return "plaats aangeboden aan de wachtlijst: " + ", ".join(f"inschrijving #{i}" for i in promoted)


def _document(data: dict) -> str:
    if data.get("url"):
        return f"{data.get('title', '')} ({data['url']})"
    if data.get("file_type"):
        return f"{data.get('title', '')} ({data['file_type']}, {data.get('size_bytes')} bytes)"
    return data.get("title", "")


def _account(account_id: int | None) -> str:
    return f"account #{account_id}" if account_id else "niemand"


def _role(value: str | None) -> str:
    return status_label(value, "Role")


def _personal_data(data: dict) -> str:
    """Who asked, and how much was done; never the address."""
    via = {"link": "via de link op de site", "staff": "op verzoek per brief of telefoon"}.get(data.get("via"), "")
    total = sum((data.get("counts") or {}).values()) if "counts" in data else data.get("rows")
    return _join(via, data.get("format", "").upper(),
                 counted(total, "onderdeel", "onderdelen") if total is not None else "")


def _accreditation(data: dict) -> str:
    return f"register #{data['register']}: {data['points']} punten, {data['net_hours']} netto uren"


def _session(data: dict) -> str:
    return f"lesdag #{data['session']}"


FORMATTERS: dict[str, Callable[[dict], str]] = {
    "offering.created": _titled, "offering.updated": _titled,
    "offering.unpublished": _titled, "offering.republished": _titled,
    "edition.created": _edition_created, "edition.updated": _edition,
    "edition.cancelled": _edition_cancelled,
    "theme.created": lambda d: d.get("name", ""),
    "theme.updated": lambda d: _join(d.get("name", ""), _changed(d)),
    "venue.created": lambda d: _join(d.get("name", ""), d.get("city", "")),
    "venue.updated": lambda d: _join(d.get("name", ""), _changed(d)),
    "trainer.updated": _changed,
    "offering.trainers_changed": lambda d: counted(len(d.get("trainer_ids", [])), "trainer"),
    **{f"programme.item_{verb}": lambda d: f"dag {d.get('day')}"
       for verb in ("added", "changed", "moved", "removed")},
    "contact.updated": _changed,
    "contact.deleted": lambda d: f"losgekoppeld van {counted(d.get('offerings', 0), 'aanbod', 'aanbod')}",
    "discount.created": lambda d: d.get("what", ""),
    "discount.deleted": lambda d: d.get("kind_label", ""),
    "article.created": _titled, "article.updated": _titled, "article.unpublished": _titled,
    "document.added": _document, "document.removed": _document,
    "comment.edited": _comment_edited,
    "comment.replied": lambda d: f"Antwoord #{d['reply_id']}" if d.get("reply_id") else "",
    "comment.purged": _comment_purged,
    "enrolment.cancelled": _enrolment_cancelled,
    "enrolments.exported": lambda d: counted(d.get("rows", 0), "regel"),
    "interest.exported": lambda d: counted(d.get("rows", 0), "regel"),
    "staff.created": lambda d: f"als {_role(d.get('role')).lower()}" if d.get("role") else "",
    "staff.role_changed": lambda d: f"{_role(d.get('from'))} → {_role(d.get('to'))}",
    "staff.logged_out_everywhere": lambda d: f"{d.get('sessions', 0)} sessie(s)",
    "incompany.status_changed": lambda d: (f"{status_label(d.get('from'), 'RequestStatus')} → "
                                           f"{status_label(d.get('to'), 'RequestStatus')}"),
    "incompany.owner_changed": lambda d: f"{_account(d.get('from'))} → {_account(d.get('to'))}",
    "incompany.note_added": lambda d: f"notitie #{d['note_id']}" if d.get("note_id") else "",
    "incompany.exported": lambda d: _join(counted(d.get("rows", 0), "regel"),
                                          f"status {status_label(d['status'], 'RequestStatus').lower()}"
                                          if d.get("status") else ""),
    "mail.resent": lambda d: (f"na {counted(d['attempts'], 'mislukte poging')}"
                              if d.get("attempts") else ""),
    "register.created": lambda d: d.get("name", ""),
    "register.updated": _changed,
    "accreditation.added": _accreditation, "accreditation.updated": _accreditation,
    "accreditation.removed": lambda d: f"register #{d['register']}",
    "attendance.arrived": _session, "attendance.left_early": _session, "attendance.removed": _session,
    "personal_data.viewed": _personal_data, "personal_data.exported": _personal_data,
    "personal_data.erased": _personal_data,
}
for _action in ("approved", "unapproved", "spam", "not_spam", "trashed", "restored", "deleted"):
    FORMATTERS[f"comment.{_action}"] = _comment


def describe(entry: AuditEntry) -> str:
    """The Dutch details of an entry, from its action and data. Entries written before the data
    was structured keep their old text in data["text"] (migration audit_0001)."""
    data = entry.data or {}
    if "text" in data:
        return str(data["text"])
    formatter = FORMATTERS.get(entry.action)
    if formatter is None:
        return ""
    try:
        return formatter(data)
    except (KeyError, TypeError, ValueError):  # data of an older shape: show no details, not a 500
        return ""
