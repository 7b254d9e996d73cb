"""Accounts (admin), the audit log page and the dashboard."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sbo import clock
from sbo.extensions import db
from sbo.audit import log_action
from sbo.staff.models import StaffUser
from tests.factories import make_edition, make_offering
from tests.staff.conftest import audit_actions, login


def _user(app, user_id: int):
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        return user.email, user.role, user.active


def test_admin_creates_an_account(app, logged_in, post_form):
    client, admin_id = logged_in("admin")
    response = post_form(client, "/beheer/accounts/nieuw", {"email": "Nieuw@SBO.example", "name": "Nina",
                                                             "role": "moderator", "password": "lang-genoeg-1"})
    assert response.status_code == 302 and response.location == "/beheer/accounts"
    page = client.get("/beheer/accounts").get_data(as_text=True)
    assert "nieuw@sbo.example" in page and "Nina" in page
    with app.app_context():
        user = db.session.scalars(select(StaffUser).where(StaffUser.email == "nieuw@sbo.example")).one()
        assert user.role == "moderator"
        new_id = user.id
    assert audit_actions(app, "staff", new_id) == ["staff.created"]
    assert login(app.test_client(), "nieuw@sbo.example", "lang-genoeg-1").status_code == 302


def test_account_form_refuses_duplicates_and_short_passwords(app, logged_in, post_form, staff_user):
    _, existing = staff_user("editor")
    client, _ = logged_in("admin")
    duplicate = post_form(client, "/beheer/accounts/nieuw", {"email": existing.upper(), "role": "editor",
                                                              "password": "lang-genoeg-1"})
    assert duplicate.status_code == 422
    assert "Er is al een account met dit e-mailadres." in duplicate.get_data(as_text=True)
    weak = post_form(client, "/beheer/accounts/nieuw", {"email": "x@sbo.example", "role": "editor",
                                                         "password": "kort"})
    assert weak.status_code == 422
    assert "Kies een wachtwoord van minstens 10 tekens." in weak.get_data(as_text=True)
    bad = post_form(client, "/beheer/accounts/nieuw", {"email": "geen-adres", "role": "baas",
                                                        "password": "lang-genoeg-1"})
    assert bad.status_code == 422 and "Dit is geen geldig e-mailadres." in bad.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(StaffUser)).all()) == 2


def test_change_role_and_deactivate(app, logged_in, post_form, staff_user):
    other_id, email = staff_user("moderator")
    client, _ = logged_in("admin")
    response = post_form(client, f"/beheer/accounts/{other_id}/rol", {"role": "editor"}, page="/beheer/accounts")
    assert response.status_code == 302
    assert _user(app, other_id)[1] == "editor"
    other = app.test_client()
    assert login(other, email).status_code == 302
    response = post_form(client, f"/beheer/accounts/{other_id}/actief", {"actief": "0"}, page="/beheer/accounts")
    assert response.status_code == 302
    assert _user(app, other_id)[2] is False
    assert "is gedeactiveerd" in client.get("/beheer/accounts").get_data(as_text=True)
    assert other.get("/beheer/").status_code == 302  # logged out at once
    post_form(client, f"/beheer/accounts/{other_id}/actief", {"actief": "1"}, page="/beheer/accounts")
    assert _user(app, other_id)[2] is True
    assert audit_actions(app, "staff", other_id) == [
        "staff.role_changed", "staff.logged_in", "staff.deactivated", "staff.activated"]


def test_admin_cannot_change_their_own_account(app, logged_in, post_form):
    client, admin_id = logged_in("admin")
    response = post_form(client, f"/beheer/accounts/{admin_id}/rol", {"role": "moderator"}, page="/beheer/accounts")
    assert response.status_code == 422
    assert "Je eigen account kun je hier niet wijzigen" in response.get_data(as_text=True)
    response = post_form(client, f"/beheer/accounts/{admin_id}/actief", {"actief": "0"}, page="/beheer/accounts")
    assert response.status_code == 422
    assert _user(app, admin_id)[1:] == ("admin", True)
    assert audit_actions(app, "staff", admin_id) == ["staff.logged_in"]


def test_bad_role_changes_nothing(app, logged_in, post_form, staff_user):
    other_id, _ = staff_user("moderator")
    client, _ = logged_in("admin")
    response = post_form(client, f"/beheer/accounts/{other_id}/rol", {"role": "opperbaas"}, page="/beheer/accounts")
    assert response.status_code == 422
    assert "Kies een geldige rol." in response.get_data(as_text=True)
    assert _user(app, other_id)[1] == "moderator"


def test_audit_log_lists_entries_newest_first_and_paginates(app, logged_in):
    client, admin_id = logged_in("admin")
    with app.app_context():
        admin = db.session.get(StaffUser, admin_id)
        for n in range(55):
            log_action("comment.approved", "comment", n, actor=admin, data={"text": f"reactie {n}"})
        log_action("offering.created", "offering", 999, data={"title": "Via de opdrachtregel"})
        log_action("import.finished", "import", None, data={"text": "onbekende actie"})
        db.session.commit()
    page = client.get("/beheer/logboek").get_data(as_text=True)
    assert page.index("Via de opdrachtregel") < page.index("reactie 54")
    assert "Systeem" in page and "Aanbod aangemaakt" in page
    assert 'href="/beheer/aanbod/999"' in page
    assert "Reactie goedgekeurd" in page
    assert "import.finished" in page  # unknown actions are shown as they are
    second = client.get("/beheer/logboek?page=2").get_data(as_text=True)
    assert "reactie 0<" in second and "reactie 54" not in second


def test_dashboard_shows_upcoming_editions_with_fill_rate(setup_data, logged_in):
    with setup_data():
        offering = make_offering(title="Handhaving in de openbare ruimte")
        make_edition(offering, start_date=clock.today() + timedelta(days=10), capacity=20, seats_taken=15)
        make_edition(offering, start_date=clock.today() + timedelta(days=20), status="geannuleerd")
        make_edition(offering, start_date=clock.today() - timedelta(days=5))
        make_offering(published=False)
    client, _ = logged_in("moderator")
    page = client.get("/beheer/").get_data(as_text=True)
    assert "Handhaving in de openbare ruimte" in page
    assert "15 van 20 plaatsen bezet (75%)" in page
    assert page.count("plaatsen bezet") == 1  # not the cancelled nor the past one
    assert "Reacties in afwachting" in page
    assert '<span class="staff-stat-number">1</span> komende editie<' in page  # one, not "edities"
    assert '<span class="staff-stat-number">1</span> offline gehaald' in page
    # a moderator may not edit editions, so no link to the edit page
    assert "/beheer/edities/" not in page
