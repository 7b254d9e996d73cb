"""Issue 12, item 11: headers a loopback client may set. gunicorn trusts SCRIPT_NAME and
X-Forwarded-* from 127.0.0.1 by default; the site must not, and the page cache is keyed on
what the app routes, so one request cannot poison a page for everyone after it."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from tests.factories import make_edition, make_offering
from tests.gunicorn_helpers import raw_get, serve

POISON = [
    {"SCRIPT_NAME": "/aanbod"},                   # /aanbod/ would route to the home page
    {"X-Forwarded-Proto": "https"},               # https links, HSTS, Secure cookies over http
    {"X-Forwarded-Host": "evil.example"},
    {"X-Forwarded-Prefix": "/evil"},
    {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "/evil",
     "X-Forwarded-For": "203.0.113.9", "SCRIPT_NAME": "/aanbod"},
]


@pytest.mark.parametrize("gunicorn_config", ["shipped", "gunicorn-defaults"])
def test_forwarded_headers_from_loopback_cannot_poison_pages(make_app, tmp_path, gunicorn_config):
    app = make_app()
    with app.app_context():
        make_edition(make_offering(slug="veiligheid", title="Veiligheid op de werkvloer"))
        db.session.commit()
    # one worker, so that a poisoned entry in its page cache would be met by the clean request
    with serve(app, tmp_path, workers=1, **({} if gunicorn_config == "shipped" else {"config": None})) as url:
        clean = {path: raw_get(url, path) for path in ("/aanbod/", "/aanbod/veiligheid", "/")}
        assert clean["/aanbod/"][0] == 404 and clean["/aanbod/veiligheid"][0] == 200
        poisoned = [(headers, path, raw_get(url, path, headers)) for headers in POISON
                    for path in ("/aanbod/", "/aanbod/veiligheid", "/aanbod/aanbod/veiligheid")]
        # the attack: a clean request right after gets the clean page, not what the headers made
        for path, (status, _headers, body) in clean.items():
            again = raw_get(url, path)
            assert again[0] == status, f"{path}: {again[0]} after the poisoned requests, {status} before"
            assert again[2] == body, f"{path}: another page after the poisoned requests"
            assert "evil" not in again[2] and "strict-transport-security" not in again[1]
        for headers, path, (status, response_headers, body) in poisoned:
            assert "strict-transport-security" not in response_headers, (headers, path)  # plain http
            assert "evil" not in body and "https://localhost" not in body, (headers, path)
            if path == "/aanbod/":
                assert status == 404, (headers, "the app routed a shortened path")


@pytest.mark.parametrize("proxies, scheme", [(0, "http"), (1, "https")])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(make_app, proxies, scheme):
    """Over the test client (no gunicorn): the app itself believes X-Forwarded-* only with
    TRUSTED_PROXIES, and HSTS goes only with https."""
    app = make_app(TRUSTED_PROXIES=proxies)
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in response.headers) is (scheme == "https")
    response = app.test_client().get("/", base_url="https://localhost")
    assert "Strict-Transport-Security" in response.headers  # a real TLS connection


def test_script_name_is_never_a_route_prefix(make_app):
    app = make_app()
    # what gunicorn makes of "GET /aanbod/" with a "SCRIPT_NAME: /aanbod" header
    response = app.test_client().get("/aanbod/", environ_overrides={"SCRIPT_NAME": "/aanbod", "PATH_INFO": "/"})
    assert response.status_code == 404  # not the home page under /aanbod/
