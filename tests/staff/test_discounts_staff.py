"""An offering's discounts from /beheer/aanbod/<id>/kortingen: add (for all editions or one),
bad input that stores nothing, delete, audit entries, and the offering page showing them."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from sbo import clock
from sbo.catalogue.models import Discount
from sbo.extensions import db
from sbo.filters import dutch_date
from tests.factories import make_edition, make_offering
from tests.staff.helpers import audit_actions


def _discounts(app) -> list[Discount]:
    with app.app_context():
        rows = db.session.scalars(select(Discount).order_by(Discount.id)).all()
        db.session.expunge_all()
        return rows


def test_add_and_delete_discounts(app, client, logged_in, post_form, setup_data):
    until = clock.today() + timedelta(days=20)
    with setup_data():
        offering = make_offering(slug="crisis", price_cents=100000)
        edition = make_edition(offering)
        offering_id, edition_id = offering.id, edition.id
    editor, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}/kortingen"
    assert post_form(editor, url, {"kind": "group", "percent": "12,5", "min_participants": "3"}).status_code == 302
    assert post_form(editor, url, {"kind": "early_bird", "amount": "99,50", "edition_id": str(edition_id),
                                   "valid_until": until.strftime("%d-%m-%Y")}).status_code == 302
    group, early = _discounts(app)
    assert (group.kind, group.percent, group.amount, group.min_participants, group.edition_id) == (
        "group", Decimal("12.50"), None, 3, None)
    assert (early.kind, early.amount, early.valid_until, early.edition_id) == (
        "early_bird", Decimal("99.50"), until, edition_id)
    page = editor.get(url).get_data(as_text=True)
    assert "Groepskorting vanaf 3 deelnemers (12,5 %)" in page and "Alle edities" in page
    assert f"Vroegboekkorting t/m {dutch_date(until)} (€ 99,50 p.p.)" in page
    public = client.get("/aanbod/crisis").get_data(as_text=True)
    assert "<li>Groepskorting vanaf 3 deelnemers (12,5 %)</li>" in public
    assert f'<span class="meta">Vroegboekkorting t/m {dutch_date(until)}' in public
    response = post_form(editor, f"{url}/{group.id}/verwijderen", {}, page=url)
    assert response.status_code == 302 and [d.id for d in _discounts(app)] == [early.id]
    assert "Groepskorting vanaf" not in client.get("/aanbod/crisis").get_data(as_text=True)
    assert audit_actions(app, "discount") == ["discount.created", "discount.created", "discount.deleted"]


def test_bad_discount_input_stores_nothing(app, logged_in, post_form, setup_data):
    with setup_data():
        offering_id = make_offering().id
        other_edition = make_edition(make_offering()).id
    editor, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}/kortingen"
    cases = [({"kind": "group", "min_participants": "3"}, "Vul een percentage óf een bedrag in."),
             ({"kind": "group", "percent": "10", "amount": "5", "min_participants": "3"},
              "Vul een percentage óf een bedrag in."),
             ({"kind": "group", "percent": "120", "min_participants": "3"}, "Vul een percentage in tussen 0 en 100"),
             ({"kind": "group", "percent": "0", "min_participants": "3"}, "Vul een percentage in tussen 0 en 100"),
             ({"kind": "group", "amount": "0", "min_participants": "3"}, "Een korting van € 0 is geen korting."),
             ({"kind": "group", "amount": "tien", "min_participants": "3"}, "Vul een bedrag in euro"),
             ({"kind": "group", "percent": "10", "min_participants": "1"}, "(2 of meer)"),
             ({"kind": "group", "percent": "10"}, "(2 of meer)"),
             ({"kind": "early_bird", "percent": "10"}, "Vul de laatste dag van de vroegboekkorting in"),
             ({"kind": "early_bird", "percent": "10", "valid_until": "31-02-2027"}, "februari 2027 heeft 28 dagen"),
             ({"kind": "early_bird", "percent": "10", "valid_until": "01-03-2027", "edition_id": str(other_edition)},
              "Kies een editie uit de lijst."),
             ({"kind": "kerst", "percent": "10"}, "Kies de soort korting.")]
    for data, message in cases:
        response = post_form(editor, url, data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert _discounts(app) == []


def test_discounts_are_for_editors(app, client, logged_in, setup_data):
    with setup_data():
        offering_id = make_offering().id
    url = f"/beheer/aanbod/{offering_id}/kortingen"
    assert client.get(url).status_code == 302
    moderator, _ = logged_in("moderator")
    assert moderator.get(url).status_code == 403
    editor, _ = logged_in("editor")
    assert editor.get(f"/beheer/aanbod/{offering_id + 1}/kortingen").status_code == 404
