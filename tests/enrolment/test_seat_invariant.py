"""Issue 11, the seat invariant: for every edition, seats_taken equals its confirmed and held
enrolments (held seats are taken: that is what holding means). Checked after the demo and
after every enrolment service. Before the fix the demo set seats_taken without enrolments
behind it (staff read "0 bevestigd van 18" where the public page said "Vol")."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from sbo.catalogue.models import Edition
from sbo.clock import utcnow
from sbo.enrolment import consent, services
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.models import Booking, Enrolment
from sbo.enrolment.services import Participant
from sbo.extensions import db
from tests.factories import make_edition, make_offering


def test_invariant_holds_after_the_demo(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert seat_count_mismatches() == []
        taken = db.session.scalar(select(func.sum(Edition.seats_taken)))
        assert taken > 0
        statuses = set(db.session.scalars(select(Enrolment.status)))
        assert {"confirmed", "held", "waiting"} <= statuses
        addresses = db.session.scalars(select(Enrolment.email)).all()
        assert all(a.endswith(".example.org") for a in addresses)


def group(*names: str) -> list[Participant]:
    return [Participant(name, "Jansen", f"{name.lower()}@example.org") for name in names]


def details(booker: Participant) -> dict[str, str]:
    return {"first_name": booker.first_name, "last_name": booker.last_name, "email": booker.email,
            "organisation": "Gemeente Utrecht"}


def test_invariant_holds_after_every_enrolment_service(app_ctx):
    edition = make_edition(make_offering(), capacity=4)
    db.session.commit()

    def check(step: str) -> None:
        db.session.commit()
        assert seat_count_mismatches() == [], step

    def book(*names: str) -> Booking:
        people = group(*names)
        return services.enrol(edition, details(people[0]), people)

    first = book("Anna", "Bert")                        # holds 2
    check("enrol (held)")
    consent.confirm_booking(first)                      # 2 confirmed
    check("confirm")
    second = book("Cor", "Dirk")                        # holds 2: full
    check("enrol (held, full)")
    waiting = book("Eva")                               # waiting, unconfirmed
    check("enrol (waiting)")
    consent.confirm_booking(waiting)
    check("confirm (waiting)")
    anna, bert = services.booking_enrolments(first)
    services.substitute(anna, "Fleur", "Jansen", "fleur@example.org")
    check("substitute")
    promoted = services.cancel_enrolment(bert)          # Eva gets Bert's seat
    assert [p.email for p in promoted] == ["eva@example.org"]
    check("cancel (confirmed) + promote")
    cor, dirk = services.booking_enrolments(second)
    services.cancel_enrolment(cor, by_staff=True)       # a held seat freed by staff
    check("cancel (held)")
    late = book("Gijs", "Hans")                         # only one seat: both wait
    consent.confirm_booking(late)
    check("enrol + confirm (waiting group)")
    edition.capacity = 6
    services.promote_waiting(edition)                   # staff raised the capacity
    check("promote")
    assert db.session.get(Edition, edition.id).seats_taken == 5  # Fleur, Eva, Dirk, Gijs, Hans
    services.cancel_enrolment(services.booking_enrolments(late)[0])
    check("cancel + promote nobody")
    db.session.execute(update(Booking).where(Booking.id == second.id)
                       .values(hold_expires_at=utcnow() - timedelta(minutes=1)))
    assert consent.expire_holds() == 1                  # Dirk's held seat is freed
    check("expire")
    services.cancel_enrolments(edition)
    check("edition cancelled")
    assert db.session.get(Edition, edition.id).seats_taken == 0
