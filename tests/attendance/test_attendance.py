"""Attendance rules: net hours from the days attended, the attendance requirement, points per
register, and marking that stays correct when two staff members mark at once."""
from __future__ import annotations

import threading
from datetime import datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sbo.attendance import queries, services
from sbo.attendance.models import Attendance
from sbo.catalogue.models import Accreditation, Register
from sbo import clock
from sbo.clock import to_utc
from sbo.enrolment.models import RegistrationNumber
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering


def _register(name: str, short: str) -> Register:
    register = Register(name=name, short_name=short, number_pattern=r"\d{6}", number_hint="zes cijfers")
    db.session.add(register)
    db.session.flush()
    return register


def _three_days():
    """An edition of three days of 9:30–16:30 (7 hours each), with two confirmed participants."""
    offering = make_offering()
    edition = make_edition(offering, days=3)
    return edition, make_enrolment(edition), make_enrolment(edition)


def _left_at(session, clock_time: time) -> datetime:
    return to_utc(session.day, clock_time)


def test_net_hours_count_the_days_attended(app_ctx):
    edition, anna, bert = _three_days()
    for session in edition.sessions[:2]:
        services.mark_arrived(anna, session)
    assert queries.scheduled_hours(edition.id) == Decimal("21.00")
    assert queries.net_hours(anna) == Decimal("14.00")
    assert queries.net_hours(bert) == Decimal("0.00")


@pytest.mark.parametrize("partial, hours", [("pro rata", Decimal("17.50")), ("none", Decimal("14.00"))])
def test_a_day_left_early_counts_as_configured(app_ctx, partial, hours):
    app_ctx.config["ATTENDANCE_PARTIAL_DAY"] = partial
    edition, anna, _bert = _three_days()
    for session in edition.sessions[:2]:
        services.mark_arrived(anna, session)
    last = edition.sessions[2]
    services.mark_left_early(anna, last, now=_left_at(last, time(13, 0)))  # 3.5 of 7 hours
    assert queries.net_hours(anna) == hours


@pytest.mark.parametrize("min_share, attended", [(1.0, {"anna"}), (0.6, {"anna", "bert"})])
def test_the_attendance_requirement_is_configurable(app_ctx, min_share, attended):
    app_ctx.config["ATTENDANCE_MIN_SHARE"] = min_share
    edition, anna, bert = _three_days()
    for session in edition.sessions:
        services.mark_arrived(anna, session)
    for session in edition.sessions[:2]:  # two of three days: 0.67
        services.mark_arrived(bert, session)
    names = {anna.id: "anna", bert.id: "bert"}
    assert {names[i] for i in queries.attended_enrolment_ids(edition.id)} == attended
    assert queries.qualifies(anna)
    assert queries.qualifies(bert) == ("bert" in attended)


def test_nobody_qualifies_without_attendance_or_when_cancelled(app_ctx):
    edition, anna, bert = _three_days()
    for session in edition.sessions:
        services.mark_arrived(anna, session)
    anna.status = "cancelled"
    db.session.flush()
    assert queries.attended_enrolment_ids(edition.id) == set()
    assert not queries.qualifies(anna) and not queries.qualifies(bert)
    assert queries.points(bert) == []


def test_points_per_register_with_the_registration_number(app_ctx):
    app_ctx.config["ATTENDANCE_MIN_SHARE"] = 0.5
    edition, anna, bert = _three_days()
    nova, boa = _register("Nederlandse Orde van Advocaten", "NOvA"), _register("BOA-register", "BOA")
    db.session.add_all([Accreditation(offering=edition.offering, register=nova, points=Decimal("18"),
                                      net_hours=Decimal("18")),
                        Accreditation(offering=edition.offering, register=boa, points=Decimal("6.5"),
                                      net_hours=Decimal("18"))])
    db.session.add(RegistrationNumber(enrolment_id=anna.id, register_id=nova.id, number="123456"))
    db.session.flush()
    for session in edition.sessions:
        services.mark_arrived(anna, session)
    for session in edition.sessions[:2]:
        services.mark_arrived(bert, session)
    assert queries.points(anna) == [(boa, Decimal("6.50"), None), (nova, Decimal("18.00"), "123456")]
    # two of three days: two thirds of the points, rounded down to hundredths
    assert queries.points(bert) == [(boa, Decimal("4.33"), None), (nova, Decimal("12.00"), None)]


def test_points_are_exact_decimals_after_a_round_trip(app_ctx):
    offering = make_offering()
    register = _register("Register Integriteit", "RI")
    db.session.add(Accreditation(offering=offering, register=register, points=Decimal("2.35"),
                                 net_hours=Decimal("3.75")))
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalar(select(Accreditation))
    assert (stored.points, stored.net_hours) == (Decimal("2.35"), Decimal("3.75"))


def test_marking_twice_keeps_one_row_and_the_first_time(app_ctx):
    edition, anna, _bert = _three_days()
    day = edition.sessions[0]
    assert services.mark_arrived(anna, day, now=_left_at(day, time(9, 0))) is True
    assert services.mark_arrived(anna, day, now=_left_at(day, time(9, 5))) is False
    rows = db.session.scalars(select(Attendance)).all()
    assert [row.arrived_at for row in rows] == [_left_at(day, time(9, 0))]
    assert services.unmark(anna, day) is True
    assert queries.net_hours(anna) == Decimal("0.00")


def test_a_day_of_another_edition_is_refused(app_ctx):
    edition, anna, _bert = _three_days()
    other = make_edition(edition.offering)
    with pytest.raises(services.NotOnThisEdition):
        services.mark_arrived(anna, other.sessions[0])


def test_two_staff_marking_at_once_make_one_row(app):
    """Several threads mark the same participant at the same moment (PostgreSQL: real
    concurrent transactions; SQLite serialises them): one row, no error."""
    with app.app_context():
        edition, anna, _bert = _three_days()
        db.session.commit()
        enrolment_id, session_id = anna.id, edition.sessions[0].id
    barrier, results, errors = threading.Barrier(4), [], []

    def mark():
        with app.app_context():
            from sbo.catalogue.models import SessionDate
            from sbo.enrolment.models import Enrolment
            try:
                enrolment, session = db.session.get(Enrolment, enrolment_id), db.session.get(SessionDate, session_id)
                barrier.wait()
                results.append(services.mark_arrived(enrolment, session))
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)

    threads = [threading.Thread(target=mark) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_the_demo_has_a_past_course_with_attendance_and_points(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        from sbo.catalogue.models import Edition, Offering
        from sbo.enrolment.models import Enrolment
        [edition] = db.session.scalars(select(Edition).join(Offering).where(
            Offering.slug == "bibob-coordinator", Edition.start_date < clock.today())).all()
        attended = queries.attended_enrolment_ids(edition.id)
        assert len(attended) == 7  # of 9: one missed a day, one left early
        first = db.session.get(Enrolment, min(attended))
        assert queries.net_hours(first) == queries.scheduled_hours(edition.id) == Decimal("14.00")
        assert [(p.register.short_name, p.points) for p in queries.points(first)] == [
            ("NOvA", Decimal("20.00")), ("Register Integriteit", Decimal("16.00"))]
        assert queries.points(first)[0].registration_number == "B01200"
