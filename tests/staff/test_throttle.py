"""Issue 12, item 8: strangers cannot lock staff out. Five wrong passwords used to lock the
account for everyone, its owner with the right password included. Failures now cost growing
delays per account and per address, the owner's known device is never held up by them, and
admins get one mail about a burst."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.staff import throttle
from sbo.staff.models import LoginAttempt
from tests.staff.helpers import login

THROTTLED = "Er is te vaak zonder succes geprobeerd in te loggen"


def from_address(n: int) -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"198.51.100.{n}"}}


def _age_failures(app, by: timedelta) -> None:
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.created_at -= by
        db.session.commit()


def test_delays_double_after_five_failures():
    assert [throttle.delay_after(n, 5).total_seconds() for n in (0, 4, 5, 6, 7, 8)] == [0, 0, 60, 120, 240, 480]
    assert throttle.delay_after(100, 5) == throttle.MAX_DELAY


def test_strangers_cannot_lock_the_owner_out_of_a_known_device(app, staff_user):
    _, email = staff_user()
    owner = app.test_client()
    assert login(owner, email, **from_address(1)).status_code == 302  # the owner's browser, known since
    assert owner.get_cookie(throttle.KNOWN_DEVICE_COOKIE, path="/beheer") is not None
    assert owner.post("/beheer/logout", data={"csrf_token": _token(owner, **from_address(1))},
                      **from_address(1)).status_code == 302
    attacker = app.test_client()
    codes = [login(attacker, email, f"gok-{n}", **from_address(100 + n)).status_code for n in range(8)]
    assert codes[:5] == [422] * 5 and codes[5:] == [429] * 3  # from the 6th attempt: wait
    # the owner, with the right password on the known device, gets in at once
    assert login(owner, email, **from_address(1)).status_code == 302
    assert owner.get("/beheer/", **from_address(1)).status_code == 200
    # the owner's success forgave the account's failures: a new device need not wait either
    assert login(app.test_client(), email, **from_address(2)).status_code == 302


def _token(client, **kwargs):
    from tests.helpers import csrf_from
    return csrf_from(client.get("/beheer/", **kwargs).get_data(as_text=True))


def test_an_unknown_device_waits_a_growing_delay_but_is_never_locked_out(app, staff_user):
    _, email = staff_user()
    attacker = app.test_client()
    for n in range(5):
        assert login(attacker, email, "fout", **from_address(n)).status_code == 422
    throttled = login(app.test_client(), email, **from_address(50))  # right password, new device
    assert throttled.status_code == 429
    assert THROTTLED in throttled.get_data(as_text=True) and "Wacht een minuut" in throttled.get_data(as_text=True)
    assert 0 < int(throttled.headers["Retry-After"]) <= 61
    _age_failures(app, timedelta(seconds=61))  # the wait is over: one more guess, then twice as long
    assert login(attacker, email, "fout", **from_address(9)).status_code == 422
    second = login(attacker, email, "fout", **from_address(10))
    assert second.status_code == 429 and 61 < int(second.headers["Retry-After"]) <= 121
    _age_failures(app, timedelta(seconds=121))
    assert login(app.test_client(), email, **from_address(50)).status_code == 302  # never locked for good


def test_many_failures_from_one_address_slow_that_address(app, staff_user, monkeypatch):
    monkeypatch.setattr(throttle, "ADDRESS_FREE", 3)
    _, email = staff_user()
    for n in range(3):
        login(app.test_client(), f"gok{n}@sbo.example", "fout", **from_address(7))
    assert login(app.test_client(), email, **from_address(7)).status_code == 429
    assert login(app.test_client(), email, **from_address(8)).status_code == 302


def test_a_stolen_device_cookie_does_not_help_guessing(app, staff_user):
    _, email = staff_user()
    owner = app.test_client()
    login(owner, email)
    thief = app.test_client()
    thief.set_cookie(throttle.KNOWN_DEVICE_COOKIE, owner.get_cookie(throttle.KNOWN_DEVICE_COOKIE, path="/beheer").value,
                     path="/beheer")
    codes = [login(thief, email, f"gok-{n}").status_code for n in range(7)]
    assert codes == [422] * 5 + [429] * 2  # the device has its own count
    forged = app.test_client()
    forged.set_cookie(throttle.KNOWN_DEVICE_COOKIE, "eyJ1IjoxLCJkIjoiYWJjIn0.vervalst", path="/beheer")
    assert login(forged, email, "fout").status_code in (422, 429)  # a forged cookie is just no cookie


def test_a_burst_of_failures_mails_the_admins_once(app, staff_user, monkeypatch, outbox):
    monkeypatch.setattr(throttle, "ALERT_THRESHOLD", 6)
    staff_user("admin", email="beheerder@sbo.example")
    staff_user("editor", email="redacteur@sbo.example")
    for n in range(12):
        login(app.test_client(), f"gok{n}@sbo.example", "fout", **from_address(n))

    def alerts():
        return [m.to_addr for m in outbox() if m.subject == "Veel mislukte inlogpogingen in het beheer"]
    assert alerts() == ["beheerder@sbo.example"]  # one mail, to the admins only
    with app.app_context():
        from sbo.staff.models import StaffAlert
        db.session.execute(update(StaffAlert).values(sent_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    login(app.test_client(), "nog-een@sbo.example", "fout", **from_address(99))
    assert len(alerts()) == 2  # a new period, a new mail
