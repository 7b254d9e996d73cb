"""Small builders for test data. Call them inside an app context, then commit."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from sbo.catalogue.models import Edition, EditionStatus, Offering, OfferingType, SessionDate, Theme
from sbo.extensions import db

_seq = itertools.count(1)


def make_theme(**overrides) -> Theme:
    n = next(_seq)
    values = {"slug": f"thema-{n}", "name": f"Thema {n}", "description": ""}
    values.update(overrides)
    theme = Theme(**values)
    db.session.add(theme)
    db.session.flush()
    return theme


def make_offering(themes=(), editions: int = 0, **overrides) -> Offering:
    n = next(_seq)
    values = {
        "slug": f"cursus-{n}", "title": f"Cursus {n}", "type": OfferingType.CURSUS,
        "teaser": f"Tijdens de cursus {n} leer je iets nuttigs.", "description": "Beschrijving.",
        "price_cents": 99500, "duration": "2 dagen",
    }
    values.update(overrides)
    offering = Offering(**values)
    offering.themes = list(themes)
    db.session.add(offering)
    db.session.flush()
    for i in range(editions):
        make_edition(offering, start_date=date.today() + timedelta(days=30 * (i + 1)))
    return offering


def make_edition(offering: Offering, days: int = 1, **overrides) -> Edition:
    values = {"start_date": date.today() + timedelta(days=30), "venue": "Jaarbeurs",
              "city": "Utrecht", "capacity": 20, "status": EditionStatus.OPEN}
    values.update(overrides)
    edition = Edition(offering=offering, **values)
    edition.sessions = [SessionDate(day=values["start_date"] + timedelta(days=7 * i)) for i in range(days)]
    db.session.add(edition)
    db.session.flush()
    return edition


# == staff ==
STAFF_PASSWORD = "correct-paard-batterij"


def make_staff(role: str = "editor", password: str = STAFF_PASSWORD, **overrides):
    from sbo.staff.models import Role, StaffUser
    n = next(_seq)
    values = {"email": f"medewerker{n}@sbo.example", "name": f"Medewerker {n}", "role": Role(role), "active": True}
    values.update(overrides)
    user = StaffUser(**values)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
