"""Personal data of the certificates domain: a certificate holds the holder's name and
registration numbers (in its stored content). It is deleted RETENTION_DAYS["certificate"] after
issue (its code then reads as unknown), and on erasure of the holder's address."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ..enrolment.queries import enrolment_ids_of
from ..extensions import db
from ..personal_data import Plan, Provider, Rows, delete_where, register, retention, text
from .models import Certificate
from .queries import display_code


@register
class CertificateData(Provider):
    name = "certificates"
    tables = ("certificate",)
    kinds = ("certificate",)
    erased = {"certificate_deleted": "Verwijderde certificaten (bewijzen van deelname)"}

    def purge(self, now: datetime) -> dict[str, int]:
        return {"certificate": delete_where(Certificate, Certificate.issued_at < now - retention("certificate"))}

    def export(self, email: str) -> Rows:
        certificates = db.session.scalars(select(Certificate).where(Certificate.enrolment_id.in_(enrolment_ids_of(email)))
                                          .order_by(Certificate.id))
        return {"Certificaten": [
            {"opleiding": c.content["offering"], "naam": c.content["name"],
             "netto_uren": c.content["hours"], "data": ", ".join(c.content["days"]),
             "punten": "; ".join(f"{r['short_name']}: {r['points']} ({r['number'] or 'geen nummer'})"
                                 for r in c.content["registers"]),
             "verificatiecode": display_code(c.code), "uitgegeven": text(c.issued_at),
             "ingetrokken": text(c.withdrawn_at)} for c in certificates]}

    def plan(self, email: str) -> Plan:
        count = db.session.scalar(select(func.count()).select_from(Certificate)
                                  .where(Certificate.enrolment_id.in_(enrolment_ids_of(email))))
        if not count:
            return Plan()
        return Plan(actions=["Je certificaten worden verwijderd; hun verificatiecode is daarna onbekend. "
                             "Bewaar de PDF zelf als je die nog nodig hebt."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        return {"certificate_deleted": delete_where(Certificate, Certificate.enrolment_id.in_(enrolment_ids_of(email)))}
