"""Demo content for the catalogue: themes, offerings, editions with session dates.

Idempotent: themes and offerings are keyed on their slug; an existing one is left alone, so
a second run adds nothing. Dates are relative to the day of seeding.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from .demo_data import OFFERINGS, THEMES
from .models import Edition, EditionStatus, Offering, OfferingType, SessionDate, Theme

VENUES = {"Utrecht": "Jaarbeurs Meeting Center", "Amsterdam": "Pakhuis de Zwijger",
          "Den Haag": "Congrescentrum Babylon", "Zwolle": "Hanzeborg", "Eindhoven": "Evoluon",
          "Rotterdam": "Postillion Hotel"}


def working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _edition(city: str, start: date, sessions: int, options: dict) -> Edition:
    online = city == "online"
    interval = options.get("interval", 7)
    capacity = options.get("capacity", 20)
    days = [working_day(start + timedelta(days=interval * i)) for i in range(sessions)]
    return Edition(
        start_date=days[0], online=online, city="" if online else city,
        venue=options.get("venue", "" if online else VENUES.get(city, "")),
        # no seat is taken without an enrolment: the enrolment demo books them (sbo/enrolment/demo.py)
        capacity=capacity, seats_taken=0,
        status=EditionStatus(options.get("status", "open")),
        sessions=[SessionDate(day=day) for day in days],
    )


def seed(today: date | None = None) -> int:
    """Add what is missing; returns the number of new themes and offerings."""
    today = today or date.today()
    created = 0
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    for slug, name, description in THEMES:
        if slug not in themes:
            themes[slug] = Theme(slug=slug, name=name, description=description)
            db.session.add(themes[slug])
            created += 1
    existing = set(db.session.scalars(
        select(Offering.slug).where(Offering.slug.in_([o["slug"] for o in OFFERINGS]))))
    for data in OFFERINGS:
        if data["slug"] in existing:
            continue
        values = {k: v for k, v in data.items() if k not in ("themes", "editions")}
        values["type"] = OfferingType(values["type"])
        offering = Offering(**values)
        offering.themes = [themes[slug] for slug in data["themes"]]
        offering.editions = [_edition(city, today + timedelta(days=offset), sessions, options)
                             for offset, city, sessions, options in data["editions"]]
        db.session.add(offering)
        created += 1
    db.session.flush()
    return created
