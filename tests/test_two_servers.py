"""Issue 18, "more than one machine": two app servers (two gunicorns on their own ports, standing
in for two hosts) share PostgreSQL and Redis. A change committed through one is shown by the
other within a second, a rate limit counts the requests of both, and two mail senders never
deliver a message twice."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager

import pytest
import redis
from sqlalchemy import select

from sbo.extensions import db
from sbo.mail import MailStatus, OutboxMessage, queue_mail
from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import STAFF_PASSWORD, make_article, make_comment, make_edition, make_offering, make_staff
from tests.gunicorn_helpers import Browser, serve
from tests.helpers import PG_URL, WORKER_INDEX, csrf_from

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="several hosts share a PostgreSQL server, never a SQLite "
                                          "file: run with DATABASE_URL=postgresql://…"),
]

# a Redis database per pytest-xdist worker: the cache generation key is global within one
REDIS = f"redis://127.0.0.1:6379/{7 + WORKER_INDEX}"


@pytest.fixture
def shared():
    """Settings of a site on several hosts: page cache and rate-limit counters in Redis (a key
    prefix of this test's own, so runs never share counters)."""
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379")
    prefix = f"sbo-test-{uuid.uuid4().hex}"
    return {"CACHE_REDIS_URL": REDIS, "RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_KEY_PREFIX": prefix}


@contextmanager
def two_servers(app, tmp_path, **settings):
    """Two gunicorns (one worker each) serving the same database: yields their two urls."""
    with ExitStack() as stack:
        urls = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            urls.append(stack.enter_context(serve(app, tmp_path / name, workers=1, **settings)))
        yield urls


@pytest.mark.parametrize("generation", ["redis", "database"])
def test_a_comment_approved_on_one_host_shows_on_the_other_within_a_second(
        make_app, tmp_path, shared, generation):
    settings = {**shared, "RATELIMIT_ENABLED": False}
    if generation == "database":  # pages per worker, the generation in the database row
        settings["CACHE_REDIS_URL"] = None
    app = make_app(**settings)
    with app.app_context():
        article = make_article(title="Toezicht op evenementen")
        waiting = make_comment(article, "pending", body="Goed dat dit eindelijk geregeld is.")
        email = make_staff("moderator").email
        path, comment_id = f"/nieuws/{article.slug}", waiting.id
        db.session.commit()
    with two_servers(app, tmp_path, **settings) as (one, other):
        visitor = Browser(other)
        for _ in range(2):  # the second is served from the page cache
            status, page = visitor.request("GET", path)
            assert status == 200 and "Goed dat dit eindelijk geregeld is." not in page

        moderator = Browser(one)
        status, page = moderator.request("GET", "/beheer/login")
        status, _ = moderator.request("POST", "/beheer/login", {
            "csrf_token": csrf_from(page), "email": email, "password": STAFF_PASSWORD, "next": ""})
        assert status == 302
        _, detail = moderator.request("GET", f"/beheer/reacties/{comment_id}")
        status, _ = moderator.request("POST", f"/beheer/reacties/{comment_id}/goedkeuren",
                                      {"csrf_token": csrf_from(detail)})
        assert status == 302
        approved = time.monotonic()

        while True:
            started = time.monotonic()
            status, page = Browser(other).request("GET", path)
            if "Goed dat dit eindelijk geregeld is." in page:
                break
            assert started - approved < 1.0, "the other host still showed the old page after a second"
            time.sleep(0.05)
        assert status == 200 and started - approved < 1.05


def test_a_rate_limit_counts_the_requests_of_both_hosts(make_app, tmp_path, shared):
    settings = {**shared, "RATELIMIT_ENABLED": True, "CACHE_ENABLED": False}
    app = make_app(**settings)
    with app.app_context():
        path = enrol_url(make_edition(make_offering(), capacity=40))
        db.session.commit()
    with two_servers(app, tmp_path, **settings) as urls:
        visitor = Browser(urls[0])
        status, page = visitor.request("GET", path)
        assert status == 200
        token = csrf_from(page)
        codes = [visitor.at(urls[n % 2]).request("POST", path, {
                     **VALID, "csrf_token": token, "email": f"deelnemer{n}@gemeente.example"})[0]
                 for n in range(26)]
    passed = [code for code in codes if code != 429]
    assert len(passed) == 10, f"{len(passed)} of 26 POSTs, half to each host, passed a 10-per-minute limit"
    assert codes.count(429) == 16
    assert redis.Redis.from_url(REDIS).keys(f"*{shared['RATELIMIT_KEY_PREFIX']}*")


def test_two_mail_senders_never_send_a_message_twice(make_app, tmp_path, smtpd):
    app = make_app()
    messages = 60
    with app.app_context():
        for n in range(messages):
            queue_mail(f"deelnemer{n}@gemeente.example", f"Bevestiging {n}", f"Bericht {n}.")
        db.session.commit()
    env = {"SBO_TEST_INSTANCE": app.instance_path, "SBO_TEST_DATABASE": app.config["SQLALCHEMY_DATABASE_URI"],
           "SBO_TEST_CONFIG": json.dumps({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtpd.port})}
    command = [sys.executable, "-m", "flask", "--app", "tests.served_app:create_app()", "send-mail", "--loop", "0.2"]
    senders = [subprocess.Popen(command, env={**os.environ, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    try:
        deadline = time.monotonic() + 60
        while len(smtpd.messages) < messages and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # a second chance for a double delivery to arrive
    finally:
        for sender in senders:
            sender.terminate()
        outputs = [sender.communicate(timeout=10)[0] for sender in senders]
    subjects = sorted(message["Subject"] for message in smtpd.messages)
    assert subjects == sorted(f"Bevestiging {n}" for n in range(messages)), outputs
    with app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == [MailStatus.SENT] * messages
