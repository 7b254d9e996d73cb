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
from sqlalchemy import String, func, select
from werkzeug.datastructures import MultiDict

from sbo.extensions import db
from sbo.mail import OutboxMessage
from tests.helpers import csrf_from

from .pages import FORM_PAGES, build_urls, discover_pages, form_token, post_forms, rules

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


FIELDS = 24  # values drawn per example; a form's fields take them in turn

# The draw has the same shape whatever the form looks like (forms change as examples store
# and delete things, and Hypothesis needs every example to draw the same way when it replays).
form_input = st.fixed_dictionaries({
    "form": st.integers(0, 99),
    "calm": st.integers(0, 3),  # 0: every field plausible, as a careful person fills it in
    "modes": st.lists(st.integers(0, 9), min_size=FIELDS, max_size=FIELDS),
    "values": st.lists(hostile_text, min_size=FIELDS, max_size=FIELDS),
})


def plausible(field: dict, pick: int) -> str:
    """A value a careful person might type, so that some posts pass validation and store rows."""
    name, kind = field["name"].lower(), field["type"]
    if field["options"] or kind in ("checkbox", "radio", "submit", "hidden"):
        options = [o for o in field["options"] if o] or field["options"] or [field["value"]]
        return options[pick % len(options)]
    if kind == "email" or "mail" in name:
        return f"deelnemer{pick}@example.nl"
    if kind == "number" or name in ("aantal", "count", "capacity", "capaciteit"):
        return str(1 + pick % 5)
    if kind == "date" or "datum" in name or "date" in name:
        return "2027-03-12"
    if kind == "tel" or "telefoon" in name or "phone" in name:
        return "020 123 45 67"
    if "postcode" in name:
        return "1234 AB"
    return "Anna de Vries"


def fill(form: dict, drawn: dict) -> list[tuple[str, str]]:
    """Per field: left out (mode 0), plausible (1-4) or hostile (5-9); all plausible when calm."""
    payload = []
    for i, field in enumerate(form["fields"]):
        mode, value = drawn["modes"][i % FIELDS], drawn["values"][i % FIELDS]
        if field["type"] == "hidden" and field["name"] == "csrf_token":
            payload.append((field["name"], field["value"]))
        elif drawn["calm"] == 0:
            payload.append((field["name"], plausible(field, mode + i)))
        elif mode == 0:
            continue
        elif mode < 5:
            payload.append((field["name"], plausible(field, mode + i)))
        else:
            payload.append((field["name"], value))
    return payload


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
    with site.app.app_context():  # some posts were plausible enough to store (the test form)
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > 0


def check_form(site, url, who):
    @QUALITY
    @given(drawn=form_input)
    def check(drawn):
        site.log_in_again()
        html = who.get(url).get_data(as_text=True)
        forms = post_forms(html, who)
        if not forms:  # an earlier example deleted what the page shows: nothing left to post
            return
        form = forms[drawn["form"] % len(forms)]
        payload = fill(form, drawn)
        if not any(name == "csrf_token" for name, _ in payload):
            payload.append(("csrf_token", csrf_from(html)))
        response = who.post(form["action"] or url, data=MultiDict(payload))
        assert_no_server_error(response, f"POST {form['action'] or url} {payload!r:.300}")
        with site.app.app_context():
            assert_rows_valid()

    check()


@pytest.mark.parametrize("bad", [{"subject": "a\x01b"}, {"status": "verzonnen"}])
def test_the_row_check_can_fail(site, bad):
    with site.app.app_context():
        assert_rows_valid()
        db.session.add(OutboxMessage(**{"to_addr": "a@b.nl", "subject": "s", "body_text": "b", **bad}))
        db.session.flush()
        with pytest.raises(AssertionError):
            assert_rows_valid()
        db.session.rollback()




def test_files_and_json_where_a_form_expects_text_cause_no_server_error(site):
    """A POST may carry a file under a text field's name (multipart) or a JSON body with the
    CSRF token in its header, whose values are numbers and lists: Flask-WTF hands both to the
    fields as they are (a comment with a file as its text answered 500)."""
    from io import BytesIO

    pages = form_pages(site)
    assert pages
    for url, who in pages:
        site.log_in_again()
        html = who.get(url).get_data(as_text=True)
        for form in post_forms(html, who):
            token = form_token(form) or csrf_from(html)
            names = [f["name"] for f in form["fields"] if f["name"] and f["name"] != "csrf_token"]
            files = MultiDict([("csrf_token", token)] + [(name, (BytesIO(b"tekst"), "a.txt")) for name in names])
            response = who.post(form["action"] or url, data=files, content_type="multipart/form-data")
            assert_no_server_error(response, f"multipart POST {form['action'] or url}")
            body = {name: [1, {"a": None}] if i % 2 else 12345 for i, name in enumerate(names)}
            for json in (body, [1, 2], "tekst"):
                response = who.post(form["action"] or url, json=json, headers={"X-CSRFToken": token})
                assert_no_server_error(response, f"JSON POST {form['action'] or url}: {json!r:.60}")
    with site.app.app_context():
        assert_rows_valid()
