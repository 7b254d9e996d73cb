"""Demo price facts, discounts and contact persons (issue 17), added to the demo offerings.

Idempotent: contact persons are keyed on their e-mail address; an offering gets its VAT status,
inclusions, discounts and contact only while it has no inclusions, discounts or contact yet."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from .models import ContactPerson, Discount, Offering
from ..extensions import db
from .contacts import set_offering_contact

CONTACTS = [
    ("Femke Verhoeven", "Opleidingsadviseur openbare orde en veiligheid", "f.verhoeven@sbo.example", "030 760 41 12"),
    ("Youssef Amrani", "Programmamanager zorg en veiligheid", "y.amrani@sbo.example", "030 760 41 27"),
    ("Ingrid Bosman", "Opleidingsadviseur ondermijning", "i.bosman@sbo.example", "030 760 41 35"),
]
# slug -> (VAT status, inclusions, free text, contact index, group discount (from, %), early-bird (€, weeks))
FACTS = {
    "beleidsmedewerker-openbare-orde-en-veiligheid": ("vrijgesteld", "lunch materials certificate", "", 0,
                                                      (3, "10"), None),
    "wet-en-regelgeving-in-openbare-orde-en-veiligheid": ("vrijgesteld", "lunch materials", "het boek Openbare-ordebevoegdheden",
                                                          0, None, ("100", 6)),
    "adviseur-zorg-en-veiligheid": ("vrijgesteld", "lunch materials certificate", "", 1, (4, "7.5"), None),
    "nationaal-congres-zorg-en-veiligheid": ("excl", "lunch", "een netwerkborrel na afloop", 1, (5, "15"), ("50", 8)),
    "bibob-coordinator": ("excl", "lunch materials certificate overnight", "", 2, None, ("150", 5)),
    "integrale-aanpak-van-ondermijning": ("vrijgesteld", "lunch materials", "", 2, (3, "10"), None),
    "congres-ondermijning": ("incl", "lunch", "", 2, None, None),
}


def _contacts() -> tuple[list[ContactPerson], int]:
    """The demo contact persons, and how many of them are new."""
    found = {c.email: c for c in db.session.scalars(
        select(ContactPerson).where(ContactPerson.email.in_([email for _n, _r, email, _p in CONTACTS])))}
    for name, role, email, phone in CONTACTS:
        if email not in found:
            found[email] = ContactPerson(name=name, role=role, email=email, phone=phone)
            db.session.add(found[email])
    new = sum(1 for contact in found.values() if contact.id is None)
    db.session.flush()
    return [found[email] for _n, _r, email, _p in CONTACTS], new


def seed(today: date) -> int:
    """Add what is missing; returns the number of new contact persons."""
    contacts, created = _contacts()
    offerings = db.session.scalars(select(Offering).where(Offering.slug.in_(FACTS)))
    for offering in offerings:
        vat, included, note, contact, group, early = FACTS[offering.slug]
        if offering.included or offering.contact is not None or db.session.scalar(
                select(Discount.id).where(Discount.offering_id == offering.id).limit(1)):
            continue
        offering.vat_status, offering.included, offering.included_note = vat, included, note
        set_offering_contact(offering, contacts[contact].id)
        if group:
            db.session.add(Discount(offering_id=offering.id, kind="group", min_participants=group[0],
                                    percent=Decimal(group[1])))
        if early:
            db.session.add(Discount(offering_id=offering.id, kind="early_bird", amount=Decimal(early[0]),
                                    valid_until=today + timedelta(weeks=early[1])))
    db.session.flush()
    return created
