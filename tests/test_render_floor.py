"""Issue 18, the fixed cost of every uncached page: what the cheaper request machinery must keep
doing. The session interface remembers the cookies it has verified, templates build their URLs
through a cheaper url_for, the security headers are added in one pass: none of it may let a
tampered or expired cookie in, leave a header out or build another link."""
from __future__ import annotations

import time

import pytest
from flask import flash, render_template_string

from sbo.security import CSP


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


@pytest.fixture
def app(make_app):
    app = make_app(CACHE_ENABLED=False)

    @app.get("/_test/flash")
    def flash_once():
        flash("Eenmalig bericht", "success")
        return "ok"

    @app.get("/_test/session")
    def show_session():
        from flask import session
        return {key: session[key] for key in sorted(session) if not key.startswith("_")}

    @app.get("/_test/links")
    def links():
        return render_template_string(
            "{{ url_for('static', filename='css/site.css') }} {{ url_for('catalogue.index') }} "
            "{{ url_for('catalogue.index', q='a b&c') }} {{ url_for('site.about', _anchor='x') }}")

    return app


def _with_token(client) -> str:
    """A session holding a CSRF token (a visitor who opened a form)."""
    client.get("/maatwerk")
    return _session_cookie(client)


def test_a_verified_session_cookie_still_needs_its_signature(app):
    visitor = app.test_client()
    value = _with_token(visitor)
    remembered = visitor.get("/_test/session").get_json()
    assert "csrf_token" in remembered
    # the same payload with a changed signature, after the genuine cookie was accepted
    payload, _, signature = value.rpartition(".")
    forged = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    other = app.test_client()
    other.set_cookie("session", forged)
    assert other.get("/_test/session").get_json() == {}


def test_a_remembered_session_cookie_expires(app, monkeypatch):
    visitor = app.test_client()
    _with_token(visitor)
    assert "csrf_token" in visitor.get("/_test/session").get_json()
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert visitor.get("/_test/session").get_json() == {}


def test_a_flashed_message_is_shown_once(app):
    visitor = app.test_client()
    _with_token(visitor)
    visitor.get("/_test/flash")
    assert "Eenmalig bericht" in visitor.get("/over-sbo").get_data(as_text=True)
    assert "Eenmalig bericht" not in visitor.get("/over-sbo").get_data(as_text=True)


def test_a_page_without_session_sets_no_cookie_and_varies_on_it(app):
    response = app.test_client().get("/over-sbo")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Vary"] == "Cookie"


def test_every_security_header_once_and_a_view_s_own_kept(app):
    @app.get("/_test/own-csp")
    def own_csp():
        return "ok", 200, {"Content-Security-Policy": "default-src 'none'", "Vary": "Accept"}

    client = app.test_client()
    response = client.get("/over-sbo")
    for name, value in [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                        ("Referrer-Policy", "strict-origin-when-cross-origin"), ("X-Frame-Options", "DENY"),
                        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()")]:
        assert response.headers.getlist(name) == [value]
    own = client.get("/_test/own-csp")
    assert own.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert own.headers["Vary"] == "Accept, Cookie"


def test_template_links_follow_a_trusted_proxy_prefix(make_app):
    app = make_app(CACHE_ENABLED=False, TRUSTED_PROXIES=1)
    client = app.test_client()
    plain = client.get("/over-sbo").get_data(as_text=True)
    prefixed = client.get("/over-sbo", headers={"X-Forwarded-Prefix": "/sbo"}).get_data(as_text=True)
    again = client.get("/over-sbo").get_data(as_text=True)
    assert 'href="/static/css/site.css"' in plain and 'href="/aanbod"' in plain
    assert 'href="/sbo/static/css/site.css"' in prefixed and 'href="/sbo/"' in prefixed  # breadcrumb home
    assert again == plain


def test_template_url_for_builds_what_flask_builds(app):
    client = app.test_client()
    assert client.get("/_test/links").get_data(as_text=True) == (
        "/static/css/site.css /aanbod /aanbod?q=a+b%26c /over-sbo#x")
