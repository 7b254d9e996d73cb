"""The statements (/privacy, /voorwaarden, /toegankelijkheid) and the links to them from the
footer and from every form that asks for personal data."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from sbo import clock
from sbo.extensions import db
from sbo.enrolment.mails import manage_url
from tests.factories import make_article, make_edition, make_enrolment, make_offering

PRIVACY_LINK = re.compile(r'Wat we met je gegevens doen: <a href="/privacy">privacyverklaring</a>')


@pytest.mark.parametrize("path, heading", [
    ("/privacy", "<h1>Privacyverklaring</h1>"),
    ("/voorwaarden", "<h1>Algemene voorwaarden</h1>"),
    ("/toegankelijkheid", "<h1>Toegankelijkheidsverklaring</h1>"),
    ("/mijn-gegevens", "<h1>Mijn gegevens</h1>"),
])
def test_each_statement_answers_and_is_linked_from_the_footer(client, path, heading):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and heading in html
    footer = html[html.index('<footer'):]
    assert f'<a href="{path}">' in footer


def test_the_privacy_statement_names_the_rights_and_the_authority(client):
    html = client.get("/privacy").get_data(as_text=True)
    for word in ("in te zien", "te laten corrigeren", "te laten verwijderen", "mee te nemen",
                 "bezwaar te maken", "Autoriteit Persoonsgegevens", "Grondslag"):
        assert word in html


def test_the_retention_periods_on_the_page_come_from_the_config(make_app):
    html = make_app().test_client().get("/privacy").get_data(as_text=True)
    assert re.search(r'data-kind="ip_address">30 dagen<', html)
    assert re.search(r'data-kind="enrolment_invoice">7 jaar na de start<', html)
    assert re.search(r'data-kind="login_attempt">1 dag<', html)
    assert re.search(r'data-kind="comment_anonymised">niet bewaard<', html)

    days = {"ip_address": 14, "enrolment_invoice": 10 * 365, "login_attempt": 2, "comment_anonymised": 3}
    app = make_app()
    app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], **days}
    html = app.test_client().get("/privacy").get_data(as_text=True)
    assert re.search(r'data-kind="ip_address">14 dagen<', html)
    assert re.search(r'data-kind="enrolment_invoice">10 jaar na de start<', html)
    assert re.search(r'data-kind="login_attempt">2 dagen<', html)
    assert re.search(r'data-kind="comment_anonymised">3 dagen<', html)


def test_every_configured_period_is_on_the_page(client, app):
    html = client.get("/privacy").get_data(as_text=True)
    for kind in app.config["RETENTION_DAYS"]:
        assert f'data-kind="{kind}"' in html, kind


def test_the_terms_show_the_configured_cancellation_terms(make_app):
    html = make_app().test_client().get("/voorwaarden").get_data(as_text=True)
    assert "<li>Tot 4 weken voor de start: kosteloos.</li>" in html
    assert "<li>Daarna tot 1 week voor de start: de helft van de prijs.</li>" in html
    assert "<li>Een vervanger sturen kan altijd, zonder kosten.</li>" in html
    assert "tot 2 dagen voor de start" in html

    html = make_app(ENROLMENT_CANCELLATION_TERMS=((42, 0), (14, 25))).test_client().get(
        "/voorwaarden").get_data(as_text=True)
    assert "<li>Tot 6 weken voor de start: kosteloos.</li>" in html
    assert "<li>Daarna tot 2 weken voor de start: 25% van de prijs.</li>" in html
    assert "<li>Daarna tot de start: de volledige prijs.</li>" in html
    assert "<li>Een vervanger sturen kan altijd, zonder kosten.</li>" in html


def test_the_accessibility_statement_names_standard_tests_exceptions_and_contact(client):
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    for words in ("WCAG", "2.1", "EN 301 549", "axe", "W3C", "Wat nog niet goed is",
                  "info@sbo.example"):
        assert words in html


def test_every_form_that_asks_for_personal_data_links_the_privacy_statement(setup_data, client):
    with setup_data():
        offering = make_offering(slug="crisis")
        open_edition = make_edition(offering, start_date=clock.today() + timedelta(days=60))
        full = make_edition(offering, start_date=clock.today() + timedelta(days=70), capacity=1)
        make_enrolment(full)
        enrolment = make_enrolment(open_edition, email="eigen@example.org")
        article = make_article()
        pages = {
            "enrolment": f"/aanbod/crisis/inschrijven/{open_edition.id}",
            "waiting list": f"/aanbod/crisis/wachtlijst/{full.id}",
            "interest": "/aanbod/crisis/interesse",
            "comment": f"/nieuws/{article.slug}",
            "substitute": "/" + manage_url(enrolment).split("/", 3)[3],
            "my data": "/mijn-gegevens",
            "in-company": "/maatwerk",
            "in-company for an offering": "/aanbod/crisis/in-company",
        }
        db.session.commit()  # the substitute page's link
    for name, path in pages.items():
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (name, path)
        assert "<form" in html and PRIVACY_LINK.search(html), name


def test_the_enrolment_forms_terms_link_to_the_terms(setup_data, client):
    with setup_data():
        edition = make_edition(make_offering(slug="crisis"), start_date=clock.today() + timedelta(days=60))
        path = f"/aanbod/crisis/inschrijven/{edition.id}"
    html = client.get(path).get_data(as_text=True)
    assert 'Lees de <a href="/voorwaarden">algemene voorwaarden</a>' in html
    assert 'aria-describedby="terms-hint"' in html


def test_the_enrolment_form_shows_the_cancellation_terms_from_the_config(make_app):
    app = make_app(ENROLMENT_CANCELLATION_TERMS=((42, 0), (14, 25), (0, 100)))
    with app.app_context():
        edition = make_edition(make_offering(slug="crisis"), start_date=clock.today() + timedelta(days=60))
        db.session.commit()
        path = f"/aanbod/crisis/inschrijven/{edition.id}"
    html = app.test_client().get(path).get_data(as_text=True)
    for line in ("<li>Tot 6 weken voor de start: kosteloos.</li>",
                 "<li>Daarna tot 2 weken voor de start: 25% van de prijs.</li>",
                 "<li>Daarna tot de start: de volledige prijs.</li>",
                 "<li>Een vervanger sturen kan altijd, zonder kosten.</li>"):
        assert line in html, line
