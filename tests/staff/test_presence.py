"""The presence list at the door and the page a participant's QR code opens."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo import clock
from sbo.attendance.models import Attendance
from sbo.enrolment.passes import pass_code
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering
from tests.staff.helpers import audit_actions


@pytest.fixture
def edition(setup_data):
    """Two days, today and next week; Anna and Bert confirmed, Wim on the waiting list."""
    with setup_data():
        offering = make_offering(title="Ondermijning herkennen")
        edition = make_edition(offering, days=2, start_date=clock.today())
        edition.anna = make_enrolment(edition, first_name="Anna", last_name="Akkerman")
        edition.bert = make_enrolment(edition, first_name="Bert", last_name="Bakker")
        edition.wim = make_enrolment(edition, "waiting", first_name="Wim", last_name="Wachter")
        edition.anna_code = pass_code(edition.anna)
    return edition


def _marks(app):
    with app.app_context():
        return sorted((row.enrolment_id, row.session_id, row.left_early_at is not None)
                      for row in db.session.scalars(select(Attendance)))


def test_the_list_shows_confirmed_participants_of_today(edition, logged_in):
    client, _user = logged_in("editor")
    html = client.get(f"/beheer/edities/{edition.id}/presentie").get_data(as_text=True)
    assert "Akkerman, Anna" in html and "Bakker, Bert" in html and "Wachter" not in html
    assert "0 van 2 aanwezig" in html and "(vandaag)" in html


def test_marking_arrival_leaving_early_and_undoing(app, edition, logged_in, post_form):
    client, _user = logged_in("editor")
    url = f"/beheer/edities/{edition.id}/presentie"
    today = edition.sessions[0].id
    mark = f"{url}/{today}"
    response = post_form(client, mark, {"deelnemer": edition.anna.id, "actie": "aanwezig"}, page=url)
    assert response.status_code == 303 and response.location.endswith(f"dag={today}#deelnemer-{edition.anna.id}")
    html = client.get(response.location).get_data(as_text=True)
    assert "Anna Akkerman is aanwezig gemeld." in html and "1 van 2 aanwezig" in html
    # the same tap again (a second phone): still one mark
    post_form(client, mark, {"deelnemer": edition.anna.id, "actie": "aanwezig"}, page=url)
    assert _marks(app) == [(edition.anna.id, today, False)]
    post_form(client, mark, {"deelnemer": edition.anna.id, "actie": "weg"}, page=url)
    assert _marks(app) == [(edition.anna.id, today, True)]
    assert "eerder vertrokken om" in client.get(url).get_data(as_text=True)
    post_form(client, mark, {"deelnemer": edition.anna.id, "actie": "terug"}, page=url)
    assert _marks(app) == []
    assert audit_actions(app, "enrolment", edition.anna.id) == [
        "attendance.arrived", "attendance.left_early", "attendance.removed"]


def test_another_day_is_chosen_with_the_day_chooser(app, edition, logged_in, post_form):
    client, _user = logged_in("editor")
    url = f"/beheer/edities/{edition.id}/presentie"
    next_week = edition.sessions[1]
    html = client.get(f"{url}?dag={next_week.id}").get_data(as_text=True)
    assert f'<option value="{next_week.id}" selected>' in html
    post_form(client, f"{url}/{next_week.id}", {"deelnemer": edition.bert.id, "actie": "aanwezig"}, page=url)
    assert _marks(app) == [(edition.bert.id, next_week.id, False)]
    assert client.get(f"{url}?dag=999999").status_code == 404


@pytest.mark.parametrize("who, action", [("wim", "aanwezig"), ("anna", "verzinsel")])
def test_a_waiting_participant_or_unknown_action_is_not_marked(app, edition, logged_in, post_form, who, action):
    client, _user = logged_in("editor")
    url = f"/beheer/edities/{edition.id}/presentie"
    response = post_form(client, f"{url}/{edition.sessions[0].id}",
                         {"deelnemer": getattr(edition, who).id, "actie": action}, page=url)
    assert response.status_code in (303, 400)
    assert _marks(app) == []


def test_moderators_anonymous_visitors_and_forged_posts_are_refused(app, edition, logged_in, client):
    url = f"/beheer/edities/{edition.id}/presentie"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/beheer/login" in anonymous.location
    moderator, _user = logged_in("moderator")
    assert moderator.get(url).status_code == 403
    editor, _user = logged_in("editor")
    no_csrf = editor.post(f"{url}/{edition.sessions[0].id}", data={"deelnemer": edition.anna.id, "actie": "aanwezig"})
    assert no_csrf.status_code == 400
    assert _marks(app) == []


def test_scanning_the_qr_code_marks_the_participant_present_with_one_tap(app, edition, logged_in, post_form):
    client, _user = logged_in("editor")
    url = f"/beheer/scan/{edition.anna_code}"
    html = client.get(url).get_data(as_text=True)
    assert "Anna Akkerman" in html and "Ondermijning herkennen" in html and "Aanwezig melden</button>" in html
    response = post_form(client, url, {})
    assert response.status_code == 303
    html = client.get(response.location).get_data(as_text=True)
    assert "Anna Akkerman is aanwezig gemeld." in html and "Aanwezig gemeld om" in html
    assert _marks(app) == [(edition.anna.id, edition.sessions[0].id, False)]


def test_the_scan_page_asks_anonymous_visitors_to_log_in(edition, client):
    response = client.get(f"/beheer/scan/{edition.anna_code}")
    assert response.status_code == 302 and "/beheer/login?next=" in response.location


def test_a_scan_on_another_day_says_so(app, edition, logged_in, post_form, monkeypatch):
    client, _user = logged_in("editor")
    monkeypatch.setattr(clock, "today", lambda now=None: edition.sessions[0].day + timedelta(days=1))
    url = f"/beheer/scan/{edition.anna_code}"
    html = client.get(url).get_data(as_text=True)
    assert "is geen lesdag van deze editie" in html and "Aanwezig melden</button>" not in html
    assert post_form(client, url, {}, page=f"/beheer/edities/{edition.id}/presentie").status_code == 409
    assert _marks(app) == []


@pytest.mark.parametrize("change", [lambda code: code[:-2] + "xx", lambda code: "999999-" + code.split("-")[1],
                                    lambda code: "niets"])
def test_a_forged_or_unknown_code_is_refused(edition, logged_in, change):
    client, _user = logged_in("editor")
    response = client.get(f"/beheer/scan/{change(edition.anna_code)}")
    assert response.status_code == 404
    assert "Deze QR-code is onbekend of niet meer geldig." in response.get_data(as_text=True)
