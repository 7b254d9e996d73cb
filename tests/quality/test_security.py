"""Security headers on every kind of response, cookies, safe redirects, no stack traces."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from sbo.extensions import db
from sbo.mail import OutboxMessage
from sbo.security import is_safe_redirect, redirect_target
from tests.helpers import csrf_from

from .pages import ERROR_PAGES, discover_pages
from .testapp import build_site

VALID_FORM = {"name": "Anna de Vries", "email": "anna@example.nl", "count": "2", "kind": "congres",
              "topic": "orde", "message": "Hallo"}


def assert_security_headers(response, url):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], f"{url}: {csp}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{url}: {csp}"
    assert directives.get("default-src") == ["'self'"], f"{url}: {csp}"
    for source in sum(directives.values(), []):
        assert source in ("'self'", "'none'", "data:"), f"{url}: foreign or unsafe source {source}"
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url


def test_every_kind_of_response_carries_the_headers(site, post_form):
    responses = {url: who.get(url) for url, who in discover_pages(
        site.app, site.client, site.staff_client, site.samples)}
    for url in ERROR_PAGES:
        responses[url] = site.client.get(url)
    for url in ("/static/css/site.css", "/static/js/forms.js", "/static/bestaat-niet.css"):
        responses[url] = site.client.get(url)
    responses["redirect"] = post_form(site.client, "/_test/formulier", VALID_FORM)
    responses["405"] = site.client.delete("/")
    responses["csrf"] = site.client.post("/_test/formulier", data=VALID_FORM)
    assert responses["redirect"].status_code == 302
    assert responses["405"].status_code == 405 and responses["csrf"].status_code == 400
    for url, response in responses.items():
        assert_security_headers(response, url)


def test_the_walks_see_the_staff_pages_as_an_administrator(site):
    assert site.staff_client.get("/_test/ingelogd").get_data(as_text=True) == str(site.admin_id)
    assert site.client.get("/_test/ingelogd").get_data(as_text=True) == "None"


def test_pages_hold_no_inline_script_or_style(site):
    for url, who in discover_pages(site.app, site.client, site.staff_client, site.samples):
        html = who.get(url).get_data(as_text=True)
        # a data block (JSON-LD) is not run, so the CSP allows it; inline code is not allowed
        assert not re.search(r"<script(?![^>]*\s(src=|type=\"application/ld\+json\"))[^>]*>", html), \
            f"{url}: inline <script>"
        assert not re.search(r"\sstyle=", html), f"{url}: style attribute"
        assert not re.search(r"\son[a-z]+=", html), f"{url}: inline event handler"
        assert not re.search(r"<(script|img|link|iframe|source|video|audio|object)\b[^>]*"
                             r"\s(src|href|data)=\"(https?:)?//", html), f"{url}: asset from another origin"


def session_cookie(response):
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[0].lower()


def test_session_cookie_httponly_lax_and_not_secure_over_http(site):
    cookie = session_cookie(site.client.get("/_test/formulier"))
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie.replace("samesite", "")


def test_session_cookie_secure_when_request_is_https(site):
    response = site.client.get("/_test/formulier", base_url="https://localhost")
    assert "; secure" in session_cookie(response)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_secure_when_site_url_is_https(make_app):
    site = build_site(make_app, SITE_URL="https://www.sbo.example")
    assert "; secure" in session_cookie(site.client.get("/_test/formulier"))


@pytest.mark.parametrize("proxy_fix, secure", [(True, True), (False, False)])
def test_forwarded_proto_trusted_only_with_proxy_fix(make_app, proxy_fix, secure):
    site = build_site(make_app, PROXY_FIX=proxy_fix)
    response = site.client.get("/_test/formulier", headers={"X-Forwarded-Proto": "https"})
    assert ("; secure" in session_cookie(response)) is secure
    assert ("Strict-Transport-Security" in response.headers) is secure


@pytest.mark.parametrize("target", [
    "/", "/aanbod", "/aanbod?q=veiligheid&pagina=2", "/beheer/reacties#r12", "/nieuws/%2F%2Fx",
])
def test_own_relative_paths_are_safe_redirects(target):
    assert is_safe_redirect(target)


@pytest.mark.parametrize("target", [
    None, "", "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
    "http://localhost/", "javascript:alert(1)", "JavaScript:alert(1)", "aanbod", "/\t/evil.example",
    "/ /evil.example", "/\x00", "data:text/html,x", " /aanbod", "///evil.example", "mailto:x@y.nl",
])
def test_foreign_or_odd_targets_are_not_safe_redirects(target):
    assert not is_safe_redirect(target)


@pytest.mark.parametrize("query, expected", [
    ("next=/aanbod%3Fq%3Dx", "/aanbod?q=x"), ("next=//evil.example", "/beheer"),
    ("next=https://evil.example", "/beheer"), ("", "/beheer"),
])
def test_redirect_target_takes_next_only_when_safe(app, query, expected):
    with app.test_request_context(f"/beheer/inloggen?{query}"):
        assert redirect_target("/beheer") == expected


def test_production_error_shows_dutch_page_without_stack_trace(make_app):
    site = build_site(make_app, TESTING=False, DEBUG=False)
    response = site.client.get("/_test/fout")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in html and 'lang="nl"' in html
    for leak in ("Traceback", "RuntimeError", "geheime details", "werkzeug", "File \""):
        assert leak not in html


@pytest.mark.parametrize("query, seen", [
    ("q=a%00b", [("q", "ab")]), ("q=%01", [("q", "")]), ("pagina=1%1b", [("pagina", "1")]),
    ("x%00=1&x=2", [("x", "1"), ("x", "2")]), ("q=%7f%09a", [("q", "\ta")]),
])
def test_control_characters_are_stripped_from_the_query_string(site, query, seen):
    response = site.client.get(f"/_test/zoek?{query}")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == repr(seen)


def test_control_characters_in_a_path_get_a_400(site):
    assert site.client.get("/aanbod/x%00y").status_code == 400


def test_nul_in_a_form_is_refused_and_nothing_stored(site):
    token = csrf_from(site.client.get("/_test/formulier").get_data(as_text=True))
    response = site.client.post("/_test/formulier", data={
        **VALID_FORM, "name": "Anna\x00", "csrf_token": token})
    assert response.status_code == 400
    assert "onzichtbare stuurtekens" in response.get_data(as_text=True)
    with site.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_tabs_and_newlines_in_a_textarea_are_fine(site, post_form):
    response = post_form(site.client, "/_test/formulier", {**VALID_FORM, "message": "a\tb\r\nc"})
    assert response.status_code == 302
    with site.app.app_context():
        assert db.session.scalars(select(OutboxMessage.body_text)).one() == "a\tb\r\nc"
