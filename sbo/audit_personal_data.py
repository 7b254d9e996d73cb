"""Personal data of the audit log. Entries written by `log_action` hold ids, counts, dates and
titles, no personal data. Entries from before migration audit_0001 keep their old free text
(data["text"]), which may name participants and their e-mail addresses: that text is dropped
after RETENTION_DAYS["audit_text"] (the entry itself stays), and /mijn-gegevens lists the texts
that hold the address asked about; an erasure drops those texts and keeps the entries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from .audit import AuditEntry
from .extensions import db
from .personal_data import Plan, Provider, Rows, register, retention, text

_OLD_TEXT = AuditEntry.data["text"].as_string()


@register
class AuditData(Provider):
    name = "audit"
    tables = ("audit_entry",)
    kinds = ("audit_text",)
    erased = {"audit_text": "Logboekregels waaruit de oude tekst is gehaald"}

    def purge(self, now: datetime) -> dict[str, int]:
        cutoff = now - retention("audit_text")
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.created_at < cutoff,
                                                              _OLD_TEXT.is_not(None)))
        count = 0
        for entry in entries:
            entry.data = {}
            count += 1
        db.session.flush()
        return {"audit_text": count}

    def export(self, email: str) -> Rows:
        entries = db.session.scalars(select(AuditEntry).where(
            func.lower(_OLD_TEXT).contains(email, autoescape=True)).order_by(AuditEntry.id))
        return {"Logboek van medewerkers (oude vrije tekst)": [
            {"moment": text(e.created_at), "wat": e.label, "tekst": e.data.get("text", "")} for e in entries]}

    def plan(self, email: str) -> Plan:
        if not db.session.scalar(select(func.count()).select_from(AuditEntry).where(_names(email))):
            return Plan()
        return Plan(actions=["In ons logboek van medewerkers blijft staan wat er gebeurde; de oude "
                             "tekst met je naam of e-mailadres wordt eruit gehaald."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        """Entries whose old free text names the address keep their action, lose the text."""
        count = 0
        for entry in db.session.scalars(select(AuditEntry).where(_names(email))):
            entry.data = {}
            count += 1
        db.session.flush()
        return {"audit_text": count}


def _names(email: str):
    return func.lower(_OLD_TEXT).contains(email, autoescape=True)
