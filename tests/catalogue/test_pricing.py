"""Prices as a buyer reads them: VAT status and inclusions on the pages and in JSON-LD, and the
quote of a booking in exact decimals: rounding, group and early-bird discounts, their boundaries
(N-1 vs N participants, the day after the early-bird ends, with the clock moved)."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from sbo import clock
from sbo.catalogue.models import Discount
from sbo.catalogue.pricing import compute_quote, euros, money, price_line, quote
from sbo.extensions import db
from tests.factories import make_edition, make_offering

pytestmark = pytest.mark.usefixtures("app")  # the models are mapped with every domain loaded
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
RATE = Decimal("21")
DAY = date(2027, 3, 1)


def group(min_participants: int, percent=None, amount=None, **ids) -> Discount:
    return Discount(kind="group", min_participants=min_participants, **ids,
                    percent=Decimal(percent) if percent else None, amount=Decimal(amount) if amount else None)


def early(until: date, percent=None, amount=None, **ids) -> Discount:
    return Discount(kind="early_bird", valid_until=until, **ids,
                    percent=Decimal(percent) if percent else None, amount=Decimal(amount) if amount else None)


def test_money_is_exact_and_dutch():
    assert euros(129550) == Decimal("1295.50") and euros(1) == Decimal("0.01")
    assert money(Decimal("1295.5")) == "€ 1.295,50" and money(Decimal("1295")) == "€ 1.295,-"
    assert money(Decimal("-259")) == "− € 259,-" and money(Decimal("1234567.89")) == "€ 1.234.567,89"


def test_excl_btw_adds_vat_rounded_half_up_on_the_total():
    # 3 × 333,33 = 999,99; 21 % of it is 209,9979 → 210,00
    result = compute_quote(Decimal("333.33"), "excl", RATE, 3, DAY, [])
    assert (result.net, result.vat, result.total) == (Decimal("999.99"), Decimal("210.00"), Decimal("1209.99"))
    assert [(line.label, line.amount) for line in result.lines] == [
        ("3 deelnemers × € 333,33", Decimal("999.99")), ("Totaal excl. btw", Decimal("999.99")),
        ("Btw 21 %", Decimal("210.00"))]
    assert result.total_label == "Totaal incl. btw"
    # half a cent rounds up: 0,05 × 21 % = 0,0105 → 0,01; 0,10 × 21 % = 0,021 → 0,02
    assert compute_quote(Decimal("0.05"), "excl", RATE, 1, DAY, []).vat == Decimal("0.01")
    assert compute_quote(Decimal("0.50"), "excl", RATE, 1, DAY, []).vat == Decimal("0.11")  # 0,105


@pytest.mark.parametrize("status, label", [("incl", "Totaal incl. btw"), ("vrijgesteld", "Totaal (vrijgesteld van btw)")])
def test_incl_and_exempt_prices_add_no_vat(status, label):
    result = compute_quote(Decimal("1295.00"), status, RATE, 2, DAY, [])
    assert (result.vat, result.total, result.total_label) == (Decimal("0.00"), Decimal("2590.00"), label)
    assert [line.label for line in result.lines] == ["2 deelnemers × € 1.295,-"]


def test_a_percentage_is_rounded_per_person_so_the_total_is_a_multiple():
    # 12,5 % of 99,99 = 12,49875 → 12,50 per person; 3 people: 37,50 off
    result = compute_quote(Decimal("99.99"), "vrijgesteld", RATE, 3, DAY, [group(3, percent="12.5")])
    assert result.discounts[0].amount == Decimal("37.50") and result.total == Decimal("262.47")
    assert result.discounts[0].label == "Groepskorting vanaf 3 deelnemers (12,5 %)"


def test_group_discount_starts_at_n_participants():
    discounts = [group(3, percent="10")]
    below = compute_quote(Decimal("1295.00"), "excl", RATE, 2, DAY, discounts)
    at = compute_quote(Decimal("1295.00"), "excl", RATE, 3, DAY, discounts)
    assert below.discounts == () and below.net == Decimal("2590.00")
    assert at.discounts[0].amount == Decimal("388.50") and at.net == Decimal("3496.50")
    assert at.vat == Decimal("734.27") and at.total == Decimal("4230.77")  # 734,265 → 734,27


def test_the_best_group_tier_applies():
    tiers = [group(3, percent="5"), group(5, amount="150")]
    assert compute_quote(Decimal("1000"), "incl", RATE, 4, DAY, tiers).total == Decimal("3800.00")
    assert compute_quote(Decimal("1000"), "incl", RATE, 5, DAY, tiers).total == Decimal("4250.00")


def test_early_bird_holds_through_its_last_day():
    discounts = [early(DAY, amount="100")]
    on_the_day = compute_quote(Decimal("1295.00"), "vrijgesteld", RATE, 2, DAY, discounts)
    day_after = compute_quote(Decimal("1295.00"), "vrijgesteld", RATE, 2, DAY + timedelta(days=1), discounts)
    assert on_the_day.total == Decimal("2390.00")
    assert on_the_day.discounts[0].label == "Vroegboekkorting t/m 1 maart 2027 (€ 100,- p.p.)"
    assert day_after.discounts == () and day_after.total == Decimal("2590.00")


def test_both_discounts_together_never_take_more_than_the_price():
    both = [group(2, percent="10"), early(DAY, amount="50")]
    result = compute_quote(Decimal("495.00"), "excl", RATE, 2, DAY, both)
    # 49,50 + 50,00 off per person: 395,50 each, 791,00 for two, + 21 % = 166,11
    assert [d.amount for d in result.discounts] == [Decimal("99.00"), Decimal("100.00")]
    assert (result.net, result.vat, result.total) == (Decimal("791.00"), Decimal("166.11"), Decimal("957.11"))
    capped = compute_quote(Decimal("40.00"), "excl", RATE, 2, DAY, [group(2, percent="90"), early(DAY, amount="50")])
    # 36,00 off by the group discount, then the early-bird takes only the 4,00 left
    assert [d.amount for d in capped.discounts] == [Decimal("72.00"), Decimal("8.00")]
    assert capped.total == Decimal("0.00")


def test_an_editions_own_discount_wins_over_the_offerings_of_that_kind(app_ctx):
    offering = make_offering(price_cents=100000, vat_status="vrijgesteld")
    edition, other = make_edition(offering), make_edition(offering)
    db.session.add_all([group(2, percent="10", offering_id=offering.id),
                        group(2, percent="20", offering_id=offering.id, edition_id=edition.id),
                        early(DAY, amount="30", offering_id=offering.id)])
    db.session.flush()
    assert quote(edition, 2, DAY).total == Decimal("1540.00")  # 20 % and 30 off: 770 each
    assert quote(other, 2, DAY).total == Decimal("1740.00")  # 10 % and 30 off: 870 each


def test_the_price_reads_with_its_vat_status_and_what_it_includes(app_ctx):
    offering = make_offering(price_cents=129500, vat_status="vrijgesteld", included="materials lunch",
                             included_note="een boek naar keuze")
    assert price_line(offering) == "€ 1.295,- vrijgesteld van btw · incl. lunch, lesmateriaal en een boek naar keuze"
    assert price_line(make_offering(price_cents=49550, vat_status="incl")) == "€ 495,50 incl. btw"
    assert price_line(make_offering(price_cents=0, included="certificate")) == "Gratis · incl. certificaat"


def test_offering_page_card_and_edition_rows_show_price_inclusions_and_discounts(client, setup_data):
    today = clock.today()
    with setup_data():
        offering = make_offering(slug="crkbo", title="Zorg en veiligheid", price_cents=129500,
                                 vat_status="vrijgesteld", included="lunch materials")
        edition = make_edition(offering, start_date=today + timedelta(days=60), price_cents_override=99500)
        make_edition(offering, start_date=today + timedelta(days=90))
        db.session.add_all([
            Discount(offering_id=offering.id, kind="group", min_participants=3, percent=Decimal("10")),
            Discount(offering_id=offering.id, kind="early_bird", valid_until=today - timedelta(days=1),
                     amount=Decimal("100")),  # over: not shown
            Discount(offering_id=offering.id, edition_id=edition.id, kind="early_bird",
                     valid_until=date(today.year + 1, 1, 31), amount=Decimal("75"))])
    page = client.get("/aanbod/crkbo").get_data(as_text=True)
    assert "<dt>Prijs</dt><dd>€ 1.295,- vrijgesteld van btw</dd>" in page
    assert "<dt>Inbegrepen</dt><dd>lunch en lesmateriaal</dd>" in page
    assert "<li>Groepskorting vanaf 3 deelnemers (10 %)</li>" in page and "€ 100,- p.p." not in page
    assert f"€ 995,- vrijgesteld van btw<span class=\"meta\">Vroegboekkorting t/m 31 januari {today.year + 1}" in page
    listing = client.get("/aanbod").get_data(as_text=True)
    assert "2 dagen · € 1.295,- vrijgesteld van btw" in listing


@pytest.mark.parametrize("status, included", [("excl", False), ("incl", True), ("vrijgesteld", None)])
def test_json_ld_offers_say_whether_vat_is_included(client, setup_data, status, included):
    with setup_data():
        make_edition(make_offering(slug="btw", price_cents=129550, vat_status=status))
    data = json.loads(JSONLD.search(client.get("/aanbod/btw").get_data(as_text=True)).group(1))
    for offer in (data["offers"][0], data["hasCourseInstance"][0]["offers"]):
        assert offer["price"] == "1295.50" and offer["priceCurrency"] == "EUR"
        assert offer.get("valueAddedTaxIncluded") is included
