"""Staff login: success, one message for every failure, safe next=, logout (throttling:
test_throttle.py, revocable sessions: test_sessions.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sbo.extensions import db
from sbo.staff.models import LoginAttempt
from tests.helpers import csrf_from
from tests.staff.helpers import audit_actions, login

FAILED = "Dit e-mailadres en wachtwoord horen niet bij elkaar"


def test_login_opens_the_dashboard_and_is_logged(app, client, staff_user):
    user_id, email = staff_user("editor", name="Eva Editor")
    response = login(client, email.upper())  # e-mail addresses are not case sensitive
    assert response.status_code == 302 and response.location == "/beheer/"
    page = client.get("/beheer/").get_data(as_text=True)
    assert "Ingelogd als <strong>Eva Editor</strong>" in page
    assert audit_actions(app, "staff", user_id) == ["staff.logged_in"]


def test_login_form_is_dutch_and_protected_by_csrf(client, staff_user):
    _, email = staff_user()
    page = client.get("/beheer/login").get_data(as_text=True)
    assert "Inloggen voor medewerkers" in page and 'name="csrf_token"' in page
    response = client.post("/beheer/login", data={"email": email, "password": "correct-paard-batterij"})
    assert response.status_code == 400
    assert client.get("/beheer/").status_code == 302  # still anonymous


def test_unknown_user_and_wrong_password_get_the_same_answer(client, staff_user):
    _, email = staff_user()
    wrong = login(client, email, "niet-het-wachtwoord")
    unknown = login(client, "niemand@sbo.example", "niet-het-wachtwoord")
    assert wrong.status_code == unknown.status_code == 422
    assert FAILED in wrong.get_data(as_text=True) and FAILED in unknown.get_data(as_text=True)
    assert client.get("/beheer/").status_code == 302


def test_deactivated_account_cannot_log_in_and_is_logged_out(app, staff_user, logged_in):
    client, user_id = logged_in("editor")
    with app.app_context():
        from sbo.staff.models import StaffUser
        db.session.get(StaffUser, user_id).active = False
        db.session.commit()
        email = db.session.get(StaffUser, user_id).email
    assert client.get("/beheer/").status_code == 302  # the running session ends
    response = login(client, email)
    assert response.status_code == 422 and FAILED in response.get_data(as_text=True)


def test_a_successful_login_clears_the_account_failures(app, client, staff_user):
    _, email = staff_user()
    for _ in range(4):
        login(client, email, "fout")
    assert login(client, email).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)
                                 .where(LoginAttempt.email == email)) == 0


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/beheer", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:/evil.example", "beheer/aanbod",
])
def test_next_never_leaves_the_site(client, staff_user, target):
    _, email = staff_user()
    page = client.get("/beheer/login", query_string={"next": target}).get_data(as_text=True)
    assert "evil" not in page
    response = login(client, email, next_=target)
    assert response.status_code == 302
    assert response.location == "/beheer/"


def test_next_to_an_own_page_is_followed(client, staff_user):
    _, email = staff_user("editor")
    anonymous = client.get("/beheer/aanbod?q=crisis")
    assert anonymous.location.startswith("/beheer/login?next=")
    page = client.get(anonymous.location).get_data(as_text=True)
    assert 'value="/beheer/aanbod?q=crisis"' in page
    response = login(client, email, next_="/beheer/aanbod?q=crisis")
    assert response.location == "/beheer/aanbod?q=crisis"


def test_logout_is_a_post_and_ends_the_session(logged_in):
    client, _ = logged_in("moderator")
    assert client.get("/beheer/logout").status_code == 405
    page = client.get("/beheer/").get_data(as_text=True)
    response = client.post("/beheer/logout", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.location == "/beheer/login"
    assert "Je bent uitgelogd." in client.get("/beheer/login").get_data(as_text=True)
    assert client.get("/beheer/").status_code == 302


def test_a_session_taken_to_another_browser_is_dropped(logged_in):
    client, _ = logged_in("editor")
    assert client.get("/beheer/").status_code == 200
    stolen = client.get("/beheer/", headers={"User-Agent": "Een andere browser"})
    assert stolen.status_code == 302 and stolen.location.startswith("/beheer/login")


def test_remember_me_sets_a_lasting_cookie_only_when_asked(app, staff_user):
    _, email = staff_user()
    plain, remembered = app.test_client(), app.test_client()
    login(plain, email)
    page = remembered.get("/beheer/login").get_data(as_text=True)
    remembered.post("/beheer/login", data={"csrf_token": csrf_from(page), "email": email,
                                           "password": "correct-paard-batterij", "remember": "y"})
    assert plain.get_cookie("remember_token") is None
    assert remembered.get_cookie("remember_token") is not None


def test_an_anonymous_session_is_left_alone(client):
    """Strong session protection guards staff sessions only: a visitor's CSRF-only session
    is not rewritten on every request, and no remember cookie is cleared for it."""
    first = client.get("/beheer/login")
    assert any(c.startswith("session=") for c in first.headers.getlist("Set-Cookie"))
    again = client.get("/beheer/login", headers={"User-Agent": "Een andere browser"})
    assert again.status_code == 200
    assert again.headers.getlist("Set-Cookie") == []


def test_a_remembered_login_outlives_the_browser_session(app, staff_user):
    _, email = staff_user()
    remembered = app.test_client()
    page = remembered.get("/beheer/login").get_data(as_text=True)
    remembered.post("/beheer/login", data={"csrf_token": csrf_from(page), "email": email,
                                           "password": "correct-paard-batterij", "remember": "y"})
    remembered.delete_cookie("session")  # the browser was closed
    assert remembered.get("/beheer/").status_code == 200
    again = remembered.get("/beheer/")
    assert again.status_code == 200
    assert not any(c.startswith("remember_token=") for c in again.headers.getlist("Set-Cookie"))
    stolen = remembered.get("/beheer/", headers={"User-Agent": "Een andere browser"})
    assert stolen.status_code == 302
