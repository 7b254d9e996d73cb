"""Registers and accreditations: staff manage them, the offering page lists them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.catalogue.accreditation import RegisterData, create_register, set_accreditation
from sbo.catalogue.models import Accreditation, Register
from sbo.extensions import db
from tests.factories import make_offering

NOVA = {"name": "Nederlandse Orde van Advocaten", "short_name": "NOvA", "number_pattern": r"[A-Z]\d{5}",
        "number_hint": "een letter en vijf cijfers, zoals A12345",
        "provider_details": "SBO is bij de NOvA bekend als opleidingsinstelling 4711."}


@pytest.fixture
def offering(setup_data):
    with setup_data():
        return make_offering(slug="bibob-toets", title="De Bibob-toets", accreditation="Ook erkend door de VNG.")


def _stored(app, model, **where):
    with app.app_context():
        rows = db.session.scalars(select(model).filter_by(**where)).all()
        db.session.expunge_all()
        return rows


def test_an_editor_adds_a_register_and_the_audit_log_has_it(app, logged_in, post_form):
    client, _user = logged_in("editor")
    response = post_form(client, "/beheer/registers/nieuw", NOVA)
    assert response.status_code == 302
    assert "NOvA" in client.get("/beheer/registers").get_data(as_text=True)
    [register] = _stored(app, Register)
    assert (register.number_pattern, register.number_hint) == (NOVA["number_pattern"], NOVA["number_hint"])
    assert [e.action for e in _stored(app, AuditEntry, object_type="register")] == ["register.created"]


@pytest.mark.parametrize("change, message", [
    ({"number_pattern": "[A-Z"}, "Dit is geen geldige reguliere expressie."),
    ({"short_name": ""}, "Vul een korte naam in, bijvoorbeeld NOvA."),
    ({"name": "nederlandse orde van advocaten"}, "Er is al een register met deze naam."),
])
def test_a_bad_register_is_refused_with_a_message_at_the_field(app, setup_data, logged_in, post_form,
                                                               change, message):
    with setup_data():
        create_register(RegisterData(**NOVA))
    client, _user = logged_in("editor")
    response = post_form(client, "/beheer/registers/nieuw", {**NOVA, "name": "Ander register", **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(_stored(app, Register)) == 1


def test_accreditations_are_set_changed_and_removed_on_the_offering(app, setup_data, offering, logged_in,
                                                                    post_form, client):
    with setup_data():
        register = create_register(RegisterData(**NOVA))
    staff, _user = logged_in("editor")
    url = f"/beheer/aanbod/{offering.id}/accreditaties"
    assert post_form(staff, url, {"register_id": register.id, "points": "12", "net_hours": "10,5"}).status_code == 302
    html = client.get("/aanbod/bibob-toets").get_data(as_text=True)
    assert "Nederlandse Orde van Advocaten: 12 punten" in html and "Ook erkend door de VNG." in html

    assert post_form(staff, url, {"register_id": register.id, "points": "2,5", "net_hours": "3"}).status_code == 302
    [accreditation] = _stored(app, Accreditation)
    assert (accreditation.points, accreditation.net_hours) == (Decimal("2.50"), Decimal("3.00"))
    assert "Nederlandse Orde van Advocaten: 2,5 punten" in client.get("/aanbod/bibob-toets").get_data(as_text=True)

    response = post_form(staff, f"{url}/{register.id}/verwijderen", {}, page=url)
    assert response.status_code == 302
    assert _stored(app, Accreditation) == []
    assert "Orde van Advocaten" not in client.get("/aanbod/bibob-toets").get_data(as_text=True)
    assert [e.action for e in _stored(app, AuditEntry, object_type="offering")] == [
        "accreditation.added", "accreditation.updated", "accreditation.removed"]


@pytest.mark.parametrize("points, message", [
    ("twaalf", "Vul een getal in, bijvoorbeeld 6 of 2,5."),
    ("-1", "Vul een getal tussen 0 en 1000 in, met hoogstens twee cijfers na de komma."),
    ("1,255", "Vul een getal tussen 0 en 1000 in, met hoogstens twee cijfers na de komma."),
    ("", "Vul het aantal punten in."),
])
def test_bad_points_are_refused(app, setup_data, offering, logged_in, post_form, points, message):
    with setup_data():
        register = create_register(RegisterData(**NOVA))
    staff, _user = logged_in("editor")
    response = post_form(staff, f"/beheer/aanbod/{offering.id}/accreditaties",
                         {"register_id": register.id, "points": points, "net_hours": "6"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _stored(app, Accreditation) == []


def test_moderators_cannot_manage_registers(app, setup_data, offering, logged_in):
    client, _user = logged_in("moderator")
    assert client.get("/beheer/registers").status_code == 403
    assert client.get(f"/beheer/aanbod/{offering.id}/accreditaties").status_code == 403


def test_a_register_checks_the_whole_number(app_ctx):
    register = create_register(RegisterData(**NOVA))
    offering = make_offering()
    set_accreditation(offering, register, Decimal("4"), Decimal("4"))
    assert register.number_valid("A12345")
    assert not register.number_valid("A123456") and not register.number_valid("12345")
    assert Register(name="x", short_name="x").number_valid("wat dan ook")
