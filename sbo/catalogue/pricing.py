"""Prices as a buyer reads them: the VAT status of an offering (excl. btw, incl. btw or
vrijgesteld van btw for CRKBO-registered education), what the price includes, the discounts staff
set (group, early-bird) and the total of a booking with its VAT line.

Money is Decimal here. The tables keep whole cents (`price_cents`): `euros()` converts at the
edge. Rounding is half up, to the cent: a percentage discount per person first (so the total is
always participants × the price per person), the VAT once, on the total.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import bindparam, or_, select

from ..audit import log_action
from ..extensions import db
from ..filters import dutch_date
from ..labels import labelled
from .models import Discount, Edition, Offering

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@labelled
class VatStatus(enum.StrEnum):
    EXCL = "excl"
    INCL = "incl"
    VRIJGESTELD = "vrijgesteld"

    @property
    def label(self) -> str:
        return self.phrase.capitalize()

    @property
    def phrase(self) -> str:
        """The words after an amount: '€ 1.295,- vrijgesteld van btw'."""
        return {"excl": "excl. btw", "incl": "incl. btw", "vrijgesteld": "vrijgesteld van btw"}[self.value]


@labelled
class DiscountKind(enum.StrEnum):
    GROUP = "group"
    EARLY_BIRD = "early_bird"

    @property
    def label(self) -> str:
        return {"group": "Groepskorting", "early_bird": "Vroegboekkorting"}[self.value]


# What a price can include, in the order it is read: key → the Dutch word after "incl."
INCLUSIONS = {"lunch": "lunch", "materials": "lesmateriaal", "certificate": "certificaat",
              "overnight": "overnachting"}


def euros(cents: int) -> Decimal:
    """129550 → Decimal('1295.50')."""
    return (Decimal(int(cents)) / HUNDRED).quantize(CENT)


def money(amount: Decimal) -> str:
    """Decimal('1295.5') → '€ 1.295,50', whole euros as '€ 1.295,-' (as sbo.filters.price writes
    them); a negative amount as '− € 10,-'."""
    amount = amount.quantize(CENT, ROUND_HALF_UP)
    whole, cents = f"{abs(amount):.2f}".split(".")
    text = f"€ {int(whole):,}".replace(",", ".") + ("," + cents if cents != "00" else ",-")
    return f"− {text}" if amount < 0 else text


def vat_rate() -> Decimal:
    """VAT_RATE_PERCENT as an exact Decimal: Decimal('21')."""
    return Decimal(str(current_app.config["VAT_RATE_PERCENT"]))


def dutch_list(words: list[str]) -> str:
    """['lunch', 'lesmateriaal', 'certificaat'] → 'lunch, lesmateriaal en certificaat'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def included_keys(offering: Offering) -> list[str]:
    chosen = set((offering.included or "").split())
    return [key for key in INCLUSIONS if key in chosen]


def included_words(offering: Offering) -> str:
    """'lunch en lesmateriaal' (the free text last); '' when nothing is listed."""
    words = [INCLUSIONS[key] for key in included_keys(offering)]
    if (offering.included_note or "").strip():
        words.append(offering.included_note.strip())
    return dutch_list(words) if words else ""


def included_text(offering: Offering) -> str:
    """'incl. lunch en lesmateriaal', or ''."""
    words = included_words(offering)
    return f"incl. {words}" if words else ""


def price_text(offering: Offering, cents: int) -> str:
    """'€ 1.295,00 vrijgesteld van btw', or 'Gratis'."""
    if cents == 0:
        return "Gratis"
    return f"{money(euros(cents))} {VatStatus(offering.vat_status or VatStatus.EXCL).phrase}"


def price_line(offering: Offering, cents: int | None = None) -> str:
    """'€ 1.295,00 vrijgesteld van btw · incl. lunch en lesmateriaal': the offering's price, or
    `cents` (an edition's own price) read the same way."""
    parts = [price_text(offering, offering.price_cents if cents is None else cents), included_text(offering)]
    return " · ".join(part for part in parts if part)


def vat_included(offering: Offering) -> bool | None:
    """For schema.org's valueAddedTaxIncluded: True or False, None when no VAT applies."""
    return {VatStatus.EXCL: False, VatStatus.INCL: True}.get(VatStatus(offering.vat_status or VatStatus.EXCL))


# ---------------------------------------------------------------- discounts and the booking total

def per_person(discount: Discount, unit: Decimal) -> Decimal:
    """What a discount takes off one person's price (never more than that price)."""
    if discount.percent is not None:
        off = (unit * Decimal(discount.percent) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    else:
        off = Decimal(discount.amount).quantize(CENT)
    return min(off, unit)


def applies(discount: Discount, participants: int, on: date) -> bool:
    if discount.kind == DiscountKind.GROUP:
        return participants >= (discount.min_participants or 0)
    return discount.valid_until is not None and on <= discount.valid_until


def discount_label(discount: Discount) -> str:
    """'Groepskorting vanaf 3 deelnemers (10 %)', 'Vroegboekkorting t/m 1 maart 2027 (€ 100,00 p.p.)'."""
    what = (f"{Decimal(discount.percent).normalize():f} %".replace(".", ",") if discount.percent is not None
            else f"{money(Decimal(discount.amount))} p.p.")
    if discount.kind == DiscountKind.GROUP:
        return f"{DiscountKind.GROUP.label} vanaf {discount.min_participants} deelnemers ({what})"
    return f"{DiscountKind.EARLY_BIRD.label} t/m {dutch_date(discount.valid_until)} ({what})"


def discounts_for(edition: Edition) -> list[Discount]:
    """The discounts that can apply to an edition: per kind the edition's own, or else the
    offering's."""
    rows = list(db.session.scalars(select(Discount).where(
        Discount.offering_id == edition.offering_id,
        or_(Discount.edition_id.is_(None), Discount.edition_id == edition.id)).order_by(Discount.id)))
    own_kinds = {row.kind for row in rows if row.edition_id is not None}
    return [row for row in rows if row.edition_id is not None or row.kind not in own_kinds]


def current_discounts(offering_id: int, today: date) -> dict[int | None, list]:
    """The offering's discounts one can still get on `today`, by edition id (None: every edition),
    the group discounts by their minimum, then the early-bird ones by date: plain rows of what
    discount_label reads."""
    rows = db.session.execute(_CURRENT_DISCOUNTS, {"offering_id": offering_id, "today": today})
    found: dict[int | None, list] = {}
    for row in rows:
        found.setdefault(row.edition_id, []).append(row)
    return found


_CURRENT_DISCOUNTS = (
    select(Discount.edition_id, Discount.kind, Discount.percent, Discount.amount, Discount.min_participants,
           Discount.valid_until)
    .where(Discount.offering_id == bindparam("offering_id"),
           or_(Discount.valid_until.is_(None), Discount.valid_until >= bindparam("today")))
    .order_by(Discount.kind.desc(), Discount.min_participants, Discount.valid_until, Discount.id))


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Quote:
    """The total of a booking for `participants` people; `lines` as the form shows them."""
    participants: int
    unit: Decimal            # the price per person, before discounts
    discounts: tuple[Line, ...]  # each applied discount, for all participants (positive amounts)
    net: Decimal             # after discounts; excl. btw when the price is
    vat_status: VatStatus
    vat_rate: Decimal
    vat: Decimal             # the VAT added (excl. btw only), else 0
    total: Decimal           # what the buyer pays

    @property
    def lines(self) -> list[Line]:
        noun = "deelnemer" if self.participants == 1 else "deelnemers"
        lines = [Line(f"{self.participants} {noun} × {money(self.unit)}", self.unit * self.participants)]
        lines += [Line(d.label, -d.amount) for d in self.discounts]
        if self.vat_status == VatStatus.EXCL:
            rate = f"{self.vat_rate.normalize():f}".replace(".", ",")
            lines += [Line("Totaal excl. btw", self.net), Line(f"Btw {rate} %", self.vat)]
        return lines

    @property
    def total_label(self) -> str:
        return {VatStatus.EXCL: "Totaal incl. btw", VatStatus.INCL: "Totaal incl. btw",
                VatStatus.VRIJGESTELD: "Totaal (vrijgesteld van btw)"}[self.vat_status]


def compute_quote(unit: Decimal, vat_status: VatStatus | str, rate: Decimal, participants: int, on: date,
                  discounts: list[Discount]) -> Quote:
    """The total for `participants` people at `unit` each, booked on `on`: per kind the best
    discount that applies (the largest per person); together never more than the price."""
    status = VatStatus(vat_status)
    best: dict[str, tuple[Decimal, Discount]] = {}
    for discount in discounts:
        if applies(discount, participants, on):
            off = per_person(discount, unit)
            if discount.kind not in best or off > best[discount.kind][0]:
                best[discount.kind] = (off, discount)
    lines, left = [], unit
    for kind in DiscountKind:  # early-bird after the group discount, each capped by what is left
        if kind in best:
            off = min(best[kind][0], left)
            left -= off
            lines.append(Line(discount_label(best[kind][1]), off * participants))
    net = left * participants
    vat = (net * rate / HUNDRED).quantize(CENT, ROUND_HALF_UP) if status == VatStatus.EXCL else Decimal("0.00")
    return Quote(participants, unit, tuple(lines), net, status, rate, vat, net + vat)


def quote(edition: Edition, participants: int, on: date, discounts: list[Discount] | None = None) -> Quote:
    """The total of a booking of `participants` people for an edition, booked on the Dutch day `on`
    (`discounts`: discounts_for(edition), when the caller has them already)."""
    return compute_quote(euros(edition.price), edition.offering.vat_status or VatStatus.EXCL, vat_rate(),
                         participants, on, discounts_for(edition) if discounts is None else discounts)


# ---------------------------------------------------------------- discounts staff set

@dataclass
class DiscountData:
    kind: DiscountKind
    percent: Decimal | None = None
    amount: Decimal | None = None  # euros per person
    min_participants: int | None = None  # group discounts
    valid_until: date | None = None  # early-bird discounts, inclusive
    edition_id: int | None = None  # None: every edition of the offering


def offering_discounts(offering: Offering) -> list[Discount]:
    return list(db.session.scalars(select(Discount).where(Discount.offering_id == offering.id)
                                   .order_by(Discount.edition_id.is_not(None), Discount.edition_id,
                                             Discount.kind.desc(), Discount.min_participants,
                                             Discount.valid_until, Discount.id)))


def create_discount(offering: Offering, data: DiscountData, *, actor=None) -> Discount:
    kind = DiscountKind(data.kind)
    discount = Discount(offering_id=offering.id, edition_id=data.edition_id, kind=kind.value,
                        percent=data.percent, amount=data.amount,
                        min_participants=data.min_participants if kind == DiscountKind.GROUP else None,
                        valid_until=data.valid_until if kind == DiscountKind.EARLY_BIRD else None)
    db.session.add(discount)
    db.session.flush()
    log_action("discount.created", "discount", discount.id, actor=actor,
               data={"offering_id": offering.id, "edition_id": data.edition_id, "kind_label": kind.label,
                     "what": discount_label(discount)})
    return discount


def delete_discount(discount: Discount, *, actor=None) -> None:
    data = {"offering_id": discount.offering_id, "edition_id": discount.edition_id,
            "kind_label": DiscountKind(discount.kind).label}
    discount_id = discount.id
    db.session.delete(discount)
    db.session.flush()
    log_action("discount.deleted", "discount", discount_id, actor=actor, data=data)
