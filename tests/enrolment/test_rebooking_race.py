"""30 requests at the same moment against two editions, over HTTP (a threaded server): people
moving from one date to the other in both directions, and new enrolments for both. No edition
ends over its capacity and each edition's seats_taken equals its confirmed plus held enrolments.

PostgreSQL only: SQLite takes one write lock per database, so there the requests simply run one
after the other and nothing races (the rules themselves are tested in test_rebooking.py)."""
from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import SEATED, Enrolment
from sbo.extensions import db
from tests.browser.helpers import LiveServer
from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import PG_URL, csrf_from

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not PG_URL, reason="a real race needs PostgreSQL's row locks; "
                                 "SQLite runs one writer at a time")]
CAPACITY = 16
AT_START = 7  # seats taken in each edition at the start
# 9 free seats in each and 8 new enrolments for each: whichever move commits first still finds a
# seat (the others may not), so every run moves someone while moves and enrolments compete


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_thirty_moves_and_enrolments_at_once_never_overbook(app, setup_data):
    with setup_data():
        offering = make_offering()
        first = make_edition(offering, capacity=CAPACITY)
        second = make_edition(offering, capacity=CAPACITY, start_date=clock.today() + timedelta(days=50))
        # 7 of 16 seats taken in each, people waiting for the first: moves, new enrolments and
        # the first's waiting list compete for the 18 free seats
        movers = [make_enrolment(first) for _ in range(AT_START)] + [make_enrolment(second) for _ in range(AT_START)]
        for _ in range(3):
            make_enrolment(first, status="waiting")
        ids = (first.id, second.id)
        # 14 moves (7 each way) and 16 new enrolments (8 for each edition)
        jobs = [("/" + manage_url(m).split("/", 3)[3] + "/omboeken",
                 {"edition_id": second.id if m.edition_id == first.id else first.id}) for m in movers]
        jobs += [(enrol_url(edition), {**VALID, "email": f"nieuw{i}-{edition.id}@example.org"})
                 for i in range(8) for edition in (first, second)]
    assert len(jobs) == 30
    server = LiveServer(app).start()
    try:
        prepared = []
        for path, data in jobs:  # each person opens their page in their own browser session
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
            html = opener.open(server.url + path).read().decode()
            prepared.append((opener, path, {**data, "csrf_token": csrf_from(html)}))
        start = threading.Barrier(len(jobs))
        results: list[int | str] = [0] * len(jobs)

        def submit(index: int) -> None:
            opener, path, data = prepared[index]
            start.wait()
            try:
                results[index] = opener.open(server.url + path, data=urllib.parse.urlencode(data).encode(),
                                             timeout=60).status
            except urllib.error.HTTPError as error:
                results[index] = error.code
            except Exception as error:  # pragma: no cover - reported by the assertion below
                results[index] = repr(error)

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(jobs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
    finally:
        server.stop()

    # a move either happened (303) or found the other date full (409); every enrolment is taken
    # (a seat or the waiting list)
    assert all(code in (303, 409) for code in results[:14]), results
    assert results[14:] == [303] * 16, results
    with app.app_context():
        assert seat_count_mismatches() == []
        for edition_id in ids:
            edition = db.session.get(Edition, edition_id)
            seated = db.session.scalar(select(func.count()).where(
                Enrolment.edition_id == edition_id, Enrolment.status.in_(SEATED)))
            assert edition.seats_taken == seated <= edition.capacity
        moved = results[:14].count(303)
        total = db.session.scalar(select(func.count()).select_from(Enrolment))
        assert total == 14 + 3 + 16 and moved >= 1  # nobody lost or doubled by a move
