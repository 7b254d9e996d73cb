"""Small builders for test data. Call them inside an app context, then commit."""
from __future__ import annotations

import itertools
from datetime import timedelta

from sbo import clock
from sbo.catalogue.models import (Edition, EditionStatus, Offering, OfferingType, ProgrammeItem, SessionDate,
                                  Theme, Trainer, Venue)
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
        make_edition(offering, start_date=clock.today() + timedelta(days=30 * (i + 1)))
    return offering


def make_venue(**overrides) -> Venue:
    values = {"name": "Jaarbeurs Meeting Center", "street_address": "Jaarbeursplein 6", "postal_code": "3521 AL",
              "city": "Utrecht", "route": "Vanaf Utrecht Centraal vijf minuten lopen.",
              "parking": "Parkeergarage P1.", "step_free": True, "hearing_loop": False}
    values.update(overrides)
    venue = Venue(**values)
    db.session.add(venue)
    db.session.flush()
    return venue


def make_trainer(offerings=(), **overrides) -> Trainer:
    n = next(_seq)
    values = {"slug": f"trainer-{n}", "name": f"Trainer {n}", "role": "adviseur", "bio": ""}
    values.update(overrides)
    trainer = Trainer(**values)
    db.session.add(trainer)
    for offering in offerings:
        offering.trainers.append(trainer)
    db.session.flush()
    return trainer


def make_item(offering: Offering, title: str, day: int = 1, trainers=(), **overrides) -> ProgrammeItem:
    """A programme item at the end of its day."""
    position = 1 + max((i.position for i in offering.programme_items if i.day == day), default=0)
    item = ProgrammeItem(title=title, day=day, position=position, trainers=list(trainers), **overrides)
    offering.programme_items.append(item)
    db.session.flush()
    return item


def make_edition(offering: Offering, days: int = 1, **overrides) -> Edition:
    values = {"start_date": clock.today() + timedelta(days=30), "venue": "Jaarbeurs",
              "city": "Utrecht", "capacity": 20, "status": EditionStatus.OPEN}
    values.update(overrides)
    edition = Edition(offering=offering, **values)
    edition.sessions = [SessionDate(day=values["start_date"] + timedelta(days=7 * i)) for i in range(days)]
    db.session.add(edition)
    db.session.flush()
    return edition


# == news ==
def make_article(themes=(), **overrides):
    from sbo.clock import utcnow
    from sbo.news.models import Article
    n = next(_seq)
    values = {"slug": f"artikel-{n}", "title": f"Artikel {n}", "lead": f"De inleiding van artikel {n}.",
              "body": f"De tekst van artikel {n}.",
              "published_at": utcnow() - timedelta(days=1)}
    values.update(overrides)
    article = Article(**values)
    article.themes = list(themes)
    db.session.add(article)
    db.session.flush()
    return article


def make_comment(article, status="approved", parent=None, **overrides):
    from sbo.clock import utcnow
    from sbo.news.models import Comment, CommentStatus
    n = next(_seq)
    now = overrides.pop("now", None) or utcnow()
    values = {"author_name": f"Lezer {n}", "author_email": f"lezer{n}@voorbeeld.nl",
              "body": f"Reactie nummer {n}.", "created_at": now, "status_changed_at": now}
    values.update(overrides)
    comment = Comment(article_id=article.id, parent_id=parent.id if parent else None,
                      thread_id=parent.thread_id if parent else None,
                      depth=parent.depth + 1 if parent else 1, status=CommentStatus(status), **values)
    if comment.status == CommentStatus.APPROVED:
        comment.approved_at = now
    db.session.add(comment)
    db.session.flush()
    if comment.thread_id is None:
        comment.thread_id = comment.id
        db.session.flush()
    return comment


# == enrolment ==
def make_enrolment(edition: Edition, status: str = "confirmed", **overrides):
    """A booking with one enrolment; a confirmed or held one takes a seat (like the service
    does). The booking is confirmed by its booker, except for a "held" enrolment."""
    from sbo.enrolment.models import Booking, Enrolment
    from sbo.clock import utcnow

    n = next(_seq)
    values = {"first_name": "Deelnemer", "last_name": f"Nummer {n}",
              "email": f"deelnemer{n}@example.org"}
    values.update(overrides)
    held = status == "held"
    booking = Booking(edition=edition, organisation="Gemeente Testdorp",
                      confirmed_at=None if held else utcnow(),
                      hold_expires_at=utcnow() + timedelta(hours=24) if held else None, **values)
    enrolment = Enrolment(booking=booking, edition=edition, status=status, **values)
    if status in ("confirmed", "held"):
        edition.seats_taken += 1
    db.session.add_all([booking, enrolment])
    db.session.flush()
    return enrolment


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


# == catalogue ==
def bulk_offerings(count: int, theme: Theme | None = None, prefix: str = "bulk") -> None:
    """Insert `count` published offerings, each with one upcoming edition and (optionally) a theme,
    in a few executemany statements (fast enough for 2,000)."""
    from sqlalchemy import insert

    from sbo.catalogue.models import offering_theme

    n0 = next(_seq) * 100_000
    ids = db.session.scalars(insert(Offering).returning(Offering.id, sort_by_parameter_order=True), [
        {"slug": f"{prefix}-{n0 + i}", "title": f"Bulk {n0 + i}", "type": OfferingType.CURSUS,
         "teaser": "Tijdens de cursus leer je veel.", "search_title": f"bulk {n0 + i}",
         "search_body": "tijdens de cursus leer je veel"} for i in range(count)]).all()
    db.session.execute(insert(Edition), [
        {"offering_id": i, "start_date": clock.today() + timedelta(days=10 + i % 200),
         "city": ("Utrecht", "Zwolle", "Amsterdam")[i % 3], "capacity": 20, "seats_taken": 0,
         "status": EditionStatus.OPEN} for i in ids])
    if theme is not None:
        db.session.execute(insert(offering_theme), [{"offering_id": i, "theme_id": theme.id} for i in ids])
    db.session.flush()


def make_mixed_enrolments():
    """An edition (capacity 3) with enrolments made out of order: waiting, cancelled, confirmed,
    waiting, held, confirmed; and a waiting enrolment of another edition in between (for the
    order of participant lists)."""
    edition = make_edition(make_offering(), capacity=3)
    other = make_edition(make_offering())
    for status, name in [("waiting", "w1"), ("cancelled", "c1"), ("confirmed", "b1")]:
        make_enrolment(edition, status, first_name=name)
    make_enrolment(other, "waiting", first_name="elders")
    for status, name in [("waiting", "w2"), ("held", "h1"), ("confirmed", "b2")]:
        make_enrolment(edition, status, first_name=name)
    return edition
