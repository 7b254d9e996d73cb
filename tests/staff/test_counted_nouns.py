"""Issue 11: counted nouns agree with their number ("1 geïnteresseerde", "2 geïnteresseerden",
"1 plaats", "2 plaatsen") on staff pages, in flash messages and in the audit log, through one
helper (sbo.filters.counted, the Jinja filters |aantal and |naamwoord)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from sbo import clock
from sbo.enrolment.models import InterestRegistration
from sbo.extensions import db
from sbo.filters import counted, noun
from tests.factories import make_edition, make_enrolment, make_offering


@pytest.mark.parametrize("count, singular, expected", [
    (0, "plaats", "0 plaatsen"), (1, "plaats", "1 plaats"), (2, "plaats", "2 plaatsen"),
    (1, "geïnteresseerde", "1 geïnteresseerde"), (2, "geïnteresseerde", "2 geïnteresseerden"),
    (1, "inschrijving", "1 inschrijving"), (3, "inschrijving", "3 inschrijvingen"),
    (1, "deelnemer", "1 deelnemer"), (1, "editie", "1 editie"), (5, "editie", "5 edities"),
])
def test_counted(count, singular, expected):
    assert counted(count, singular) == expected


def test_noun_with_an_explicit_plural_and_in_a_template(app):
    assert noun(1, "is", "zijn") == "is" and noun(4, "is", "zijn") == "zijn"
    with app.app_context():
        template = app.jinja_env.from_string("{{ 1|aantal('plaats') }}, {{ 2|aantal('plaats') }}, "
                                             "{{ 1|naamwoord('reactie wacht', 'reacties wachten') }}")
        assert template.render() == "1 plaats, 2 plaatsen, reactie wacht"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_staff_pages_agree_with_the_number(app, logged_in, post_form):
    with app.app_context():
        offering = make_offering(title="Bestuursrecht")
        edition = make_edition(offering, capacity=1, start_date=clock.today().replace(year=clock.today().year + 1))
        db.session.add(InterestRegistration(offering=offering, name="Iemand", email="a@example.org",
                                            status="active"))
        make_enrolment(edition, email="deelnemer@example.org")
        db.session.commit()
        offering_id, edition_id = offering.id, edition.id
    client, _ = logged_in("editor")
    dashboard = text(client.get("/beheer/").get_data(as_text=True))
    assert "1 komende editie " in dashboard and "1 van 1 plaats bezet" in dashboard
    assert "plaatsen bezet" not in dashboard and "1 komende edities" not in dashboard
    assert "van 1 plaats" in text(client.get(f"/beheer/edities/{edition_id}/inschrijvingen").get_data(as_text=True))
    assert "1 van 1 plaats" in text(client.get(f"/beheer/edities/{edition_id}").get_data(as_text=True))
    assert "1 resultaat" in text(client.get("/beheer/aanbod").get_data(as_text=True))

    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", {
        "dates": "07-04-2031", "start_time": "10:00", "end_time": "17:00", "venue": "",
        "city": "Utrecht", "capacity": "1", "price_override": ""})
    page = text(client.get(response.location).get_data(as_text=True))
    assert "1 geïnteresseerde krijgt een bericht." in page and "geïnteresseerden" not in page

    response = post_form(client, f"/beheer/edities/{edition_id}/annuleren", {}, page=f"/beheer/aanbod/{offering_id}")
    page = text(client.get(response.location).get_data(as_text=True))
    assert "1 deelnemer krijgt een bericht." in page
