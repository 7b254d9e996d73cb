"""30 people enrol at the same moment over HTTP in a 10-seat edition, against the app served
by a threaded werkzeug server: exactly 10 hold a seat, 20 wait in order (and keep that order
once each booker confirms). Runs on SQLite and,
with DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select

from sbo.catalogue.models import Edition
from sbo.enrolment.models import Enrolment
from sbo.enrolment.consent import confirm_booking
from sbo.enrolment.services import cancel_enrolment
from sbo.extensions import db
from tests.browser.helpers import LiveServer
from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import make_edition, make_offering
from tests.helpers import csrf_from

pytestmark = pytest.mark.slow
PEOPLE = 30


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_thirty_at_once_fill_ten_seats_and_the_rest_wait_in_order(app, setup_data, outbox):
    with setup_data():
        edition = make_edition(make_offering(), capacity=10)
        edition_id, path = edition.id, enrol_url(edition)
    server = LiveServer(app).start()
    try:
        browsers = []
        for _ in range(PEOPLE):  # each person opens the form in their own browser session
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
            html = opener.open(server.url + path).read().decode()
            browsers.append((opener, csrf_from(html)))
        start = threading.Barrier(PEOPLE)
        results: list[int | str] = [0] * PEOPLE

        def submit(index: int) -> None:
            opener, token = browsers[index]
            data = urllib.parse.urlencode({**VALID, "csrf_token": token,
                                           "email": f"persoon{index}@example.org"}).encode()
            start.wait()
            try:
                results[index] = opener.open(server.url + path, data=data, timeout=60).status
            except urllib.error.HTTPError as error:
                results[index] = error.code
            except Exception as error:  # pragma: no cover - reported by the assertion below
                results[index] = repr(error)

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(PEOPLE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
    finally:
        server.stop()

    assert results == [303] * PEOPLE
    with app.app_context():
        enrolments = db.session.scalars(
            select(Enrolment).where(Enrolment.edition_id == edition_id).order_by(Enrolment.id)).all()
        # ten seats held until each booker confirms; only the bookers were mailed
        assert [e.status for e in enrolments].count("held") == 10
        assert db.session.get(Edition, edition_id).seats_taken == 10
        assert all(m.subject.startswith("Bevestig je") for m in outbox()) and len(outbox()) == PEOPLE
        for enrolment in enrolments:
            confirm_booking(enrolment.booking)
        db.session.commit()
        enrolments = db.session.scalars(
            select(Enrolment).where(Enrolment.edition_id == edition_id).order_by(Enrolment.id)).all()
        confirmed = [e for e in enrolments if e.status == "confirmed"]
        waiting = [e for e in enrolments if e.status == "waiting"]
        assert len(enrolments) == PEOPLE and len(confirmed) == 10 and len(waiting) == 20
        assert db.session.get(Edition, edition_id).seats_taken == 10
        # every waiting person was told a distinct place, 1..20, in order of arrival
        places = {}
        for message in outbox():
            if "wachtlijst, op plaats" in message.body_text:
                places[message.to_addr] = int(message.body_text.split("op plaats ")[1].split(".")[0])
        assert sorted(places.values()) == list(range(1, 21))
        assert [places[e.email] for e in waiting] == list(range(1, 21))

        first_waiting = waiting[0].email
        cancel_enrolment(confirmed[3])
        db.session.commit()
        # the freed seat is held for the first waiting person and offered to them
        assert db.session.scalar(select(Enrolment.status).where(Enrolment.email == first_waiting)) == "offered"
        assert db.session.get(Edition, edition_id).seats_taken == 10
    assert any("Er is een plaats voor je vrij" in m.subject for m in outbox(first_waiting))
