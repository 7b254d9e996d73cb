"""One waiting list across dates: a person waits for any date of an offering (optionally in
one city or month); a seat freed in any matching edition is offered in order of joining. From
their personal link a waiting person sees their place and can leave the list."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.models import Booking, Enrolment
from sbo.enrolment.services import cancel_enrolment
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

WAITING = {k: v for k, v in VALID.items() if k != "join_waiting_list"}


@pytest.fixture
def editions(setup_data):
    """Three full editions of one offering: Utrecht soon, Amsterdam, Utrecht two months on."""
    with setup_data():
        offering = make_offering(slug="ondermijning", title="Ondermijning")
        today = clock.today()
        found = {"utrecht": make_edition(offering, capacity=1, start_date=today + timedelta(days=20)),
                 "amsterdam": make_edition(offering, capacity=1, city="Amsterdam",
                                           start_date=today + timedelta(days=40)),
                 "later": make_edition(offering, capacity=1, start_date=today + timedelta(days=80))}
        return {name: (edition.id, make_enrolment(edition).id) for name, edition in found.items()}


def wait_any_date(client, post_form, outbox, edition_id: int, email: str, **extra):
    data = {**WAITING, "email": email, "wait_any_date": "y", **extra}
    response = post_form(client, f"/aanbod/ondermijning/wachtlijst/{edition_id}", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    confirm_by_mail(client, outbox, booker=email)


def free(app, seated_id: int) -> list[str]:
    with app.app_context():
        offered = cancel_enrolment(db.session.get(Enrolment, seated_id), by_staff=True)
        db.session.commit()
        return [e.email for e in offered]


def test_the_form_offers_any_date_with_city_and_month(client, editions):
    html = client.get(f"/aanbod/ondermijning/wachtlijst/{editions['utrecht'][0]}").get_data(as_text=True)
    assert "Elke datum van deze opleiding is goed" in html
    assert '<option value="Amsterdam">Amsterdam</option>' in html and '<option value="Utrecht">Utrecht</option>' in html
    assert 'name="wait_month"' in html


def test_a_freed_seat_in_another_date_is_offered_and_the_place_moves(app, client, post_form, editions, outbox):
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "overal@example.org")
    assert free(app, editions["amsterdam"][1]) == ["overal@example.org"]
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.email == "overal@example.org"))
        assert (enrolment.status, enrolment.edition_id) == ("offered", editions["amsterdam"][0])
        assert db.session.get(Booking, enrolment.booking_id).edition_id == editions["amsterdam"][0]
        assert db.session.get(Edition, editions["amsterdam"][0]).seats_taken == 1
        assert seat_count_mismatches() == []
    mail = outbox("overal@example.org")[-1]
    assert mail.subject == "Er is een plaats voor je vrij: Ondermijning" and "Amsterdam" in mail.body_text


def test_declining_one_date_keeps_waiting_for_the_others(app, client, post_form, editions, outbox):
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "overal@example.org")
    free(app, editions["amsterdam"][1])
    path = link_from(outbox("overal@example.org")[-1].body_text, "/wachtlijst/aanbod/")
    step = client.get(path + "/afslaan").get_data(as_text=True)
    assert "Je blijft wel op de wachtlijst staan voor de andere data" in step
    client.post(path + "/afslaan", data={"csrf_token": csrf_from(step)})
    html = client.get(path).get_data(as_text=True)
    assert "Je staat nog op de wachtlijst voor een andere datum van Ondermijning, op plaats 1" in html
    with app.app_context():
        assert db.session.scalar(select(Enrolment.status).where(Enrolment.email == "overal@example.org")) == "waiting"
        assert db.session.get(Edition, editions["amsterdam"][0]).seats_taken == 0  # never offered it again
    assert free(app, editions["later"][1]) == ["overal@example.org"]


def test_a_lapsed_offer_keeps_waiting_for_the_others_and_says_so(app, client, post_form, editions, outbox):
    from sbo.enrolment import offers
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "overal@example.org")
    free(app, editions["amsterdam"][1])
    with app.app_context():
        assert offers.process_offers(now=clock.utcnow() + timedelta(days=3)) == (1, 0)
        db.session.commit()
        assert db.session.scalar(select(Enrolment.status).where(Enrolment.email == "overal@example.org")) == "waiting"
    mail = outbox("overal@example.org")[-1]
    assert mail.subject == "Aangeboden plaats vervallen: Ondermijning"
    assert "Je blijft op de wachtlijst voor de andere data" in mail.body_text and "Amsterdam" in mail.body_text


def test_city_and_month_limit_the_dates_and_order_of_joining_counts(app, client, post_form, editions, outbox):
    later = editions["later"][0]
    with app.app_context():
        month = f"{db.session.get(Edition, later).start_date:%Y-%m}"
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "utrecht@example.org", wait_city="Utrecht")
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "maand@example.org", wait_month=month)
    assert free(app, editions["amsterdam"][1]) == []  # nobody waits for Amsterdam
    assert free(app, editions["later"][1]) == ["utrecht@example.org"]  # both match: the first to join


def test_a_waiting_person_sees_their_place_and_can_leave_the_list(app, client, post_form, editions, outbox):
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "eerste@example.org")
    wait_any_date(client, post_form, outbox, editions["later"][0], "tweede@example.org")
    manage = link_from(outbox("tweede@example.org")[-1].body_text, "/inschrijving/")
    html = client.get(manage).get_data(as_text=True)
    assert "plaats 2 op de wachtlijst" in html and "Je wacht op een plaats bij elke datum" in html
    step = client.get(manage + "/annuleren")
    assert "Afmelden voor de wachtlijst?" in step.get_data(as_text=True)
    assert client.post(manage + "/annuleren", data={}).status_code == 400  # no CSRF token: nothing happens
    response = client.post(manage + "/annuleren", data={"csrf_token": csrf_from(step.get_data(as_text=True))})
    assert response.status_code == 303
    assert free(app, editions["utrecht"][1]) == ["eerste@example.org"]
    with app.app_context():
        assert db.session.scalar(select(Enrolment.status).where(Enrolment.email == "tweede@example.org")) == "cancelled"


def test_a_cancelled_edition_keeps_any_date_waiters_waiting(app, client, post_form, editions, outbox):
    from sbo.enrolment.services import cancel_enrolments
    wait_any_date(client, post_form, outbox, editions["utrecht"][0], "overal@example.org")
    with app.app_context():
        cancel_enrolments(db.session.get(Edition, editions["utrecht"][0]))
        db.session.commit()
        assert db.session.scalar(select(Enrolment.status).where(Enrolment.email == "overal@example.org")) == "waiting"
    assert free(app, editions["later"][1]) == ["overal@example.org"]
