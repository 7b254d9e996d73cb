"""The large benchmark data set, built through the app's own models with bulk inserts.

Each domain contributes one builder: `build_x(session, facts, rng)` inserts its rows and puts
what the pages and forms need to find them (slugs, ids, search words) into `facts`. Builders
run in list order, so a later one can use an earlier one's facts (enrolment needs editions).
To add a domain, write its builder here (or in its own module) and append it to BUILDERS.

`facts["scale"]` multiplies the size (default 1): offerings, editions, articles and comments
grow with it, the themes and the busy article's 2,000 comments stay. Scale 10 is issue 18's
"hundred times the provider's size": 20,000 offerings, 80,000 editions, 2,000,000 comments.
On PostgreSQL the rows go in with COPY (`bulk_insert`).
"""
from __future__ import annotations

import random
import time
from datetime import date, datetime, time as clock, timedelta, timezone
from typing import Callable

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from sbo.catalogue.models import (Edition, EditionStatus, Offering, OfferingType, ProgrammeItem, SessionDate,
                                  Theme, Trainer, offering_theme, offering_trainer)
from sbo.news.models import Article, Comment, CommentStatus, article_theme
from sbo.catalogue import facets
from sbo.enrolment.models import Booking, Enrolment, EnrolmentStatus
from sbo.news.status_counts import recount

Facts = dict
Builder = Callable[[Session, Facts, random.Random], None]

OFFERINGS = 2_000
EDITIONS_PER_OFFERING = 4  # 8,000 editions
THEMES = [
    "Openbare orde", "Veiligheid", "Handhaving", "Jeugd", "Zorg en welzijn", "Wonen",
    "Ruimtelijke ordening", "Milieu", "Integriteit", "Crisisbeheersing", "Informatiebeveiliging",
    "Privacy", "Bestuursrecht", "Inkoop", "Financiën", "Leiderschap", "Communicatie",
    "Participatie", "Sociaal domein", "Mobiliteit", "Energie", "Cultuur", "Onderwijs", "Arbeidsmarkt",
]
SUBJECTS = [
    "toezicht", "handhaving", "bestuurlijke aanpak", "ondermijning", "cameratoezicht", "evenementen",
    "woonoverlast", "jeugdcriminaliteit", "crisiscommunicatie", "Wet open overheid", "AVG",
    "aanbesteden", "Omgevingswet", "schuldhulp", "Wmo", "radicalisering", "drugsoverlast",
    "brandveiligheid", "bezwaar en beroep", "BIBOB", "sluitingsbevoegdheid", "APV", "horeca",
]
FORMATS = ["Basis", "Verdieping", "Praktijk", "Masterclass", "Update", "Leergang"]
CITIES = ["Utrecht", "Amsterdam", "Rotterdam", "Den Haag", "Zwolle", "Eindhoven", "Arnhem", "Groningen"]
VENUES = ["Jaarbeurs", "Congrescentrum", "Hotel Centraal", "Stadskantoor", "Expo"]
WORDS = ("praktijk regelgeving casus gemeente bestuur burgemeester wethouder ambtenaar toezichthouder "
         "boa politie samenwerking keten advies bevoegdheid besluit zienswijze rapportage dossier").split()


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """Insert rows (dicts keyed by column name) into a Core table: COPY on PostgreSQL (several
    times faster than a multi-row INSERT at millions of rows), an executemany elsewhere. As an
    INSERT would, COPY gets the columns' Python-side defaults (the same value for every row) and
    each value passes through its column type's bind processor."""
    if not rows:
        return
    table = getattr(table, "__table__", table)
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    defaults = {c.name: c.default for c in table.columns if c.name not in rows[0] and c.default is not None}
    columns = [c for c in table.columns if c.name in rows[0] or c.name in defaults]
    processors = [c.type.bind_processor(dialect) or (lambda value: value) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            if defaults:  # a callable default may read the row (Comment.body_hash)
                context = _RowContext(row)
                row = {**row, **{name: default.arg if default.is_scalar else default.arg(context)
                                 for name, default in defaults.items()}}
            copy.write_row([process(row[c.name]) for c, process in zip(columns, processors)])


class _RowContext:
    """What a context-sensitive column default reads: the row's parameters."""
    def __init__(self, row: dict):
        self.row = row

    def get_current_parameters(self) -> dict:
        return self.row


def _scaled(facts: Facts, count: int) -> int:
    return round(count * facts.get("scale", 1))


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build_catalogue(session: Session, facts: Facts, rng: random.Random) -> None:
    """24 themes, 2,000 offerings (1-3 themes each), 8,000 editions, ~24,000 session dates
    (times the scale, but the themes)."""
    themes = [{"id": i, "slug": f"thema-{i}", "name": name, "description": _text(rng, 12)}
              for i, name in enumerate(THEMES, start=1)]
    bulk_insert(session, Theme, themes)
    types = list(OfferingType)
    offerings, links = [], []
    for i in range(1, _scaled(facts, OFFERINGS) + 1):
        subject = SUBJECTS[i % len(SUBJECTS)]
        kind = types[i % len(types)]
        title = f"{FORMATS[i % len(FORMATS)]} {subject} {i}"
        offerings.append({
            "id": i, "slug": f"{kind.value}-{subject.lower().replace(' ', '-')}-{i}", "title": title,
            "type": kind, "teaser": f"{_text(rng, 14)} Over {subject}.",
            "description": "\n\n".join(_text(rng, 60) for _ in range(4)),
            "learning_outcomes": "\n".join(_text(rng, 8) for _ in range(5)),
            "audience": _text(rng, 25),
            "duration": f"{1 + i % 5} dagen", "price_cents": 49500 + (i % 20) * 5000,
            "accreditation": "PE-punten" if i % 3 else "", "published": i % 50 != 0,
        })
        for theme_id in rng.sample(range(1, len(THEMES) + 1), 1 + i % 3):
            links.append({"offering_id": i, "theme_id": theme_id})
    bulk_insert(session, Offering, offerings)
    bulk_insert(session, offering_theme, links)
    _programmes_and_trainers(session, offerings, rng)

    today = date.today()
    editions, sessions = [], []
    edition_id = session_id = 0
    for offering in offerings:
        for n in range(EDITIONS_PER_OFFERING):
            edition_id += 1
            start = today + timedelta(days=rng.randint(-90, 420))
            capacity = rng.choice((12, 16, 20, 24, 40, 150))
            taken = rng.randint(0, capacity) if n % 3 == 0 else 0
            online = edition_id % 7 == 0
            editions.append({
                "id": edition_id, "offering_id": offering["id"], "start_date": start,
                "venue": "" if online else rng.choice(VENUES), "city": "" if online else rng.choice(CITIES),
                "online": online, "capacity": capacity, "seats_taken": taken,
                "status": EditionStatus.VOL if taken == capacity else EditionStatus.OPEN,
                "price_cents_override": None,
            })
            for day in range(1 + edition_id % 5):
                session_id += 1
                sessions.append({"id": session_id, "edition_id": edition_id,
                                 "day": start + timedelta(days=7 * day),
                                 "start_time": clock(9, 30), "end_time": clock(16, 30)})
    bulk_insert(session, Edition, editions)
    bulk_insert(session, SessionDate, sessions)

    middle = offerings[len(offerings) // 2 + 1]
    open_editions = [e["id"] for e in editions
                     if e["status"] == EditionStatus.OPEN and e["start_date"] > today
                     and e["capacity"] >= 40 and e["seats_taken"] == 0]
    facts.update({
        "offering_slug": middle["slug"], "offering_type": OfferingType.CURSUS.value,
        "theme_slug": "thema-2", "search_term": "handhaving",
        "open_edition_ids": open_editions[:200],
        "edition_offering_slug": {e["id"]: offerings[e["offering_id"] - 1]["slug"]
                                  for e in editions if e["id"] in set(open_editions[:200])},
        "counts": {**facts.get("counts", {}), "offerings": len(offerings), "editions": len(editions),
                   "session_dates": len(sessions), "themes": len(themes)},
    })


TRAINERS = 400
ITEMS_PER_OFFERING = 6


def _programmes_and_trainers(session: Session, offerings: list[dict], rng: random.Random) -> None:
    """A pool of trainers, three per offering, and six programme items over the offering's days."""
    now = datetime(2026, 1, 1)
    bulk_insert(session, Trainer, [
        {"id": n, "slug": f"trainer-{n}", "name": f"Trainer {n}", "role": rng.choice(WORDS), "bio": _text(rng, 40),
         "created_at": now, "updated_at": now} for n in range(1, TRAINERS + 1)])
    bulk_insert(session, offering_trainer, [
        {"offering_id": o["id"], "trainer_id": trainer_id}
        for o in offerings for trainer_id in rng.sample(range(1, TRAINERS + 1), 3)])
    items = []
    for o in offerings:
        days = 1 + o["id"] % 5
        items += [{"offering_id": o["id"], "day": 1 + n * days // ITEMS_PER_OFFERING, "position": n + 1,
                   "title": _text(rng, 6), "description": ""} for n in range(ITEMS_PER_OFFERING)]
    bulk_insert(session, ProgrammeItem, items)


ARTICLES = 1_000
COMMENTS = 200_000
BUSY_COMMENTS = 2_000  # approved, on one article; every 5th a reply
CHUNK = 20_000


def build_news(session: Session, facts: Facts, rng: random.Random) -> None:
    """1,000 articles (1-2 themes each), 200,000 comments; the newest article has 2,000 approved
    comments (a fifth of them replies) and open comments, its slug in facts["busy_article_slug"].
    Articles and comments times the scale; the busy article keeps its 2,000."""
    now = datetime.utcnow().replace(microsecond=0)
    articles, links = [], []
    article_count = _scaled(facts, ARTICLES)
    for i in range(1, article_count + 1):
        published = now - timedelta(hours=6 + 9 * (i - 1))  # article 1 is the newest
        articles.append({
            "id": i, "slug": f"nieuws-{i}-{rng.choice(SUBJECTS).lower().replace(' ', '-')}",
            "title": f"{_text(rng, 6)[:-1]} ({i})", "lead": _text(rng, 30),
            "body": "\n\n".join(_text(rng, 70) for _ in range(5)),
            "published_at": published, "created_at": published, "updated_at": published,
        })
        for theme_id in rng.sample(range(1, len(THEMES) + 1), 1 + i % 2):
            links.append({"article_id": i, "theme_id": theme_id})
    bulk_insert(session, Article, articles)
    bulk_insert(session, article_theme, links)

    statuses = [CommentStatus.APPROVED] * 7 + [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH]
    rows: list[dict] = []
    comment_id = 0
    bodies = [_text(rng, 10 + n % 40) for n in range(400)]  # a pool: 200,000 fresh texts cost seconds

    def add(article_id: int, parent: dict | None, status: CommentStatus, created: datetime) -> dict:
        nonlocal comment_id
        comment_id += 1
        n = comment_id
        row = {"id": n, "article_id": article_id, "parent_id": parent["id"] if parent else None,
               "thread_id": parent["thread_id"] if parent else n, "depth": parent["depth"] + 1 if parent else 1,
               "author_name": f"Lezer {n % 5000}", "author_email": f"lezer{n % 5000}@example.org",
               "author_url": None, "body": bodies[n % len(bodies)], "status": status,
               "held_reason": None, "is_staff": False, "notify_replies": False, "approval_mailed": True,
               "reply_mailed": False, "ip_address": f"10.0.{n % 250}.{n % 200}", "created_at": created,
               "approved_at": created if status == CommentStatus.APPROVED else None,
               "status_changed_at": created, "edited_at": None}
        rows.append(row)
        if len(rows) >= CHUNK:
            flush()
        return row

    def flush() -> None:
        if rows:
            # Core insert on the model's table: the ORM's per-row bookkeeping doubles the time
            bulk_insert(session, Comment, rows)
        rows.clear()

    busy = articles[0]
    roots: list[dict] = []
    for n in range(BUSY_COMMENTS):
        created = busy["published_at"] + timedelta(seconds=5 * (n + 1))
        parent = rng.choice(roots[-50:]) if n % 5 == 4 and roots else None
        row = add(busy["id"], parent, CommentStatus.APPROVED, created)
        if parent is None:
            roots.append(row)
    others = _scaled(facts, COMMENTS) - BUSY_COMMENTS
    for n in range(others):
        article = articles[1 + n % (article_count - 1)]
        created = article["published_at"] + timedelta(minutes=1 + n // article_count)
        add(article["id"], None, statuses[n % len(statuses)], created)
    flush()
    facts.update({
        "busy_article_slug": busy["slug"], "article_slug": articles[10]["slug"],
        "counts": {**facts.get("counts", {}), "articles": len(articles), "comments": comment_id},
    })


ENROLMENT_EDITIONS = 5


def build_enrolment(session: Session, facts: Facts, rng: random.Random) -> None:
    """A few open editions with room for every POST of the enrolment burst (bookings and
    enrolments start empty: the burst makes them)."""
    first = session.execute(text("SELECT MAX(id) FROM edition")).scalar() + 1
    offering_id = 3  # published, and not the offering whose page is measured
    slug = session.execute(select(Offering.slug).where(Offering.id == offering_id)).scalar_one()
    start = date.today() + timedelta(days=60)
    editions = [{"id": first + n, "offering_id": offering_id, "start_date": start + timedelta(days=7 * n),
                 "venue": VENUES[0], "city": CITIES[0], "online": False, "capacity": 100_000,
                 "seats_taken": 0, "status": EditionStatus.OPEN, "price_cents_override": None}
                for n in range(ENROLMENT_EDITIONS)]
    bulk_insert(session, Edition, editions)
    first_day = session.execute(text("SELECT MAX(id) FROM session_date")).scalar() + 1
    bulk_insert(session, SessionDate, [
        {"id": first_day + n, "edition_id": e["id"], "day": e["start_date"], "start_time": clock(9, 30), "end_time": clock(16, 30)}
        for n, e in enumerate(editions)])
    facts["enrolment_editions"] = [e["id"] for e in editions]
    facts["enrolment_slug"] = slug
    facts["counts"]["editions"] += len(editions)
    facts["counts"]["session_dates"] += len(editions)
    build_seated(session, facts, first)
    build_participants(session, facts, offering_id, start)


def build_seated(session: Session, facts: Facts, before: int) -> None:
    """A confirmed enrolment (its own booking) for every seat the catalogue's editions (ids
    below `before`) have taken: ~90,000 at scale 1, spread over a third of the editions, as a
    real enrolment table is. (Without them the burst's edition held nearly every enrolment, and
    PostgreSQL's generic plans assumed any edition had half the table.)"""
    taken = session.execute(text("SELECT id, seats_taken FROM edition WHERE seats_taken > 0 AND id < :before "
                                 "ORDER BY id"), {"before": before}).all()
    booked = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=40)
    rows = []
    for edition_id, seats in taken:
        for n in range(seats):
            at = booked + timedelta(minutes=len(rows) % 50_000)
            rows.append({"first_name": f"Cursist{n}", "last_name": f"Editie {edition_id}",
                         "email": f"cursist{n}-{edition_id}@example.org", "edition_id": edition_id,
                         "status": EnrolmentStatus.CONFIRMED, "created_at": at, "confirmed_at": at,
                         "cancelled_at": None, "booking_confirmed_at": at})
    _book(session, rows)
    facts["counts"]["seated_enrolments"] = len(rows)


def _book(session: Session, rows: list[dict]) -> None:
    """Enrolments (their columns but the ids, plus `booking_confirmed_at`), each with a booking
    of its own for the same person, made and confirmed then; ids after the tables' highest."""
    first_booking = (session.execute(text("SELECT MAX(id) FROM booking")).scalar() or 0) + 1
    first_enrolment = (session.execute(text("SELECT MAX(id) FROM enrolment")).scalar() or 0) + 1
    bookings, enrolments = [], []
    for n, row in enumerate(rows):
        enrolment = {**row, "id": first_enrolment + n, "booking_id": first_booking + n}
        bookings.append({key: row[key] for key in ("first_name", "last_name", "email", "edition_id", "created_at")}
                        | {"id": first_booking + n, "organisation": f"Gemeente {CITIES[n % len(CITIES)]}",
                           "confirmed_at": enrolment.pop("booking_confirmed_at")})
        enrolments.append(enrolment)
    bulk_insert(session, Booking, bookings)
    bulk_insert(session, Enrolment, enrolments)


# The edition whose participant list the bench shows: a full congress with a waiting list and
# some cancellations, the same size in every run (the enrolment burst's editions grow by every
# burst, so a list of one of those would measure a longer page each run).
PARTICIPANTS = {EnrolmentStatus.CONFIRMED: 250, EnrolmentStatus.WAITING: 40, EnrolmentStatus.CANCELLED: 20}


def build_participants(session: Session, facts: Facts, offering_id: int, start: date) -> None:
    edition_id = session.execute(text("SELECT MAX(id) FROM edition")).scalar() + 1
    capacity = PARTICIPANTS[EnrolmentStatus.CONFIRMED]
    bulk_insert(session, Edition, [{
        "id": edition_id, "offering_id": offering_id, "start_date": start + timedelta(days=3),
        "venue": VENUES[1], "city": CITIES[1], "online": False, "capacity": capacity,
        "seats_taken": capacity, "status": EditionStatus.OPEN, "price_cents_override": None}])
    bulk_insert(session, SessionDate, [{
        "id": session.execute(text("SELECT MAX(id) FROM session_date")).scalar() + 1,
        "edition_id": edition_id, "day": start + timedelta(days=3), "start_time": clock(9, 30),
        "end_time": clock(16, 30)}])
    booked = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=30)
    statuses = [status for status, n in PARTICIPANTS.items() for _ in range(n)]
    rows = []
    for n, status in enumerate(statuses):
        at = booked + timedelta(minutes=17 * n)
        rows.append({"first_name": f"Deelnemer{n}", "last_name": f"Congres {n}",
                     "email": f"deelnemer{n}@example.org", "edition_id": edition_id, "status": status,
                     "created_at": at,
                     "confirmed_at": at + timedelta(hours=1) if status != EnrolmentStatus.WAITING else None,
                     "cancelled_at": at + timedelta(days=2) if status == EnrolmentStatus.CANCELLED else None,
                     "booking_confirmed_at": at + timedelta(hours=1)})
    _book(session, rows)
    facts["participant_edition"] = edition_id
    facts["counts"]["editions"] += 1
    facts["counts"]["session_dates"] += 1
    facts["counts"]["enrolments"] = len(rows)


def build_staff(session: Session, facts: Facts, rng: random.Random) -> None:
    """An admin account for the staff pages (bench/run.py logs in once and sends its session
    cookie with every request); its password lives only in this data set's facts."""
    from sbo.staff.models import Role, StaffUser
    user = StaffUser(email="bench-beheer@example.org", name="Bench Beheer", role=Role.ADMIN, active=True)
    facts["staff_password"] = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(20))
    user.set_password(facts["staff_password"])
    session.add(user)
    session.flush()
    facts["staff_email"] = user.email


# The order matters: a builder may use the facts of those before it.
BUILDERS: list[Builder] = [build_catalogue, build_news, build_enrolment, build_staff]


def reset_sequences(session: Session) -> None:
    """PostgreSQL: the builders give explicit ids; move each id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from sbo.extensions import db
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


def build(session: Session, builders: list[Builder] | None = None, seed: int = 7,
          scale: float = 1) -> tuple[Facts, dict]:
    """Run the builders in one transaction; returns (facts, seconds per builder)."""
    rng = random.Random(seed)
    facts: Facts = {"scale": scale}
    timings = {}
    if session.get_bind().dialect.name == "postgresql":
        # no triggers during the load (foreign-key checks, the comment status counts: a row
        # update per comment); the counts are made afterwards. Needs a superuser, as `postgres`.
        session.execute(text("SET LOCAL session_replication_role = replica"))
    for builder in builders if builders is not None else BUILDERS:
        started = time.perf_counter()
        builder(session, facts, rng)
        session.flush()
        timings[builder.__name__] = round(time.perf_counter() - started, 2)
    reset_sequences(session)
    recount(session.connection())
    # the catalogue's kept facet counts and next dates (sbo/catalogue/facets.py): counted once
    # after the load, as the hooks count every offering again after a bulk insert anyway
    facets.rebuild(session.connection())
    session.info.pop(facets.PENDING, None)
    session.commit()
    timings["analyze"] = refresh_statistics(session.get_bind())
    return facts, timings


def refresh_statistics(engine) -> float:
    """Planner statistics, as a live database has them (PostgreSQL's autovacuum; SQLite: run
    ANALYZE or PRAGMA optimize now and then) -- without them plans on fresh bulk data differ.
    PostgreSQL: VACUUM too, as autovacuum would after so many inserts and updates -- otherwise
    it does so in the middle of the measurements (seen: enrolment p99 218 ms instead of ~150
    ms), or, where autovacuum is off, never: a reused data set then carries the dead rows and
    the empty tables' statistics of the bursts before it (seen: enrolment POST p99 95 ms after
    VACUUM ANALYZE against 114-125 ms before). Returns the seconds it took."""
    started = time.perf_counter()
    if engine.dialect.name == "postgresql":  # VACUUM runs outside a transaction
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return round(time.perf_counter() - started, 2)
