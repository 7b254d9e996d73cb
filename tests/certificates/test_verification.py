"""/certificaat/<code>: a genuine code shows the course, the dates and the holder's initials; a
withdrawn one says so; an unknown one says so (404); codes cannot be guessed or enumerated."""
from __future__ import annotations

import re

from sbo.certificates import queries
from sbo.certificates.services import issue, withdraw
from sbo.extensions import db
from tests.certificates.data import past_course


def _issued(setup_data, withdrawn: bool = False) -> str:
    with setup_data():
        certificate = issue(past_course().anna)
        if withdrawn:
            withdraw(certificate, "Aanwezigheid onjuist")
        return queries.display_code(certificate.code)


def test_a_genuine_code_shows_course_dates_and_initials_only(client, setup_data):
    code = _issued(setup_data)
    response = client.get(f"/certificaat/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Certificaat is echt" in html and "Bibob in de praktijk" in html
    assert "A.d.V." in html
    assert "Anna" not in html and "Vries" not in html and "anna@" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert "no-store" in response.headers["Cache-Control"]
    # typed from paper: lower case, spaces instead of dashes, via the form
    typed = code.lower().replace("-", " ")
    assert client.get(f"/certificaat/{typed}").status_code == 200
    found = client.get("/certificaat", query_string={"code": typed})
    assert found.status_code == 303
    assert client.get(found.headers["Location"]).status_code == 200


def test_a_withdrawn_certificate_says_so(client, setup_data):
    code = _issued(setup_data, withdrawn=True)
    html = client.get(f"/certificaat/{code}").get_data(as_text=True)
    assert "Certificaat ingetrokken" in html and "niet meer geldig" in html
    assert "Certificaat is echt" not in html
    assert "Aanwezigheid onjuist" not in html  # the reason is for staff


def test_an_unknown_code_says_so(client, setup_data):
    code = _issued(setup_data)
    other = ("B" if code[0] != "B" else "C") + code[1:]
    for unknown in (other, "ABCD", "<b>vet", "0" * 24):
        response = client.get(f"/certificaat/{unknown}")
        html = response.get_data(as_text=True)
        assert response.status_code == 404, unknown
        assert "Onbekende verificatiecode" in html and "<b>vet" not in html


def test_codes_are_long_random_and_not_sequential(app_ctx):
    course = past_course()
    codes = [issue(course.anna).code, issue(course.carla).code]
    for code in codes:
        assert re.fullmatch(r"[A-Z2-7]{24}", code)  # 120 random bits
    assert sum(a == b for a, b in zip(*codes)) < 12
    db.session.rollback()


def test_guessing_codes_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, CERTIFICATE_VERIFY_LIMIT="5 per minute")
    client = app.test_client()
    statuses = [client.get(f"/certificaat/AAAA-AAAA-AAAA-AAAA-AAAA-AAA{n}").status_code for n in range(2, 8)]
    assert statuses == [404] * 5 + [429]
    found = client.get("/certificaat", query_string={"code": "AAAA"})  # the form leads to the same limit
    assert client.get(found.headers["Location"]).status_code == 429
