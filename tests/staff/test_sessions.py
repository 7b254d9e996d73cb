"""Issue 12, item 5: staff sessions can be revoked. Each login is a row of its own; logout,
a password change, a reset and an admin's "Overal uitloggen" end it, so a copied session or
remember cookie stops working. Password change, reset by mail and by an admin."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.staff.models import PasswordReset, StaffSession, StaffUser
from tests.factories import STAFF_PASSWORD
from tests.helpers import csrf_from
from tests.staff.helpers import login

NEW_PASSWORD = "een-heel-nieuw-wachtwoord"


def remembered_login(app, email, password=STAFF_PASSWORD):
    client = app.test_client()
    page = client.get("/beheer/login").get_data(as_text=True)
    response = client.post("/beheer/login", data={"csrf_token": csrf_from(page), "email": email,
                                                  "password": password, "remember": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def thief_with(app, victim, names=("session", "remember_token")):
    """Another client holding copies of the victim's cookies (same browser signature)."""
    thief = app.test_client()
    for name in names:
        cookie = victim.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def post(client, url, data=None, page="/beheer/"):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def sessions_of(app, user_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StaffSession)
                                 .where(StaffSession.user_id == user_id))


def test_each_login_has_its_own_remember_cookie(app, staff_user):
    _, email = staff_user()
    first, second = remembered_login(app, email), remembered_login(app, email)
    assert first.get_cookie("remember_token").value != second.get_cookie("remember_token").value


def test_a_stolen_cookie_stops_working_after_logout(app, staff_user):
    user_id, email = staff_user()
    victim = remembered_login(app, email)
    thieves = [thief_with(app, victim, names) for names in (("session",), ("remember_token",),
                                                            ("session", "remember_token"))]
    assert all(thief.get("/beheer/").status_code == 200 for thief in thieves)  # the theft works...
    assert post(victim, "/beheer/logout").status_code == 302
    for thief in thieves:  # ...until the owner logs out
        response = thief.get("/beheer/")
        assert response.status_code == 302 and response.location.startswith("/beheer/login")
    assert sessions_of(app, user_id) == 0


def test_logout_ends_only_that_login(app, staff_user):
    _, email = staff_user()
    laptop, phone = remembered_login(app, email), remembered_login(app, email)
    post(laptop, "/beheer/logout")
    assert phone.get("/beheer/").status_code == 200


def test_a_remembered_login_expires(app, staff_user):
    _, email = staff_user()
    victim = remembered_login(app, email)
    thief = thief_with(app, victim, ("remember_token",))
    with app.app_context():
        db.session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert thief.get("/beheer/").status_code == 302


def test_password_change_ends_every_other_login(app, staff_user):
    user_id, email = staff_user()
    here, elsewhere = remembered_login(app, email), remembered_login(app, email)
    thief = thief_with(app, here)
    response = post(here, "/beheer/wachtwoord", {"current_password": STAFF_PASSWORD,
                                                "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Je wachtwoord is gewijzigd" in here.get("/beheer/").get_data(as_text=True)  # still in here
    assert elsewhere.get("/beheer/").status_code == 302
    assert thief.get("/beheer/").status_code == 302  # the copy of the old cookies is dead
    assert sessions_of(app, user_id) == 1
    assert login(app.test_client(), email).status_code == 422
    assert login(app.test_client(), email, NEW_PASSWORD).status_code == 302


def test_password_change_checks_current_length_and_repeat(app, logged_in):
    client, user_id = logged_in("moderator")
    cases = [
        ({"current_password": "fout-wachtwoord", "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD},
         "Dit is niet je huidige wachtwoord."),
        ({"current_password": STAFF_PASSWORD, "new_password": "kort", "repeat_password": "kort"},
         "Kies een wachtwoord van minstens 10 tekens."),
        ({"current_password": STAFF_PASSWORD, "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD + "x"},
         "De twee nieuwe wachtwoorden zijn niet gelijk."),
    ]
    for data, message in cases:
        response = post(client, "/beheer/wachtwoord", data, page="/beheer/wachtwoord")
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StaffUser, user_id).check_password(STAFF_PASSWORD)


def test_admin_logs_an_account_out_everywhere(app, staff_user, logged_in):
    user_id, email = staff_user("editor")
    victim = remembered_login(app, email)
    thief = thief_with(app, victim)
    admin, _ = logged_in("admin")
    page = admin.get("/beheer/accounts").get_data(as_text=True)
    assert "Overal uitloggen" in page
    response = post(admin, f"/beheer/accounts/{user_id}/uitloggen", page="/beheer/accounts")
    assert response.status_code == 302
    assert "is op alle apparaten uitgelogd" in admin.get("/beheer/accounts").get_data(as_text=True)
    assert victim.get("/beheer/").status_code == 302 and thief.get("/beheer/").status_code == 302
    assert admin.get("/beheer/").status_code == 200


def _reset_path(text):
    return re.search(r"https?://[^/\s]+(/beheer/wachtwoord-herstellen/[A-Za-z0-9_-]+)", text).group(1)


def test_forgotten_password_by_mail_single_use(app, staff_user, outbox):
    user_id, email = staff_user()
    victim = remembered_login(app, email)
    client = app.test_client()
    assert "Wachtwoord vergeten?" in client.get("/beheer/login").get_data(as_text=True)
    known = post(client, "/beheer/wachtwoord-vergeten", {"email": email}, page="/beheer/wachtwoord-vergeten")
    unknown = post(client, "/beheer/wachtwoord-vergeten", {"email": "niemand@sbo.example"},
                   page="/beheer/wachtwoord-vergeten")
    assert known.status_code == unknown.status_code == 303 and known.location == unknown.location
    assert "Als dit e-mailadres bij een account hoort" in client.get(known.location).get_data(as_text=True)
    assert outbox("niemand@sbo.example") == []
    [mail] = [m.body_text for m in outbox(email)]
    path = _reset_path(mail)
    assert mail.count("http://localhost/beheer/wachtwoord-herstellen/") == 1  # SITE_URL, not the Host header
    assert client.get(path).status_code == 200  # opening the link (a mail scanner) uses nothing up
    response = post(client, path, {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD}, page=path)
    assert response.status_code == 302 and response.location == "/beheer/login"
    assert victim.get("/beheer/").status_code == 302  # every login ended
    assert login(app.test_client(), email, NEW_PASSWORD).status_code == 302
    again = client.get(path)  # single use
    assert again.status_code == 404 and "Deze link werkt niet (meer)" in again.get_data(as_text=True)
    assert post(client, path, {"new_password": "nog-een-ander-wachtwoord",
                               "repeat_password": "nog-een-ander-wachtwoord"}, page="/beheer/login").status_code == 404


def test_reset_link_expires_and_mails_are_not_repeated(app, staff_user, outbox):
    _, email = staff_user()
    client = app.test_client()
    for _ in range(3):
        post(client, "/beheer/wachtwoord-vergeten", {"email": email}, page="/beheer/wachtwoord-vergeten")
    [mail] = [m.body_text for m in outbox(email)]  # at most one mail per account per few minutes
    with app.app_context():
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get(_reset_path(mail)).status_code == 404


def test_reset_mail_ignores_a_forged_host(app, staff_user, outbox):
    _, email = staff_user()
    client = app.test_client()
    page = client.get("/beheer/wachtwoord-vergeten", headers={"Host": "evil.example"}).get_data(as_text=True)
    client.post("/beheer/wachtwoord-vergeten", data={"csrf_token": csrf_from(page), "email": email},
                headers={"Host": "evil.example"})
    [mail] = [m.body_text for m in outbox(email)]
    assert "evil.example" not in mail and "http://localhost/beheer/wachtwoord-herstellen/" in mail


def test_admin_makes_a_one_time_reset_link(app, staff_user, logged_in):
    user_id, email = staff_user("moderator")
    admin, _ = logged_in("admin")
    response = post(admin, f"/beheer/accounts/{user_id}/herstellink", page="/beheer/accounts")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Herstellink voor" in html
    path = _reset_path(html)
    assert "Herstellink voor" not in admin.get("/beheer/accounts").get_data(as_text=True)  # shown once
    client = app.test_client()
    weak = post(client, path, {"new_password": "kort", "repeat_password": "kort"}, page=path)
    assert weak.status_code == 422 and "minstens 10 tekens" in weak.get_data(as_text=True)
    assert post(client, path, {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD},
                page=path).status_code == 302
    assert login(app.test_client(), email, NEW_PASSWORD).status_code == 302
    assert client.get(path).status_code == 404
