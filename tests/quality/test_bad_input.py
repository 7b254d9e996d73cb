"""Central safety nets for bad input: integers from the query string, values the database
refuses. Views should validate first; these keep a slip from becoming a 500."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from sbo.extensions import db
from sbo.news.models import Article
from sbo.security import int_arg


@pytest.mark.parametrize("query, expected", [
    ("", 1), ("pagina=3", 3), ("pagina=0", 1), ("pagina=-4", 1), ("pagina=1.5", 1),
    ("pagina=abc", 1), ("pagina=%C2%B2", 1), ("pagina=99999", 500), ("pagina=" + "9" * 40, 500),
    ("pagina=%207%20", 7),
])
def test_int_arg_clamps_and_falls_back(app, query, expected):
    with app.test_request_context(f"/aanbod?{query}"):
        assert int_arg("pagina", maximum=500) == expected


@pytest.mark.parametrize("error", [
    DataError("SELECT 1 OFFSET %(n)s", {"n": 10**30}, Exception("bigint out of range")),
    OverflowError("Python int too large to convert to SQLite INTEGER"),
])
def test_a_value_the_database_refuses_gives_a_dutch_400(make_app, error):
    app = make_app(TESTING=False)

    @app.get("/_test/te-groot")
    def too_big():
        raise error

    response = app.test_client().get("/_test/te-groot")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Ongeldig verzoek" in html
    assert "bigint" not in html and "SQLite" not in html


def test_wtforms_own_messages_are_dutch(site):
    from tests.helpers import csrf_from
    token = csrf_from(site.client.get("/_test/formulier").get_data(as_text=True))
    response = site.client.post("/_test/formulier", data={
        "csrf_token": token, "name": "Anna", "email": "anna@example.nl", "count": "abc",
        "kind": "verzonnen", "topic": "orde"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ongeldig getal." in html and "Ongeldige keuze." in html
    assert "Not a valid" not in html



@pytest.mark.parametrize("number", ["2147483648", "99999999999", "9" * 25, "%D9%A3"])
def test_an_id_in_a_path_that_no_row_can_have_is_a_404(site, number):
    """An id beyond an INTEGER column (PostgreSQL answered 400, "integer out of range") or in
    another script's digits ("٣", which Werkzeug read as 3) names no page, for visitors and staff."""
    answers = {}
    for rule in site.app.url_map.iter_rules():
        ints = {name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)}
        if "GET" not in rule.methods or not ints:
            continue
        path = re.sub(r"<(?:[^<>:]+:)?(\w+)>", lambda m: number if m.group(1) in ints else "x", rule.rule)
        who = site.staff_client if path.startswith("/beheer") else site.client
        answers[path] = who.get(path).status_code
    assert len(answers) > 40
    assert {path: status for path, status in answers.items() if status != 404} == {}


def test_an_id_within_range_still_reaches_its_page(site):
    with site.app.app_context():
        article_id = db.session.scalar(select(Article.id).limit(1))
    assert article_id is not None
    assert site.staff_client.get(f"/beheer/artikelen/{article_id}").status_code == 200
