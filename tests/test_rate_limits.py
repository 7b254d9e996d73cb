"""Issue 12, item 7: rate limits hold across gunicorn workers (and hosts). With memory://
each worker counted on its own: 20 of 26 enrolment POSTs passed a 10-per-minute limit."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from sbo.extensions import db
from sbo.ratelimit import RateLimitCounter
from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import make_edition, make_offering
from tests.gunicorn_helpers import Browser, serve
from tests.helpers import csrf_from

REDIS = "redis://127.0.0.1:6379"


@pytest.mark.parametrize("storage", ["default", "redis"])
def test_enrolment_limit_holds_across_two_gunicorn_workers(make_app, tmp_path, storage):
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": f"sbo-test-{uuid.uuid4().hex}"}
    if storage == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url(REDIS).ping()
        except redis.exceptions.ConnectionError:
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        settings["RATELIMIT_STORAGE_URI"] = REDIS
    app = make_app(**settings)
    with app.app_context():
        path = enrol_url(make_edition(make_offering(), capacity=40))
        db.session.commit()
    with serve(app, tmp_path, workers=2, **settings) as url:
        visitor = Browser(url)
        status, page = visitor.request("GET", path)
        assert status == 200
        token = csrf_from(page)
        codes = [visitor.request("POST", path, {**VALID, "csrf_token": token,
                                                "email": f"deelnemer{n}@gemeente.example"})[0]
                 for n in range(26)]
    passed = [code for code in codes if code != 429]
    assert len(passed) == 10, f"{len(passed)} of 26 POSTs passed a 10-per-minute limit: {codes}"
    assert codes.count(429) == 16
    with app.app_context():
        in_database = db.session.scalar(select(func.count()).select_from(RateLimitCounter))
    assert (in_database > 0) is (storage == "default")  # the counters live where configured
    if storage == "redis":
        client = redis.Redis.from_url(REDIS)
        keys = client.keys("*" + settings["RATELIMIT_KEY_PREFIX"] + "*")
        assert keys
        client.delete(*keys)


def test_the_database_counter_counts_within_a_window_and_starts_a_new_one_after_it(app_ctx, monkeypatch):
    """incr, get and get_expiry of the sbo+database:// storage (fixed windows, as limits uses them)."""
    import time

    from sbo.ratelimit import DatabaseStorage
    storage = DatabaseStorage("sbo+database://")
    now = [1767225600.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    assert storage.get("k") == 0 and storage.get_expiry("k") == now[0]
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("k", 60, amount=2) == 5
    assert storage.incr("ander", 60) == 1
    assert storage.get("k") == 5 and storage.get_expiry("k") == 1767225660.0
    now[0] += 59
    assert storage.incr("k", 60) == 6 and storage.get_expiry("k") == 1767225660.0
    now[0] += 1  # the window has ended: a new one starts
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1 and storage.get_expiry("k") == 1767225720.0
    long_key = "x" * 300
    assert storage.incr(long_key, 60) == 1 and storage.incr(long_key, 60) == 2 and storage.get(long_key) == 2
    storage.clear("k")
    assert storage.get("k") == 0 and storage.get(long_key) == 2
