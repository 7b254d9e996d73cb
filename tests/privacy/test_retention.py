"""The retention command: each period of RETENTION_DAYS, with the clock moved forward. A row
just inside its period is kept, just outside it is purged."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from sbo import clock, personal_data
from sbo.audit import AuditEntry, log_action
from sbo.enrolment.models import Booking, Enrolment, InterestRegistration, InterestStatus
from sbo.extensions import db
from sbo.mail import MailStatus, OutboxMessage, drain, queue_mail
from sbo.mail_throttle import MailThrottle
from sbo.news.models import Comment
from sbo.ratelimit import RateLimitCounter
from sbo.staff.models import LoginAttempt, PasswordReset, StaffSession
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering, make_staff

MINUTE = timedelta(minutes=1)
PERSONAL_COLUMNS = {"email", "author_email", "to_addr", "address", "ip", "ip_address", "phone",
                    "first_name", "author_name", "invoice_address", "detail"}


def purge_at(app, moment: datetime) -> dict[str, int]:
    with app.app_context():
        counts = personal_data.purge(moment)
        db.session.commit()
        return counts


def days(app, kind: str) -> timedelta:
    return timedelta(days=app.config["RETENTION_DAYS"][kind])


# -- each kind: (make the row at t0, returns an id) and (is it still there, unchanged?)

def _comment_ip(t0):
    return make_comment(make_article(), ip_address="192.0.2.7", now=t0).id


def _comment_ip_kept(id_):
    return db.session.get(Comment, id_).ip_address == "192.0.2.7"


def _spam(t0):
    return make_comment(make_article(), status="spam", now=t0).id


def _spam_kept(id_):
    return db.session.get(Comment, id_) is not None


def _anonymous(t0):
    return make_comment(make_article(), author_name="Anoniem", author_email="weg@voorbeeld.nl",
                        author_url="https://weg.example", now=t0).id


def _anonymous_kept(id_):
    comment = db.session.get(Comment, id_)
    return comment.author_email == "weg@voorbeeld.nl" and comment.author_url is not None


def _interest(status):
    def make(t0):
        registration = InterestRegistration(offering_id=make_offering().id, name="Belangstellende",
                                            email="belang@voorbeeld.nl", status=status, created_at=t0,
                                            unsubscribed_at=t0 if status == InterestStatus.UNSUBSCRIBED else None)
        db.session.add(registration)
        db.session.flush()
        return registration.id
    return make


def _interest_kept(id_):
    return db.session.get(InterestRegistration, id_) is not None


def _login_attempt(t0):
    attempt = LoginAttempt(email="iemand@sbo.example", ip="192.0.2.8", created_at=t0)
    db.session.add(attempt)
    db.session.flush()
    return attempt.id


def _login_attempt_kept(id_):
    return db.session.get(LoginAttempt, id_) is not None


def _session_and_reset(t0):
    user = make_staff()
    session = StaffSession(user_id=user.id, token_hash="a" * 64, expires_at=t0)
    reset = PasswordReset(user_id=user.id, token_hash="b" * 64, expires_at=t0)
    db.session.add_all([session, reset])
    db.session.flush()
    return session.id, reset.id


def _session_and_reset_kept(ids):
    return db.session.get(StaffSession, ids[0]) is not None and db.session.get(PasswordReset, ids[1]) is not None


def _throttle(t0):
    db.session.add(MailThrottle(kind="interest", address="belang@voorbeeld.nl", last_sent_at=t0))
    db.session.flush()
    return ("interest", "belang@voorbeeld.nl")


def _throttle_kept(key):
    return db.session.get(MailThrottle, key) is not None


def _counter(t0):
    db.session.add(RateLimitCounter(key="LIMITER/192.0.2.9/x", count=3,
                                    expires_at=t0.replace(tzinfo=timezone.utc).timestamp()))
    db.session.flush()
    return "LIMITER/192.0.2.9/x"


def _counter_kept(key):
    return db.session.get(RateLimitCounter, key) is not None


def _audit_text(t0):
    entry = log_action("enrolment.cancelled", "enrolment", 1, data={"text": "Jan Jansen <jan@voorbeeld.nl>"})
    entry.created_at = t0  # an entry from before audit_0001, with its old free text
    db.session.flush()
    return entry.id


def _audit_text_kept(id_):
    return db.session.get(AuditEntry, id_).data == {"text": "Jan Jansen <jan@voorbeeld.nl>"}


CASES = {
    "audit_text": (_audit_text, _audit_text_kept),
    "ip_address": (_comment_ip, _comment_ip_kept),
    "comment_rejected": (_spam, _spam_kept),
    "comment_anonymised": (_anonymous, _anonymous_kept),
    "interest_unconfirmed": (_interest(InterestStatus.PENDING), _interest_kept),
    "interest_unsubscribed": (_interest(InterestStatus.UNSUBSCRIBED), _interest_kept),
    "login_attempt": (_login_attempt, _login_attempt_kept),
    "staff_session": (_session_and_reset, _session_and_reset_kept),
    "mail_throttle": (_throttle, _throttle_kept),
    "rate_limit": (_counter, _counter_kept),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_row_just_inside_its_period_is_kept_and_just_outside_purged(app, kind):
    make, kept = CASES[kind]
    t0 = clock.utcnow()
    with app.app_context():
        ident = make(t0)
        db.session.commit()
    period = days(app, kind)

    counts = purge_at(app, t0 + period - MINUTE)
    with app.app_context():
        assert kept(ident), f"{kind} purged inside its period"
    assert counts[kind] == 0

    counts = purge_at(app, t0 + period + MINUTE)
    with app.app_context():
        assert not kept(ident), f"{kind} kept after its period"
    assert counts[kind] >= 1


def test_an_active_interest_registration_and_a_published_comment_stay(app):
    t0 = clock.utcnow()
    with app.app_context():
        registration = _interest(InterestStatus.ACTIVE)(t0)
        comment = make_comment(make_article(), now=t0).id
        db.session.commit()
    purge_at(app, t0 + timedelta(days=3 * 366))
    with app.app_context():
        assert db.session.get(InterestRegistration, registration) is not None
        assert db.session.get(Comment, comment).author_email.endswith("@voorbeeld.nl")


def test_sent_mail_and_its_eml_file_go_after_the_period_pending_mail_stays(app):
    t0 = clock.utcnow()
    with app.app_context():
        sent = queue_mail("lezer@voorbeeld.nl", "Onderwerp", "Je link: https://sbo.example/x").id
        db.session.commit()
        drain()
        pending = queue_mail("later@voorbeeld.nl", "Onderwerp", "Later").id
        pending_row = db.session.get(OutboxMessage, pending)
        pending_row.next_attempt_at = t0 + timedelta(days=365)
        db.session.commit()
        folder = Path(app.instance_path) / "mail"
    assert [p.name for p in folder.glob("*.eml")] == [f"{sent:08d}.eml"]
    period = days(app, "mail_body")

    purge_at(app, t0 + period - MINUTE)
    with app.app_context():
        assert db.session.get(OutboxMessage, sent).status == MailStatus.SENT
    assert list(folder.glob("*.eml"))

    counts = purge_at(app, t0 + period + MINUTE)
    with app.app_context():
        assert db.session.get(OutboxMessage, sent) is None
        assert db.session.get(OutboxMessage, pending) is not None
    assert not list(folder.glob("*.eml"))
    assert counts["mail_body"] == 2  # the row and the file


def test_an_expired_booking_hold_is_removed_and_its_seat_freed(app):
    t0 = clock.utcnow()
    with app.app_context():
        edition = make_edition(make_offering(), start_date=clock.today() + timedelta(days=60), capacity=3)
        enrolment = make_enrolment(edition, status="held")
        db.session.commit()
        ids = edition.id, enrolment.booking_id
        hours = timedelta(hours=app.config["ENROLMENT_HOLD_HOURS"])

    purge_at(app, t0 + hours - MINUTE)
    with app.app_context():
        assert db.session.get(Booking, ids[1]) is not None

    assert purge_at(app, t0 + hours + MINUTE)["booking_hold"] == 1
    with app.app_context():
        assert db.session.get(Booking, ids[1]) is None
        from sbo.catalogue.models import Edition
        assert db.session.get(Edition, ids[0]).seats_taken == 0


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11, 0))  # 12:00 or 13:00 in Amsterdam: the same date


@pytest.fixture
def past_booking(app):
    """A confirmed booking with a colleague for an edition that starts on a fixed date."""
    with app.app_context():
        start = clock.today() - timedelta(days=3)
        edition = make_edition(make_offering(), start_date=start)
        booker = make_enrolment(edition, email="boeker@gemeente.example", first_name="Boeker")
        booking = booker.booking
        booking.phone, booking.job_title, booking.remarks = "06 12345678", "Adviseur", "Vegetarisch"
        booking.invoice_address, booking.po_number = "Stadhuisplein 1", "PO-42"
        colleague = Enrolment(booking=booking, edition=edition, first_name="Collega", last_name="Jansen",
                              email="collega@gemeente.example", status="confirmed")
        edition.seats_taken += 1
        db.session.add(colleague)
        db.session.commit()
        return start, booking.id, edition.id


def test_details_of_a_booking_go_after_the_first_period_invoice_data_stays(app, past_booking):
    start, booking_id, _ = past_booking
    period = days(app, "enrolment_details").days

    assert purge_at(app, _noon(start + timedelta(days=period)))["enrolment_details"] == 0
    with app.app_context():
        assert db.session.get(Booking, booking_id).phone == "06 12345678"

    assert purge_at(app, _noon(start + timedelta(days=period + 1)))["enrolment_details"] == 1
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert (booking.phone, booking.job_title, booking.remarks) == ("", "", "")
        assert (booking.email, booking.invoice_address, booking.po_number) == (
            "boeker@gemeente.example", "Stadhuisplein 1", "PO-42")


def test_after_the_fiscal_period_the_booking_is_anonymised_and_the_counts_stay(app, past_booking):
    start, booking_id, edition_id = past_booking
    period = days(app, "enrolment_invoice").days

    assert purge_at(app, _noon(start + timedelta(days=period)))["enrolment_invoice"] == 0
    with app.app_context():
        assert db.session.get(Booking, booking_id).email == "boeker@gemeente.example"

    assert purge_at(app, _noon(start + timedelta(days=period + 1)))["enrolment_invoice"] == 1
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.first_name == "Anoniem" and booking.email == "" and booking.invoice_address == ""
        enrolments = db.session.scalars(select(Enrolment).where(Enrolment.edition_id == edition_id)).all()
        assert len(enrolments) == 2 and {e.status for e in enrolments} == {"confirmed"}
        for enrolment in enrolments:
            assert enrolment.first_name == "Anoniem" and "@" not in enrolment.email
    # a second run finds nothing more to do
    assert purge_at(app, _noon(start + timedelta(days=period + 2)))["enrolment_invoice"] == 0


def test_the_cli_command_uses_the_clock(app, runner, monkeypatch):
    t0 = clock.utcnow()
    with app.app_context():
        comment = _comment_ip(t0)
        db.session.commit()
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0 and "ip_address: 0" in result.output
    monkeypatch.setattr(clock, "utcnow", lambda: t0 + days(app, "ip_address") + MINUTE)
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0 and "ip_address: 1" in result.output
    with app.app_context():
        assert db.session.get(Comment, comment).ip_address is None


def test_every_period_is_enforced_by_exactly_one_provider(app):
    with app.app_context():
        kinds = [kind for provider in personal_data.load() for kind in provider.kinds]
    assert sorted(kinds) == sorted(app.config["RETENTION_DAYS"])


def test_every_table_with_personal_data_has_a_provider(app):
    """A new domain cannot forget to join: a table with a personal column must be answered for."""
    with app.app_context():
        covered = {table for provider in personal_data.load() for table in provider.tables}
        personal = {table.name for table in db.metadata.sorted_tables
                    if PERSONAL_COLUMNS & {column.name for column in table.columns}}
        assert inspect(db.engine).get_table_names()  # the schema is there
    assert personal - covered == set()
