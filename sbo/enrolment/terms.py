"""Cancellation terms: what cancelling costs, by how long before the start it happens.

One place for the rule and its wording. The periods and percentages come from the config
(ENROLMENT_CANCELLATION_TERMS: (days before the start, percentage of the price) pairs, e.g.
free until 4 weeks before, half until 1 week before, then the full price). Sending a
substitute costs nothing; leaving the waiting list costs nothing either."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from .. import clock
from ..catalogue.models import Edition
from ..filters import price
from .models import Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class Term:
    """Cancelling at least `days_before` days before the start costs `percent` of the price."""
    days_before: int
    percent: int


@dataclass(frozen=True)
class Cost:
    percent: int
    cents: int

    @property
    def free(self) -> bool:
        return self.cents == 0

    def __str__(self) -> str:
        """'kosteloos', 'de helft van de prijs: € 497,50 excl. btw', 'de volledige prijs: …'."""
        if self.free:
            return "kosteloos"
        return f"{share(self.percent)}: {price(self.cents)}"


def terms() -> list[Term]:
    """The configured terms, longest period first; the last one always reaches the start."""
    pairs = current_app.config["ENROLMENT_CANCELLATION_TERMS"]
    rules = sorted((Term(int(days), int(percent)) for days, percent in pairs),
                   key=lambda term: term.days_before, reverse=True)
    if rules[-1].days_before > 0:
        rules.append(Term(0, 100))
    return rules


def percent_on(edition: Edition, on: date) -> int:
    days_left = (edition.start_date - on).days
    return next((term.percent for term in terms() if days_left >= term.days_before), 100)


def cancellation_cost(enrolment: Enrolment, on: date | None = None) -> Cost:
    """What cancelling this enrolment costs on `on` (today). A waiting-list place is free."""
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        return Cost(0, 0)
    percent = percent_on(enrolment.edition, on or clock.today())
    return Cost(percent, enrolment.edition.price * percent // 100)


def period(days: int) -> str:
    """28 -> '4 weken', 7 -> '1 week', 3 -> '3 dagen', 1 -> '1 dag'."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} {'week' if weeks == 1 else 'weken'}"
    return f"{days} {'dag' if days == 1 else 'dagen'}"


def share(percent: int) -> str:
    return {0: "kosteloos", 50: "de helft van de prijs",
            100: "de volledige prijs"}.get(percent, f"{percent}% van de prijs")


def terms_lines() -> list[str]:
    """The terms in Dutch, one line a period, then the substitute rule:
    'Tot 4 weken voor de start: kosteloos.', 'Daarna tot 1 week voor de start: de helft van
    de prijs.', 'Daarna tot de start: de volledige prijs.'"""
    lines = []
    for index, term in enumerate(terms()):
        until = f"tot {period(term.days_before)} voor de start" if term.days_before else "tot de start"
        when = until if index == 0 else f"daarna {until}"
        lines.append(f"{when[0].upper()}{when[1:]}: {share(term.percent)}.")
    lines.append("Een vervanger sturen kan altijd, zonder kosten.")
    return lines


def change_cutoff_days() -> int:
    """ENROLMENT_CHANGE_CUTOFF_DAYS: online changes (cancel, substitute, rebook) stop this many
    days before the start."""
    return int(current_app.config["ENROLMENT_CHANGE_CUTOFF_DAYS"])


def rebook_rule() -> str:
    """'Omboeken naar een andere datum van dezelfde training is kosteloos, tot 2 dagen voor de start.'"""
    return ("Omboeken naar een andere datum van dezelfde training is kosteloos, tot "
            f"{period(change_cutoff_days())} voor de start van je huidige datum. Je betaalt de prijs "
            "van de nieuwe datum.")
