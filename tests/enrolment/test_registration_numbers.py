"""Registration numbers: asked on the enrolment form for each register that accredits the
offering (for colleagues too), format checked per register, and added or corrected on the
personal page until the certificates go out. The personal page also shows the attendance pass."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from sbo import clock
from sbo.catalogue.accreditation import RegisterData, create_register, set_accreditation
from sbo.catalogue.models import Accreditation, Edition, Register
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment, RegistrationNumber
from sbo.enrolment.passes import pass_code
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

NOVA = RegisterData(name="Nederlandse Orde van Advocaten", short_name="NOvA", number_pattern=r"[A-Z]\d{5}",
                    number_hint="een letter en vijf cijfers, zoals A12345")
RI = RegisterData(name="Register Integriteit", short_name="RI", number_pattern=r"RI-\d{4}",
                  number_hint="RI- en vier cijfers")


@pytest.fixture
def edition(setup_data):
    """An offering accredited by NOvA and Register Integriteit, and one that is not accredited."""
    with setup_data():
        offering = make_offering(slug="integriteit", title="Integriteit in de praktijk")
        edition = make_edition(offering)
        edition.nova, edition.ri = create_register(NOVA), create_register(RI)
        for register in (edition.nova, edition.ri):
            set_accreditation(offering, register, Decimal("6"), Decimal("6"))
        edition.plain = make_edition(make_offering(slug="zonder-punten"))
        edition.plain.url = enrol_url(edition.plain)
        edition.url = enrol_url(edition)
    return edition


def _numbers(app) -> dict[tuple[str, str], str]:
    with app.app_context():
        rows = db.session.execute(select(Enrolment.email, RegistrationNumber.register_id, RegistrationNumber.number)
                                  .join(Enrolment, Enrolment.id == RegistrationNumber.enrolment_id)).all()
        return {(email, register): number for email, register, number in rows}


def test_the_form_asks_a_number_per_register_for_everyone(client, edition):
    html = client.get(edition.url).get_data(as_text=True)
    assert "Registratienummer NOvA" in html and "Registratienummer RI" in html
    assert f'name="number_{edition.nova.id}"' in html
    assert f'name="participants-0-number_{edition.nova.id}"' in html
    assert "Optioneel; een letter en vijf cijfers, zoals A12345." in html
    assert "Registratienummer" not in client.get(edition.plain.url).get_data(as_text=True)


def test_a_register_accredited_later_is_asked_on_the_next_form(app, client, setup_data, edition):
    """The registers are read once per content generation (registration.registers_for): a new
    accreditation is on the next form, a removed one is gone."""
    assert "Registratienummer" not in client.get(edition.plain.url).get_data(as_text=True)
    with setup_data():
        offering = db.session.get(Edition, edition.plain.id).offering
        set_accreditation(offering, db.session.get(Register, edition.ri.id), Decimal("2"), Decimal("2"))
    assert "Registratienummer RI" in client.get(edition.plain.url).get_data(as_text=True)
    with setup_data():
        db.session.execute(delete(Accreditation).where(Accreditation.register_id == edition.ri.id))
    html = client.get(edition.url).get_data(as_text=True)
    assert "Registratienummer NOvA" in html and "Registratienummer RI" not in html


def test_numbers_are_stored_for_the_booker_and_a_colleague(app, client, post_form, edition):
    data = {**VALID, f"number_{edition.nova.id}": " a12345 ",
            "participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
            "participants-0-email": "piet@gemeente.example", f"participants-0-number_{edition.ri.id}": "RI-0042"}
    assert post_form(client, edition.url, data).status_code == 303
    assert _numbers(app) == {("sanne@gemeente.example", edition.nova.id): "A12345",
                             ("piet@gemeente.example", edition.ri.id): "RI-0042"}


@pytest.mark.parametrize("field, value, message", [
    ("number_{nova}", "12345", "Dit is geen geldig NOvA-nummer: een letter en vijf cijfers, zoals A12345."),
    ("participants-0-number_{ri}", "RI-12", "Dit is geen geldig RI-nummer: RI- en vier cijfers."),
])
def test_a_number_in_the_wrong_format_is_refused_next_to_its_field(app, client, post_form, edition, field,
                                                                   value, message):
    name = field.format(nova=edition.nova.id, ri=edition.ri.id)
    data = {**VALID, name: value, "participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
            "participants-0-email": "piet@gemeente.example"}
    response = post_form(client, edition.url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="field-error" id="{name}-error">{message}</p>' in html
    with app.app_context():
        assert db.session.scalar(select(Enrolment)) is None


@pytest.fixture
def personal_page(setup_data, edition):
    with setup_data():
        enrolment = make_enrolment(db.session.merge(edition), email="anna@gemeente.example")
        return "/" + manage_url(enrolment).split("/", 3)[3], pass_code(enrolment)


def test_the_personal_page_adds_and_corrects_numbers(app, client, post_form, edition, personal_page):
    path, _code = personal_page
    url = f"{path}/registratienummers"
    response = post_form(client, url, {f"number_{edition.nova.id}": "B54321", f"number_{edition.ri.id}": ""},
                         page=path)
    assert response.status_code == 303
    assert _numbers(app) == {("anna@gemeente.example", edition.nova.id): "B54321"}
    assert 'value="B54321"' in client.get(path).get_data(as_text=True)
    response = post_form(client, url, {f"number_{edition.nova.id}": "", f"number_{edition.ri.id}": "RI-7"}, page=path)
    assert response.status_code == 422 and "Dit is geen geldig RI-nummer" in response.get_data(as_text=True)
    assert _numbers(app) == {("anna@gemeente.example", edition.nova.id): "B54321"}


def test_numbers_are_closed_some_days_after_the_last_day(app, client, edition, personal_page,
                                                        monkeypatch):
    path, _code = personal_page
    days = app.config["REGISTRATION_NUMBERS_OPEN_DAYS"]
    later = edition.start_date + timedelta(days=days + 1)
    html = client.get(path).get_data(as_text=True)
    assert "Registratienummers opslaan" in html
    monkeypatch.setattr(clock, "today", lambda now=None: later)
    assert "Registratienummers opslaan" not in client.get(path).get_data(as_text=True)
    response = client.post(f"{path}/registratienummers",
                           data={"csrf_token": csrf_from(html), f"number_{edition.nova.id}": "B54321"})
    assert response.status_code == 409 and _numbers(app) == {}


def test_the_personal_page_shows_the_attendance_pass(client, personal_page):
    path, code = personal_page
    html = client.get(path).get_data(as_text=True)
    assert 'role="img" aria-label="QR-code voor de aanwezigheid van Deelnemer' in html
    assert "Je QR-code voor de aanwezigheid" in html


def test_the_confirmation_mail_carries_the_pass_as_a_png(app, client, post_form, edition, outbox):
    assert post_form(client, edition.url, VALID).status_code == 303
    confirm_by_mail(client, outbox)
    [mail] = [m for m in outbox("sanne@gemeente.example") if m.subject.startswith("Bevestiging")]
    [attendance_pass] = [a for a in mail.attachments if a["content_type"] == "image/png"]
    assert attendance_pass["filename"] == "qr-code-aanwezigheid.png"
    assert "QR-code uit de bijlage" in mail.body_text


def test_a_substitute_does_not_inherit_the_numbers(app, client, post_form, edition, personal_page, outbox):
    path, code = personal_page
    post_form(client, f"{path}/registratienummers", {f"number_{edition.nova.id}": "B54321"}, page=path)
    response = post_form(client, f"{path}/vervanger", {"first_name": "Bram", "last_name": "Bos",
                                                       "email": "bram@gemeente.example"}, page=path)
    assert response.status_code == 303
    assert _numbers(app) == {}
    # the old holder's pass no longer opens the scan page
    from sbo.enrolment.passes import enrolment_for_pass
    with app.app_context():
        assert enrolment_for_pass(code) is None
