"""Every rule of the URL map that accepts POST refuses a POST without a CSRF token: 400 and not
one row changed in any table. New routes are picked up from app.url_map automatically."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sbo.extensions import db

from .pages import CSRF_EXEMPT, build_urls, rules
from .testapp import build_site

HOSTILE_BODY = {"email": "a@b.nl", "name": "x", "naam": "x", "body": "x", "tekst": "x",
                "action": "delete", "status": "approved", "aantal": "1", "password": "x"}


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def csrf_failures(site) -> tuple[list[str], int]:
    """Post without a token to every POST rule, anonymous and logged in as an administrator."""
    failures, checked = [], 0
    for rule in rules(site.app, "POST"):
        exempt = rule.rule in CSRF_EXEMPT
        for url in build_urls(site.app, rule, site.samples):
            for who in (site.client, site.staff_client):
                with site.app.app_context():
                    before = row_counts()
                responses = [who.post(url, data=HOSTILE_BODY), who.post(url, json=HOSTILE_BODY)]
                with site.app.app_context():
                    after = row_counts()
                checked += 1
                for response in responses:
                    if exempt and response.status_code < 500:
                        continue  # the URL's own authorisation (a signed token) decides, not CSRF
                    if response.status_code != 400:
                        failures.append(f"{rule.rule} ({url}): {response.status_code} without a CSRF token")
                if before != after:
                    failures.append(f"{rule.rule} ({url}): rows changed {before} -> {after}")
    return failures, checked


@pytest.mark.slow
def test_every_post_route_refuses_a_missing_csrf_token(site):
    site.app.add_url_rule("/_test/zonder-formulier", "_test_plain_post",
                          lambda: "opgeslagen", methods=["POST"])
    failures, checked = csrf_failures(site)
    assert checked >= 4  # the test-only routes at least; every domain route adds to this
    assert failures == []


@pytest.mark.slow
def test_the_walk_notices_a_route_without_csrf_protection(make_app):
    """The check itself can fail: an exempted route that stores a row is reported."""
    from sbo.extensions import csrf
    from sbo.mail import queue_mail

    site = build_site(make_app)

    def unprotected():
        queue_mail("a@b.nl", "x", "x")
        db.session.commit()
        return "ok"

    site.app.add_url_rule("/_test/onbeschermd", "_test_unprotected", csrf.exempt(unprotected),
                          methods=["POST"])
    failures, _ = csrf_failures(site)
    assert any("/_test/onbeschermd" in f and "200" in f for f in failures)
    assert any("/_test/onbeschermd" in f and "rows changed" in f for f in failures)
