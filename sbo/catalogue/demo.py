"""Demo content for the catalogue: themes, offerings, editions with session dates.

Idempotent: themes and offerings are keyed on their slug; an existing one is left alone, so
a second run adds nothing. Dates are relative to the day of seeding and fall on working
days (no weekends, Dutch public holidays or the Christmas break).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from .. import clock
from ..clock import is_working_day
from ..extensions import db
from . import demo_pricing
from .demo_data import OFFERINGS, THEMES
from .models import Edition, EditionStatus, Offering, OfferingType, SessionDate, Theme, Venue

VENUES = {"Utrecht": "Jaarbeurs Meeting Center", "Amsterdam": "Pakhuis de Zwijger",
          "Den Haag": "Congrescentrum Babylon", "Zwolle": "Hanzeborg", "Eindhoven": "Evoluon",
          "Rotterdam": "Postillion Hotel"}
ROUTE = "Vanaf het station is het ongeveer {} minuten lopen."
# venue -> street address, postal code, city, route, parking, step-free, hearing loop
VENUE_RECORDS = {
    "Jaarbeurs Meeting Center": ("Jaarbeursplein 6", "3521 AL", "Utrecht", ROUTE.format(5),
                                 "Parkeergarage P1 van de Jaarbeurs.", True, True),
    "Beatrix Theater": ("Catharijnesingel 1", "3511 GB", "Utrecht", ROUTE.format(5),
                        "Parkeergarage Jaarbeurs P1.", True, True),
    "Pakhuis de Zwijger": ("Piet Heinkade 179", "1019 HC", "Amsterdam",
                           "Tram 26 vanaf Amsterdam Centraal, halte Rietlandpark.",
                           "Beperkt parkeren; gebruik bij voorkeur het openbaar vervoer.", True, False),
    "RAI": ("Europaplein 24", "1078 GZ", "Amsterdam", "Naast station Amsterdam RAI.",
            "Parkeergarage P1 van de RAI.", True, True),
    "Congrescentrum Babylon": ("Koningin Julianaplein 30", "2595 AA", "Den Haag", ROUTE.format(2),
                               "Parkeergarage Babylon.", True, False),
    "World Forum": ("Churchillplein 10", "2517 JW", "Den Haag", "Tram 17 vanaf Den Haag Centraal.",
                    "Parkeerterrein World Forum.", True, True),
    "Hanzeborg": ("Stationsweg 8", "8011 CZ", "Zwolle", ROUTE.format(3),
                  "Betaald parkeren in de garage Katwolderplein.", False, False),
    "Evoluon": ("Noord Brabantlaan 1a", "5652 LA", "Eindhoven", "Bus 401 vanaf Eindhoven Centraal.",
                "Gratis parkeren bij het gebouw.", True, True),
    "Postillion Hotel": ("Beursplein 37", "3011 AA", "Rotterdam", ROUTE.format(10),
                         "Parkeergarage Beurstraverse.", True, False),
}


def venues() -> dict[str, Venue]:
    """The demo venues by name: the existing records, and new ones for those missing."""
    found = {venue.name: venue for venue in db.session.scalars(
        select(Venue).where(Venue.name.in_(VENUE_RECORDS)))}
    for name, (street, postal, city, route, parking, step_free, loop) in VENUE_RECORDS.items():
        if name not in found:
            found[name] = Venue(name=name, street_address=street, postal_code=postal, city=city, route=route,
                                parking=parking, step_free=step_free, hearing_loop=loop)
            db.session.add(found[name])
    return found


def teaching_day(day: date) -> bool:
    """A day we could hold a session: a working day outside the Christmas break."""
    return is_working_day(day) and not (day.month == 12 and day.day >= 24)


def working_day(day: date) -> date:
    """The day itself if we teach then; a weekend day moves to the Monday after it, a holiday
    to the same weekday a week later (so a closed week does not pile every start onto the
    first Monday after it)."""
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    while not teaching_day(day):
        day += timedelta(days=7)
    return day


def session_days(start: date, sessions: int, interval: int) -> list[date]:
    """`sessions` days `interval` days apart, each moved to a teaching day, never two on one day."""
    days: list[date] = []
    for i in range(sessions):
        planned = start + timedelta(days=interval * i)
        days.append(working_day(max(planned, days[-1] + timedelta(days=1)) if days else planned))
    return days


def _edition(city: str, start: date, sessions: int, options: dict, places: dict[str, Venue]) -> Edition:
    online = city == "online"
    interval = options.get("interval", 7)
    capacity = options.get("capacity", 20)
    days = session_days(start, sessions, interval)
    venue = options.get("venue", "" if online else VENUES.get(city, ""))
    return Edition(
        start_date=days[0], online=online, city="" if online else city,
        location=places.get(venue), venue="" if venue in places else venue,
        online_platform="Zoom" if online else "",
        # no seat is taken without an enrolment: the enrolment demo books them (sbo/enrolment/demo.py)
        capacity=capacity, seats_taken=0,
        status=EditionStatus(options.get("status", "open")),
        sessions=[SessionDate(day=day) for day in days],
    )


def seed(today: date | None = None) -> int:
    """Add what is missing; returns the number of new themes and offerings."""
    today = today or clock.today()
    created = 0
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    for slug, name, description in THEMES:
        if slug not in themes:
            themes[slug] = Theme(slug=slug, name=name, description=description)
            db.session.add(themes[slug])
            created += 1
    places = venues()
    existing = set(db.session.scalars(
        select(Offering.slug).where(Offering.slug.in_([o["slug"] for o in OFFERINGS]))))
    for data in OFFERINGS:
        if data["slug"] in existing:
            continue
        values = {k: v for k, v in data.items() if k not in ("themes", "editions")}
        values["type"] = OfferingType(values["type"])
        offering = Offering(**values)
        offering.themes = [themes[slug] for slug in data["themes"]]
        offering.editions = [_edition(city, today + timedelta(days=offset), sessions, options, places)
                             for offset, city, sessions, options in data["editions"]]
        db.session.add(offering)
        created += 1
    db.session.flush()
    return created + demo_pricing.seed(today)
