"""The public in-company request form: on /maatwerk and from an offering's page. Bad input gives
422 with a Dutch message next to the field and stores and mails nothing; a good request is stored,
the requester gets a confirmation and the handlers (editors, admins) a notice."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from sbo.extensions import db
from sbo.incompany.models import IncompanyRequest, RequestStatus
from tests.factories import make_offering, make_staff

VALID = {"organisation": "Gemeente Utrecht", "contact_name": "Sanne de Vries",
         "email": "sanne@gemeente.example", "phone": "+31 (0)30-123 45 67", "participants": "14",
         "preferred_period": "voorjaar 2027", "preferred_place": "Stadskantoor Utrecht",
         "question": "Wij willen ons team van vergunningverleners opleiden.\nKan dat op locatie?"}


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(IncompanyRequest))


@pytest.fixture
def offering_slug(setup_data):
    with setup_data():
        return make_offering(title="Omgevingswet in de praktijk", slug="omgevingswet").slug


def test_offering_page_offers_the_request_form(client, offering_slug, setup_data):
    html = client.get(f"/aanbod/{offering_slug}").get_data(as_text=True)
    assert "<h3>Deze cursus in-company?</h3>" in html
    assert f'href="/aanbod/{offering_slug}/in-company"' in html
    with setup_data():
        make_offering(slug="congres-veiligheid", type="congres")
    assert "<h3>Dit congres in-company?</h3>" in client.get("/aanbod/congres-veiligheid").get_data(as_text=True)


def test_every_page_links_the_general_request_page(client):
    assert 'href="/maatwerk"' in client.get("/").get_data(as_text=True)
    assert "<loc>http://localhost/maatwerk</loc>" in client.get("/sitemap.xml").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/maatwerk", "/aanbod/omgevingswet/in-company"])
def test_the_form_marks_required_fields_and_links_the_privacy_statement(client, offering_slug, url):
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("organisation", "contact_name", "email", "participants", "question"):
        label = re.search(rf'<label for="{field}">(.*?)</label>', html, re.S).group(1)
        assert '<span class="req" aria-hidden="true">*</span>' in label, field
        assert re.search(rf'<(input|textarea)[^>]*id="{field}"[^>]*required', html), field
    for field in ("phone", "preferred_period", "preferred_place"):
        label = re.search(rf'<label for="{field}">(.*?)</label>', html, re.S).group(1)
        assert "req" not in label, field
    assert 'class="muted privacy-note"' in html and 'href="/privacy"' in html
    if "omgevingswet" in url:
        assert "<h1>Omgevingswet in de praktijk in-company</h1>" in html


def test_an_unpublished_or_unknown_offering_has_no_form(client, setup_data):
    with setup_data():
        make_offering(slug="offline", published=False)
    assert client.get("/aanbod/offline/in-company").status_code == 404
    assert client.get("/aanbod/bestaat-niet/in-company").status_code == 404


BAD_INPUT = [
    ("organisation", "", "Vul de naam van je organisatie in."),
    ("organisation", "x" * 201, "Gebruik hoogstens 200 tekens."),
    ("organisation", "Gemeente\r\nBcc: iemand@example.org", "Gebruik één regel, zonder regeleinden."),
    ("contact_name", "", "Vul je naam in."),
    ("contact_name", "x" * 121, "Gebruik hoogstens 120 tekens."),
    ("email", "", "Vul je e-mailadres in."),
    ("email", "geen-adres", "Dit is geen geldig e-mailadres."),
    ("email", "a" * 250 + "@x.nl", "Dit e-mailadres is te lang."),
    ("phone", "bel me maar", "Gebruik alleen cijfers, spaties en + - ( )."),
    ("phone", "0" * 31, "Gebruik hoogstens 30 tekens."),
    ("participants", "", "Vul het aantal deelnemers in."),
    ("participants", "een stuk of tien", "Vul een aantal in, bijvoorbeeld 12."),
    ("participants", "0", "Vul een aantal in van 1 tot en met 1000."),
    ("participants", "1001", "Vul een aantal in van 1 tot en met 1000."),
    ("preferred_period", "x" * 121, "Gebruik hoogstens 120 tekens."),
    ("preferred_place", "x" * 121, "Gebruik hoogstens 120 tekens."),
    ("preferred_place", "Utrecht\nAmersfoort", "Gebruik één regel, zonder regeleinden."),
    ("question", "", "Beschrijf je vraag of wens."),
    ("question", "   ", "Beschrijf je vraag of wens."),
    ("question", "x" * 4001, "Gebruik hoogstens 4000 tekens."),
]


@pytest.mark.parametrize("url", ["/maatwerk", "/aanbod/omgevingswet/in-company"])
@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT,
                         ids=[f"{f}-{i}" for i, (f, _v, _m) in enumerate(BAD_INPUT)])
def test_bad_input_is_refused_at_the_field(app, client, post_form, outbox, offering_slug, url,
                                           field, value, message):
    response = post_form(client, url, {**VALID, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html)
    assert error and error.group(1) == message
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', html) or \
        re.search(rf'aria-describedby="[^"]*{field}-error"[^>]*id="{field}"', html)
    assert "Controleer het formulier" in html  # the summary above the form
    assert stored(app) == 0 and outbox() == []


def test_typed_values_are_kept_after_an_error(client, post_form, offering_slug):
    html = post_form(client, "/maatwerk", {**VALID, "email": ""}).get_data(as_text=True)
    assert 'value="Gemeente Utrecht"' in html and "Kan dat op locatie?" in html


def test_post_without_csrf_token_is_refused(app, client, outbox):
    response = client.post("/maatwerk", data=VALID)
    assert response.status_code == 400
    assert stored(app) == 0 and outbox() == []


def test_a_request_from_an_offering_is_stored_and_mailed(app, client, post_form, outbox, setup_data):
    with setup_data():
        make_offering(title="Omgevingswet in de praktijk", slug="omgevingswet")
        make_staff("editor", email="redacteur@sbo.example")
        make_staff("admin", email="beheerder@sbo.example")
        make_staff("moderator", email="moderator@sbo.example")
        make_staff("editor", email="oud@sbo.example", active=False)

    response = post_form(client, "/aanbod/omgevingswet/in-company", VALID)
    assert response.status_code == 303
    assert response.headers["Location"] == "/aanbod/omgevingswet/in-company/verstuurd"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je aanvraag is verstuurd" in page and 'href="/aanbod/omgevingswet"' in page

    with app.app_context():
        [request] = db.session.scalars(select(IncompanyRequest)).all()
        assert request.offering.slug == "omgevingswet"
        assert (request.organisation, request.contact_name, request.email, request.phone) == (
            "Gemeente Utrecht", "Sanne de Vries", "sanne@gemeente.example", "+31 (0)30-123 45 67")
        assert request.participants == 14
        assert (request.preferred_period, request.preferred_place) == ("voorjaar 2027", "Stadskantoor Utrecht")
        assert request.question == VALID["question"]
        assert request.status == RequestStatus.NEW and request.owner_id is None

    [confirmation] = outbox("sanne@gemeente.example")
    assert confirmation.subject == "Je aanvraag voor Omgevingswet in de praktijk in-company"
    body = confirmation.body_text
    assert body.startswith("Beste Sanne de Vries,")
    assert "Organisatie: Gemeente Utrecht" in body and "Aantal deelnemers: 14" in body
    assert "  > Kan dat op locatie?" in body  # what they typed is quoted
    assert "http://localhost/aanbod/omgevingswet" in body

    notices = {m.to_addr: m for m in outbox() if m.to_addr != "sanne@gemeente.example"}
    assert set(notices) == {"redacteur@sbo.example", "beheerder@sbo.example"}
    notice = notices["redacteur@sbo.example"]
    assert notice.subject == "Nieuwe in-company-aanvraag: Omgevingswet in de praktijk"
    assert f"http://localhost/beheer/maatwerk/{request.id}" in notice.body_text
    assert "sanne@gemeente.example" not in notice.body_text  # the address stays in the queue


def test_a_general_request_has_no_offering(app, client, post_form, outbox):
    response = post_form(client, "/maatwerk", {**VALID, "phone": "", "preferred_period": "",
                                               "preferred_place": ""})
    assert response.status_code == 303 and response.headers["Location"] == "/maatwerk/verstuurd"
    assert "Je aanvraag is verstuurd" in client.get("/maatwerk/verstuurd").get_data(as_text=True)
    with app.app_context():
        [request] = db.session.scalars(select(IncompanyRequest)).all()
        assert request.offering_id is None and request.phone == "" and request.preferred_place == ""
    [confirmation] = outbox("sanne@gemeente.example")
    assert confirmation.subject == "Je aanvraag voor een training op maat"
    assert "Telefoonnummer" not in confirmation.body_text


def test_one_confirmation_per_address_per_period(app, client, post_form, outbox):
    """Each request is stored, but the form cannot be used to flood an address with mail."""
    for _ in range(3):
        assert post_form(client, "/maatwerk", VALID).status_code == 303
    assert stored(app) == 3
    assert len(outbox("sanne@gemeente.example")) == 1


def test_the_form_is_rate_limited(make_app, post_form):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [post_form(client, "/maatwerk", {**VALID, "email": f"a{i}@example.org"}).status_code
             for i in range(11)]
    assert codes == [303] * 10 + [429]
