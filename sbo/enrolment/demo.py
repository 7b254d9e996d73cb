"""Demo enrolments: every upcoming edition gets real bookings behind its taken seats, so the
seat invariant (seats_taken == confirmed + held enrolments) holds in the demo as it does
live. Full editions (staff marked them "vol", or the smallest small edition) are filled up
and get a waiting list (the smallest with an open offer of a freed seat); one booking is
still waiting for its booker's confirmation, to show held seats. Names are plausible Dutch names; addresses are under example.org (reserved,
RFC 2606). Idempotent: an edition that has enrolments is left alone; no mail is queued."""
from __future__ import annotations

import unicodedata
from datetime import timedelta

from sqlalchemy import func, select

from .. import clock
from ..catalogue.models import Edition, EditionStatus
from ..clock import utcnow
from ..extensions import db
from .models import SEATED, Booking, Enrolment, EnrolmentStatus, Offer

FIRST_NAMES = [  # 31 and 37 are coprime: (i % 31, i % 37) differ for 1147 people in a row
    "Sanne", "Youssef", "Marieke", "Pieter", "Lotte", "Daan", "Fatima", "Bram", "Iris", "Thijs",
    "Noor", "Jeroen", "Esther", "Mohamed", "Anouk", "Ruud", "Femke", "Kees", "Samira", "Wouter",
    "Linda", "Joost", "Ilse", "Hamza", "Mirjam", "Gert-Jan", "Eline", "Mehmet", "Karin", "Sven",
    "Naima",
]
LAST_NAMES = [
    "de Vries", "El Amrani", "Jansen", "Bakker", "Hendriks", "Visser", "van den Berg", "Smit",
    "Mulder", "de Boer", "Meijer", "Bos", "Vos", "Peters", "van Dijk", "Kaya", "Dekker",
    "Verhoeven", "Brouwer", "de Groot", "Kramer", "van Leeuwen", "Postma", "Yilmaz", "Kok",
    "van der Meer", "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers", "Veenstra",
    "Bouali", "van Wijk", "Sarmo", "Timmermans",
]
ORGANISATIONS = [  # (name, mail domain under example.org)
    ("Gemeente Utrecht", "utrecht.example.org"),
    ("Veiligheidsregio Hollands Midden", "vrhm.example.org"),
    ("Gemeente Zwolle", "zwolle.example.org"),
    ("Provincie Gelderland", "gelderland.example.org"),
    ("Gemeente Eindhoven", "eindhoven.example.org"),
    ("Politie Oost-Nederland", "politie-on.example.org"),
    ("GGD Haaglanden", "ggd-haaglanden.example.org"),
    ("Woningcorporatie Portaal", "portaal.example.org"),
    ("Reclassering Nederland", "reclassering.example.org"),
    ("Gemeente Rotterdam", "rotterdam.example.org"),
]
JOB_TITLES = ["Beleidsadviseur openbare orde", "Crisiscoördinator", "Teamleider handhaving",
              "Jurist", "Adviseur integrale veiligheid", "Wijkagent", "Projectleider",
              "Casusregisseur", "Toezichthouder"]
GROUPS = [1, 2, 1, 3, 1, 1, 2, 1]  # booker plus colleagues, in turn
WAITING = 2  # people on the waiting list of a full edition


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum() or c == "-")


def _person(index: int, colleague_of: int | None = None) -> tuple[str, str, str, str, str]:
    """(first, last, email, organisation, job title) of demo person `index`; colleagues
    work where their booker works."""
    first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
    organisation, domain = ORGANISATIONS[(index if colleague_of is None else colleague_of) % len(ORGANISATIONS)]
    email = f"{_plain(first)}.{_plain(last)}@{domain}"
    return first, last, email, organisation, JOB_TITLES[index % len(JOB_TITLES)]


def planned_seats(edition: Edition) -> int:
    """How full the demo makes an edition: a congress about half, a course a handful."""
    if edition.capacity > 50:
        return edition.capacity * (40 + edition.id * 7 % 30) // 100
    return min(edition.capacity, 3 + len(edition.sessions) + edition.id % 4)


def _book(edition: Edition, people: list[int], status: EnrolmentStatus, created, held: bool = False) -> Booking:
    first, last, email, organisation, job = _person(people[0])
    booking = Booking(edition=edition, first_name=first, last_name=last, email=email,
                      organisation=organisation, job_title=job, phone="030 123 45 67",
                      created_at=created, confirmed_at=None if held else created,
                      hold_expires_at=utcnow() + timedelta(hours=20) if held else None)
    db.session.add(booking)
    for index in people:
        first, last, email, _, _ = _person(index, colleague_of=people[0])
        db.session.add(Enrolment(booking=booking, edition=edition, first_name=first,
                                 last_name=last, email=email, status=status, created_at=created,
                                 confirmed_at=created if status == EnrolmentStatus.CONFIRMED else None))
    return booking


def _fill(edition: Edition, seats: int, waiting: int, hold: int, offer: bool = False) -> int:
    """Book `seats` seats, the last `hold` of them held for one unconfirmed booking, and
    `waiting` places on the waiting list. With `offer`, someone cancelled yesterday and the
    first person waiting has the freed seat on offer (open). Returns the number of enrolments."""
    start = edition.id * 53  # a different crowd in every edition
    now = utcnow()
    index, turn, confirmed = 0, 0, seats - hold - int(offer)
    while index < confirmed:
        size = min(GROUPS[turn % len(GROUPS)], confirmed - index)
        _book(edition, [start + index + n for n in range(size)], EnrolmentStatus.CONFIRMED,
              now - timedelta(days=seats - index))
        index, turn = index + size, turn + 1
    if hold:
        _book(edition, [start + confirmed + n for n in range(hold)], EnrolmentStatus.HELD,
              now - timedelta(hours=2), held=True)
    if offer:
        booking = _book(edition, [start + seats + waiting], EnrolmentStatus.OFFERED, now - timedelta(days=3))
        db.session.add(Offer(booking=booking, edition=edition, seats=1, created_at=now - timedelta(hours=20),
                             expires_at=now + timedelta(hours=28)))
    for n in range(waiting):
        _book(edition, [start + seats + n], EnrolmentStatus.WAITING, now - timedelta(hours=waiting - n))
    edition.seats_taken = seats  # the seats these enrolments hold: the invariant, from the start
    return seats + waiting


def seed() -> int:
    editions = db.session.scalars(
        select(Edition).where(Edition.status != EditionStatus.GEANNULEERD,
                              Edition.start_date > clock.today())
        .order_by(Edition.start_date, Edition.id)).all()
    if not editions:
        return 0
    booked = set(db.session.scalars(
        select(Enrolment.edition_id).where(Enrolment.edition_id.in_([e.id for e in editions]))
        .group_by(Enrolment.edition_id)))
    small = min(editions[:4], key=lambda e: e.capacity)
    created, filled = 0, []
    for position, edition in enumerate(editions):
        if edition.id in booked:
            continue
        if edition.seats_taken != db.session.scalar(
                select(func.count()).select_from(Enrolment)
                .where(Enrolment.edition_id == edition.id, Enrolment.status.in_(SEATED))):
            continue  # seats taken by hand, without enrolments: not ours to fix
        full = edition.status == EditionStatus.VOL or (edition is small and edition.capacity <= 15)
        seats = edition.capacity if full else planned_seats(edition)
        hold = 2 if position == 0 and not full and seats >= 4 else 0
        created += _fill(edition, seats, WAITING if full else 0, hold, offer=edition is small and full)
        filled.append(edition)
    db.session.flush()
    _move_one_colleague(filled)
    return created


def _move_one_colleague(editions: list[Edition]) -> None:
    """Rebooking in the demo: in the first offering with two upcoming dates filled just now,
    one colleague of a group booking has moved to the later date, so the booker's overview
    shows a booking over two dates. (Moved as the rebooking service would, without its mail.)"""
    dates: dict[int, list[Edition]] = {}
    for edition in editions:
        dates.setdefault(edition.offering_id, []).append(edition)
    for first, later, *_ in (pair for pair in dates.values() if len(pair) > 1):
        if later.status != EditionStatus.OPEN or later.seats_taken >= later.capacity:
            continue
        colleague = db.session.scalars(
            select(Enrolment).join(Booking, Booking.id == Enrolment.booking_id)
            .where(Enrolment.edition_id == first.id, Enrolment.status == EnrolmentStatus.CONFIRMED,
                   Enrolment.email != Booking.email,
                   Enrolment.email.not_in(select(Enrolment.email).where(Enrolment.edition_id == later.id)))
            .order_by(Enrolment.id.desc()).limit(1)).first()
        if colleague is not None:
            colleague.edition = later
            first.seats_taken -= 1
            later.seats_taken += 1
            db.session.flush()
            return
def book_past_edition(edition: Edition, seats: int) -> list[Enrolment]:
    """Confirmed bookings for an edition that has taken place (the attendance demo marks who
    came). Returns its enrolments."""
    _fill(edition, seats, waiting=0, hold=0)
    db.session.flush()
    return list(db.session.scalars(select(Enrolment).where(Enrolment.edition_id == edition.id)
                                   .order_by(Enrolment.id)))
