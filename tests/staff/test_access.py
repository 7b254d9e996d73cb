"""Every /beheer endpoint except the login page refuses anonymous users (→ login) and too low
a role (→ 403). The endpoints come from the URL map, so new ones are covered automatically;
their minimum role is the `staff_role` that staff_required() puts on the view."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import url_for

from sbo import create_app
from sbo.staff.access import PUBLIC_ENDPOINTS
from sbo.staff.models import Role
from tests.helpers import csrf_from

_app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
STAFF_RULES = sorted(
    ((rule.endpoint, rule.rule, "GET" if "GET" in rule.methods else "POST", tuple(rule.arguments))
     for rule in _app.url_map.iter_rules()
     if rule.rule.startswith("/beheer") and rule.endpoint not in PUBLIC_ENDPOINTS),
    key=lambda item: item[1])
ROLES = list(Role)


def _min_role(endpoint: str) -> Role | None:
    return getattr(_app.view_functions[endpoint], "staff_role", None)


def _url(app, endpoint: str, arguments) -> str:
    with app.test_request_context():
        return url_for(endpoint, **{name: 1 for name in arguments})


def _request(client, method: str, url: str, token_page: str):
    if method == "GET":
        return client.get(url)
    token = csrf_from(client.get(token_page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def test_the_map_has_staff_endpoints():
    endpoints = {endpoint for endpoint, *_ in STAFF_RULES}
    assert {"staff.dashboard", "staff.offerings", "staff.accounts", "staff.audit_log"} <= endpoints


@pytest.mark.parametrize("endpoint", sorted({e for e, *_ in STAFF_RULES}))
def test_every_staff_endpoint_declares_a_minimum_role(endpoint):
    assert _min_role(endpoint) in ROLES, f"{endpoint} has no @staff_required(role)"


@pytest.mark.parametrize("endpoint,rule,method,arguments", STAFF_RULES, ids=[r[0] for r in STAFF_RULES])
def test_anonymous_is_sent_to_login(client, endpoint, rule, method, arguments):
    url = _url(client.application, endpoint, arguments)
    response = _request(client, method, url, "/beheer/login")
    assert response.status_code == 302
    target = urlsplit(response.location)
    assert target.path == "/beheer/login"
    assert "next=" in target.query
    assert response.headers["Cache-Control"] == "no-store"


WRONG_ROLE = [(endpoint, rule, method, arguments, lower)
              for endpoint, rule, method, arguments in STAFF_RULES
              for lower in ROLES if _min_role(endpoint) and lower.rank < _min_role(endpoint).rank]


@pytest.mark.parametrize("endpoint,rule,method,arguments,role", WRONG_ROLE,
                         ids=[f"{r[0]}-{r[4].value}" for r in WRONG_ROLE])
def test_too_low_a_role_gets_403(logged_in, endpoint, rule, method, arguments, role):
    client, _ = logged_in(role.value)
    url = _url(client.application, endpoint, arguments)
    response = _request(client, method, url, "/beheer/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Geen toegang" in page
    assert '<meta name="robots" content="noindex' in page


@pytest.mark.parametrize("endpoint,rule,method,arguments", STAFF_RULES, ids=[r[0] for r in STAFF_RULES])
def test_the_minimum_role_gets_past_the_door(logged_in, endpoint, rule, method, arguments):
    client, _ = logged_in(_min_role(endpoint).value)
    url = _url(client.application, endpoint, arguments)
    response = _request(client, method, url, "/beheer/")
    assert response.status_code != 403
    target = urlsplit(response.location or "")
    assert not (target.path == "/beheer/login" and "next=" in target.query)  # logout lands there without next


def test_a_view_without_staff_required_is_refused_for_everyone(make_app, staff_user):
    app = make_app()
    app.view_functions["staff.dashboard"] = lambda: "open!"  # as if someone forgot the decorator
    response = app.test_client().get("/beheer/")
    assert response.status_code == 403
    assert "open!" not in response.get_data(as_text=True)


def test_staff_pages_are_not_cached_nor_indexed(logged_in):
    client, _ = logged_in("admin")
    for url in ("/beheer/", "/beheer/aanbod", "/beheer/accounts", "/beheer/login"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
    page = client.get("/beheer/").get_data(as_text=True)
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_navigation_shows_only_what_the_role_may_open(logged_in):
    editor, _ = logged_in("editor")
    page = editor.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/aanbod"' in page
    assert 'href="/beheer/accounts"' not in page
    admin, _ = logged_in("admin")
    page = admin.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/accounts"' in page and 'href="/beheer/logboek"' in page
    moderator, _ = logged_in("moderator")
    page = moderator.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/aanbod"' not in page
    assert "Uitloggen" in page
    # the items are kept per role and page: the same page for another role, and the current
    # section (a page that belongs to it too) marked for each
    page = moderator.get("/beheer/reacties").get_data(as_text=True)
    assert '<li><a href="/beheer/reacties" aria-current="page">Reacties</a></li>' in page
    nav = page.split('<nav class="staff-nav"')[1].split("</nav>")[0]
    assert 'href="/beheer/aanbod"' not in nav and nav.count("aria-current") == 1
    page = editor.get("/beheer/aanbod/nieuw").get_data(as_text=True)
    assert '<li><a href="/beheer/aanbod" aria-current="page">Aanbod</a></li>' in page
    assert '<li><a href="/beheer/">Dashboard</a></li>' in page and "Thema&#39;s</a></li>" in page
