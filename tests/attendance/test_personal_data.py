"""Attendance and registration numbers in /mijn-gegevens, the erasure and the purge."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sbo import clock, personal_data
from sbo.attendance import services
from sbo.attendance.models import Attendance
from sbo.catalogue.models import Register
from sbo.enrolment.models import RegistrationNumber
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering

EMAIL = "anna@gemeente.example"


def _setup(start):
    edition = make_edition(make_offering(title="Bibob in de praktijk"), days=2, start_date=start)
    anna = make_enrolment(edition, email=EMAIL)
    register = Register(name="Register Integriteit", short_name="RI")
    db.session.add(register)
    db.session.flush()
    db.session.add(RegistrationNumber(enrolment_id=anna.id, register_id=register.id, number="RI-0042"))
    services.mark_arrived(anna, edition.sessions[0])
    db.session.commit()
    return anna


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Attendance)),
            db.session.scalar(select(func.count()).select_from(RegistrationNumber)))


def test_export_shows_the_days_present_and_the_numbers(app_ctx):
    _setup(clock.today() - timedelta(days=10))
    sections = personal_data.export(EMAIL)
    assert [row["nummer"] for row in sections["Registratienummers"]] == ["RI-0042"]
    assert [row["opleiding"] for row in sections["Aanwezigheid"]] == ["Bibob in de praktijk"]


def test_erasure_removes_them(app_ctx):
    _setup(clock.today() - timedelta(days=10))
    counts = personal_data.erase(EMAIL, keep_comment_text=False, via="staff")
    assert counts["attendance_deleted"] == 1 and counts["registration_number_deleted"] == 1
    assert _counts() == (0, 0)


def test_the_purge_removes_them_after_their_period(app_ctx):
    days = app_ctx.config["RETENTION_DAYS"]["attendance"]
    _setup(clock.today() - timedelta(days=days - 1))
    personal_data.purge(clock.utcnow())
    assert _counts() == (1, 1)
    personal_data.purge(clock.utcnow() + timedelta(days=2))
    assert _counts() == (0, 0)
