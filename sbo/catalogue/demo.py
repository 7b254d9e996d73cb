"""Demo content for the catalogue: themes, offerings, editions with session dates, trainers and
programmes per day (demo_trainers.py).

Idempotent: themes and offerings are keyed on their slug; an existing one is left alone, so
a second run adds nothing. Dates are relative to the day of seeding and fall on working
days (no weekends, Dutch public holidays or the Christmas break).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from .. import clock
from ..clock import is_working_day
from ..extensions import db
from . import demo_pricing
from .demo_data import OFFERINGS, THEMES
from .demo_trainers import programme_for, trainers_for
from .models import Accreditation, Edition, EditionStatus, Offering, OfferingType, Register, SessionDate, Theme, Venue

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


# name, short name, number format, hint for participants, how SBO is known to the register
REGISTERS = [
    ("Nederlandse Orde van Advocaten", "NOvA", r"[A-Z]\d{5}", "een letter en vijf cijfers, zoals A12345",
     "SBO is bij de NOvA erkend als opleidingsinstelling; de opleidingen staan in het PO-register."),
    ("BOA-register", "BOA-register", r"\d{6}", "zes cijfers, zoals op je BOA-pas",
     "De bijscholing van SBO telt mee voor de permanente her- en bijscholing van BOA's."),
    ("Register Integriteit", "Register Integriteit", r"RI-\d{4}", "RI- en vier cijfers, zoals RI-0412",
     "SBO is bij het Register Integriteit bekend als aanbieder van geaccrediteerde scholing."),
    ("Registerplein", "Registerplein", r"\d{5}", "vijf cijfers",
     "De opleidingen van SBO zijn door Registerplein geaccrediteerd voor sociaal werkers."),
    ("Stichting Kwaliteitsregister Jeugd", "SKJ", r"\d{9}", "negen cijfers",
     "SKJ heeft de jeugdopleidingen van SBO geaccrediteerd als formeel leren."),
    ("Kwaliteitsregister V&VN", "Kwaliteitsregister V&VN", r"\d{8}", "acht cijfers",
     "De opleiding staat als geaccrediteerde scholing in het Kwaliteitsregister V&VN."),
]
# the free-text accreditation of the demo offerings names registers by these words
FREE_TEXT_NAMES = {"NOvA": "Nederlandse Orde van Advocaten", "Registerplein": "Registerplein",
                   "SKJ": "Stichting Kwaliteitsregister Jeugd", "Kwaliteitsregister V&VN": "Kwaliteitsregister V&VN"}
# accreditations the free text does not mention: slug -> (register, points)
EXTRA_ACCREDITATIONS = {"coordinator-evenementenveiligheid": [("BOA-register", 10)],
                        "wet-en-regelgeving-in-openbare-orde-en-veiligheid": [("BOA-register", 8)],
                        "bibob-coordinator": [("Register Integriteit", 16)],
                        "integrale-aanpak-van-ondermijning": [("Register Integriteit", 12)]}
FREE_TEXT = re.compile(r"([^:·]+):\s*(\d+)")


def seed_accreditations() -> int:
    """The demo registers, and the demo offerings' free-text accreditation turned into
    accreditations per register (the text then goes: the list replaces it). Returns the number
    of new registers and accreditations."""
    registers = {r.name: r for r in db.session.scalars(select(Register))}
    created = 0
    for name, short, pattern, hint, details in REGISTERS:
        if name not in registers:
            registers[name] = Register(name=name, short_name=short, number_pattern=pattern, number_hint=hint,
                                       provider_details=details)
            db.session.add(registers[name])
            created += 1
    db.session.flush()
    slugs = [o["slug"] for o in OFFERINGS]
    for offering in db.session.scalars(select(Offering).where(Offering.slug.in_(slugs))):
        wanted = [(FREE_TEXT_NAMES[word.strip()], int(points))
                  for word, points in FREE_TEXT.findall(offering.accreditation) if word.strip() in FREE_TEXT_NAMES]
        wanted += EXTRA_ACCREDITATIONS.get(offering.slug, [])
        have = {a.register_id for a in offering.accreditations}
        for name, points in wanted:
            if registers[name].id not in have:
                offering.accreditations.append(Accreditation(register=registers[name], points=Decimal(points),
                                                             net_hours=Decimal(points)))
                created += 1
        if wanted:
            offering.accreditation = ""
    db.session.flush()
    return created


def past_edition(slug: str, today: date, days_ago: int, sessions: int) -> Edition | None:
    """A demo edition of offering `slug` that has taken place (for attendance and certificates);
    None when the offering has one already."""
    offering = db.session.scalar(select(Offering).where(Offering.slug == slug))
    if offering is None or any(e.start_date < today for e in offering.editions):
        return None
    edition = _edition("Utrecht", today - timedelta(days=days_ago), sessions, {"capacity": 16}, venues())
    offering.editions.append(edition)
    db.session.flush()
    return edition


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
    trainers: dict = {}  # by slug
    existing = set(db.session.scalars(
        select(Offering.slug).where(Offering.slug.in_([o["slug"] for o in OFFERINGS]))))
    for data in OFFERINGS:
        if data["slug"] in existing:
            continue
        values = {k: v for k, v in data.items() if k not in ("themes", "editions", "programme", "speakers")}
        values["type"] = OfferingType(values["type"])
        offering = Offering(**values)
        offering.themes = [themes[slug] for slug in data["themes"]]
        offering.trainers = trainers_for(data["speakers"], trainers)
        offering.programme_items = programme_for(data["programme"], data["editions"][0][2], offering.trainers)
        offering.editions = [_edition(city, today + timedelta(days=offset), sessions, options, places)
                             for offset, city, sessions, options in data["editions"]]
        db.session.add(offering)
        created += 1
    db.session.flush()
    return created + seed_accreditations() + demo_pricing.seed(today)
