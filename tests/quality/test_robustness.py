"""Hostile input never causes a 500: random query strings on every GET route, random values in
every POST form (with a valid CSRF token), and the database only ever holds valid rows."""
from __future__ import annotations

from urllib.parse import urlencode

import enum
import os
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, select
from werkzeug.datastructures import MultiDict

from sbo.extensions import db
from tests.conftest import csrf_from

from .pages import FORM_PAGES, build_urls, discover_pages, post_forms, rules

pytestmark = pytest.mark.slow

# Per URL and per form: 20 fixed examples by default (fast, deterministic);
# SBO_HYPOTHESIS=thorough for 300 random ones.
_SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("sbo-quality", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=_SUPPRESS, database=None)
settings.register_profile("sbo-thorough", max_examples=300, deadline=None,
                          suppress_health_check=_SUPPRESS)
QUALITY = settings(settings.get_profile(f"sbo-{os.environ.get('SBO_HYPOTHESIS', 'quality')}"))

# Query parameters the site knows (catalogue filters, paging, search); random names are added.
QUERY_KEYS = ["q", "type", "thema", "maand", "plaats", "sorteer", "pagina", "page", "per_page",
              "email", "next", "status", "zoek"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.integers(300, 5000).map(lambda n: ("Lang é\u0301 " * n)[:n]),  # very long
    st.sampled_from([
        "\x00", "a\x00b", "\x1b[31m", "\u202eevil", "\ufeff", "\ud7ff\uffff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "🙂" * 50,
        "'; DROP TABLE offering; --", "<script>alert(1)</script>", "%00", "%", "../../etc/passwd",
        "NaN", "-1", "0", "1e309", "99999999999999999999999", str(2**63), "-" + str(2**63), "1.5",
        "2026-13", "2026-02-30", "", " ", "null", "[]", "{}", "true",
        "geen-adres", "a@", "@b.nl", "a@b", "a" * 300 + "@example.nl", "a@b..nl", "a b@c.nl",
    ]),
    st.integers().map(str),
)


def page_urls(site) -> list[str]:
    urls = []
    for rule in rules(site.app, "GET"):
        if not rule.rule.startswith("/static"):
            urls.extend(build_urls(site.app, rule, site.samples))
    return urls


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"


query_params = st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=10)),
                                  hostile_text), max_size=6)


def test_hostile_query_strings_never_cause_a_server_error(site):
    urls = page_urls(site)
    assert "/" in urls

    for url in urls:
        @QUALITY
        @given(params=query_params)
        def check(params):
            query = urlencode(params)
            for who in (site.client, site.staff_client):
                assert_no_server_error(who.get(f"{url}?{query}"), f"{url}?{query[:200]}")

        check()


def form_pages(site) -> list[tuple[str, object]]:
    pages = [(url, site.client) for url in FORM_PAGES]
    for url, who in discover_pages(site.app, site.client, site.staff_client, site.samples):
        if post_forms(who.get(url).get_data(as_text=True)):
            pages.append((url, who))
    return pages


def hostile_value(draw, field: dict) -> str | None:
    """None leaves the field out (an unticked box, a tampered form)."""
    kind = field["type"]
    if kind == "hidden" and field["name"] == "csrf_token":
        return field["value"]
    if draw(st.integers(0, 9)) == 0:
        return None
    if kind in ("checkbox", "radio", "submit", "hidden") or field["options"]:
        choices = field["options"] or [field["value"]]
        return draw(st.one_of(st.sampled_from(choices), hostile_text))
    if kind == "email":
        return draw(st.one_of(st.emails().map(str), hostile_text))
    if kind == "number":
        return draw(st.one_of(st.integers(-10, 1000).map(str), hostile_text))
    return draw(hostile_text)


def enum_columns() -> dict[tuple[str, str], set[str]]:
    """{(table, column): allowed values} for columns typed Mapped[SomeStrEnum] in the models."""
    found = {}
    for mapper in db.Model.registry.mappers:
        module = sys.modules[mapper.class_.__module__]
        for name, annotation in getattr(mapper.class_, "__annotations__", {}).items():
            match = re.fullmatch(r"Mapped\[(\w+)\]", str(annotation))
            kind = getattr(module, match.group(1), None) if match else None
            if isinstance(kind, type) and issubclass(kind, enum.Enum) and name in mapper.columns:
                column = mapper.columns[name]
                found[(column.table.name, column.name)] = {str(m.value) for m in kind}
    return found


def assert_rows_valid() -> None:
    """Every row fits its table: no control characters, strings within their length, no NULL
    where the column forbids it, enum columns hold known values."""
    enums = enum_columns()
    assert enums, "no enum columns found: the check below would never run"
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                where = f"{table.name}.{column.name}={value!r:.80}"
                if value is None:
                    assert column.nullable or column.primary_key, where
                if isinstance(value, str):
                    assert "\x00" not in value and not any(
                        ord(c) < 32 and c not in "\t\r\n" for c in value), where
                    if isinstance(column.type, String) and column.type.length:
                        assert len(value) <= column.type.length, where
                    if (table.name, column.name) in enums:
                        assert value in enums[(table.name, column.name)], where


def test_hostile_form_input_never_causes_a_server_error_or_bad_rows(site):
    pages = form_pages(site)
    assert any(url == "/_test/formulier" for url, _ in pages)

    for url, who in pages:
        check_form(site, url, who)


def check_form(site, url, who):
    @QUALITY
    @given(data=st.data())
    def check(data):
        site.log_in_again()
        html = who.get(url).get_data(as_text=True)
        forms = post_forms(html)
        if not forms:  # an earlier example deleted what the page shows: nothing left to post
            return
        form = forms[data.draw(st.integers(0, len(forms) - 1))]
        payload = []
        for field in form["fields"]:
            value = hostile_value(data.draw, field)
            if value is not None:
                payload.append((field["name"], value))
        if not any(name == "csrf_token" for name, _ in payload):
            payload.append(("csrf_token", csrf_from(html)))
        response = who.post(form["action"] or url, data=MultiDict(payload))
        assert_no_server_error(response, f"POST {form['action'] or url} {payload!r:.300}")
        with site.app.app_context():
            assert_rows_valid()

    check()


@pytest.mark.parametrize("bad", [{"subject": "a\x01b"}, {"status": "verzonnen"}])
def test_the_row_check_can_fail(site, bad):
    from sbo.mail import OutboxMessage
    with site.app.app_context():
        assert_rows_valid()
        db.session.add(OutboxMessage(**{"to_addr": "a@b.nl", "subject": "s", "body_text": "b", **bad}))
        db.session.flush()
        with pytest.raises(AssertionError):
            assert_rows_valid()
        db.session.rollback()


