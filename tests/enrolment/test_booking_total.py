"""The total of a booking, computed by the server: on the enrolment form (for the rows filled in;
one table per number of participants for the script to switch), on the page after sending, on
the confirm page and in the booker's mail. Discount boundaries with the clock moved."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete

from sbo import clock
from sbo.catalogue.models import Discount
from sbo.extensions import db
from sbo.filters import dutch_date
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url
from tests.factories import make_edition, make_offering

VISIBLE = re.compile(r'<div data-quote="(\d+)">(.*?)</div>', re.S)
TAGS = re.compile(r"<[^>]+>")
COLLEAGUES = {"participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
              "participants-0-email": "piet@gemeente.example",
              "participants-1-first_name": "Kees", "participants-1-last_name": "Smit",
              "participants-1-email": "kees@gemeente.example"}


@pytest.fixture
def move_clock(monkeypatch):
    """Move today; the day of a given moment (a booking's created_at) stays as it was."""
    real = clock.today

    def move(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda now=None: day if now is None else real(now))
    return move


@pytest.fixture
def early_until() -> date:
    """The early-bird discount's last day: the real Dutch date when the test starts, not the
    run's pinned date, because a booking's created_at is the real time (a run that crossed
    midnight made its bookings a day after the pinned date)."""
    return clock.today(clock.utcnow())


@pytest.fixture
def until_text(early_until) -> str:
    return f"Vroegboekkorting t/m {dutch_date(early_until)} (€ 50,- p.p.)"


@pytest.fixture
def url(setup_data, move_clock, early_until):
    """A € 1.000 excl. btw course with 10 % from 3 participants and € 50 off until today."""
    move_clock(early_until)
    with setup_data():
        offering = make_offering(slug="crisis", title="Crisiscommunicatie", price_cents=100000, vat_status="excl")
        edition = make_edition(offering, start_date=early_until + timedelta(days=60), capacity=10)
        db.session.add_all([
            Discount(offering_id=offering.id, kind="group", min_participants=3, percent=Decimal("10")),
            Discount(offering_id=offering.id, kind="early_bird", valid_until=early_until, amount=Decimal("50"))])
        return enrol_url(edition)


def shown_total(page: str) -> tuple[int, str]:
    """(number of participants, its table as text) of the one total the page shows."""
    [(count, table)] = VISIBLE.findall(page)
    return int(count), " ".join(TAGS.sub(" ", table).split())


def test_the_form_shows_the_total_for_the_booker_alone(client, url, until_text):
    page = client.get(url).get_data(as_text=True)
    assert shown_total(page) == (1, "Kosten voor 1 deelnemer 1 deelnemer × € 1.000,- € 1.000,- "
                                    f"{until_text} − € 50,- "
                                    "Totaal excl. btw € 950,- Btw 21 % € 199,50 Totaal incl. btw € 1.149,50")
    # the tables for more participants are there, hidden, for the script
    assert '<div data-quote="4" hidden>' in page
    assert 'Totaal incl. btw</th><td class="num">€ 4.114,-' in page  # 4 × (1000 - 100 - 50) × 1,21


def test_the_day_after_the_early_bird_ends_it_is_gone(client, url, move_clock, early_until):
    move_clock(early_until + timedelta(days=1))
    count, table = shown_total(client.get(url).get_data(as_text=True))
    assert count == 1 and "Vroegboekkorting" not in table and "Totaal incl. btw € 1.210,-" in table


def test_a_discount_removed_is_gone_from_the_next_form(client, url, setup_data, until_text):
    """The totals are computed once per content generation (totals.form_quotes): a change to
    the discounts shows on the next form."""
    assert until_text in shown_total(client.get(url).get_data(as_text=True))[1]
    with setup_data():
        db.session.execute(delete(Discount).where(Discount.kind == "early_bird"))
    count, table = shown_total(client.get(url).get_data(as_text=True))
    assert count == 1 and "Vroegboekkorting" not in table and "Totaal incl. btw € 1.210,-" in table


def test_a_form_sent_back_shows_the_total_for_the_rows_filled_in(client, post_form, url):
    response = post_form(client, url, {**VALID, **COLLEAGUES, "terms": ""})  # not agreed: 422
    assert response.status_code == 422
    count, table = shown_total(response.get_data(as_text=True))
    assert count == 3
    assert "Groepskorting vanaf 3 deelnemers (10 %) − € 300,-" in table
    assert "Totaal excl. btw € 2.550,- Btw 21 % € 535,50 Totaal incl. btw € 3.085,50" in table


def test_one_participant_short_of_the_group_gets_no_group_discount(client, post_form, url):
    two = {key: value for key, value in COLLEAGUES.items() if key.startswith("participants-0")}
    response = post_form(client, url, {**VALID, **two})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    table = " ".join(TAGS.sub(" ", page.split('<table class="quote">')[1].split("</table>")[0]).split())
    assert "Groepskorting" not in table and "2 deelnemers × € 1.000,-" in table
    assert "Totaal incl. btw € 2.299,-" in table  # (2000 - 100) × 1,21


def test_the_received_page_confirm_page_and_booker_mail_show_the_total(client, post_form, url, outbox, move_clock,
                                                                        early_until, until_text):
    response = post_form(client, url, {**VALID, **COLLEAGUES})
    assert response.status_code == 303
    received = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<caption>Kosten van deze inschrijving</caption>" in received and "€ 3.085,50" in received
    # confirmed after the early-bird ended: the booking keeps the price of the day it was made
    move_clock(early_until + timedelta(days=1))
    confirmed = confirm_by_mail(client, outbox).get_data(as_text=True)
    assert "Totaal incl. btw</th><td class=\"num\">€ 3.085,50" in confirmed
    move_clock(early_until)
    [mail] = [m for m in outbox("sanne@gemeente.example") if m.subject.startswith("Bevestiging")]
    assert ("Kosten\n3 deelnemers × € 1.000,-: € 3.000,-\n"
            "Groepskorting vanaf 3 deelnemers (10 %): − € 300,-\n"
            f"{until_text}: − € 150,-\n"
            "Totaal excl. btw: € 2.550,-\nBtw 21 %: € 535,50\nTotaal incl. btw: € 3.085,50") in mail.body_text
    for colleague in ("piet@gemeente.example", "kees@gemeente.example"):
        assert all("Totaal incl. btw" not in m.body_text for m in outbox(colleague))
