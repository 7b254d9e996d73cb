"""Personal data of the catalogue: the contact persons shown on offering pages (a staff
member's or trainer's name, role, work address, phone and photo).

They are kept as long as staff keep them (no retention period: they are the provider's own
contact details, shown by choice); an erasure request deletes the record and its photo, and the
offerings it was chosen for show no contact person after."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ..personal_data import Plan, Provider, Rows, register, text
from ..extensions import db
from .contacts import delete_contact
from .models import ContactPerson


def _contacts(email: str) -> list[ContactPerson]:
    return list(db.session.scalars(select(ContactPerson).where(func.lower(ContactPerson.email) == email)
                                   .order_by(ContactPerson.id)))


@register
class CatalogueData(Provider):
    name = "catalogue"
    tables = ("contact_person",)
    erased = {"contact_persons": "Verwijderde contactpersonen"}

    def purge(self, now: datetime) -> dict[str, int]:
        return {}

    def export(self, email: str) -> Rows:
        return {"Contactpersoon op de website": [
            {"naam": c.name, "functie": c.role, "e-mailadres": c.email, "telefoon": c.phone,
             "foto": "ja" if c.photo else "nee", "gemaakt": text(c.created_at)} for c in _contacts(email)]}

    def plan(self, email: str) -> Plan:
        if not _contacts(email):
            return Plan()
        return Plan(actions=["Je gegevens als contactpersoon (naam, functie, telefoon, foto) worden verwijderd; "
                             "de opleidingen tonen dan geen contactpersoon meer."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        found = _contacts(email)
        for contact in found:
            delete_contact(contact)
        return {"contact_persons": len(found)}
