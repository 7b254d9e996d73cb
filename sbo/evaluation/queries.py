"""Reads about evaluations: the public rating of an offering (registered with the catalogue's
hook), the results per edition or offering for staff, and what `send-evaluations` needs."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from flask import current_app
from itsdangerous import BadSignature
from sqlalchemy import func, select

from ..catalogue.models import Edition, SessionDate
from ..catalogue.ratings import Rating, provide
from ..enrolment.models import Enrolment
from ..extensions import db
from ..tokens import signer
from .models import EvaluationInvitation, EvaluationResponse

SALT = "sbo.evaluation"
SCORES = ("overall", "trainers", "content")


def link_token(invitation: EvaluationInvitation) -> str:
    return signer(SALT).dumps(invitation.key)


def by_token(token: str) -> EvaluationInvitation | None:
    try:
        key = signer(SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(key, str):
        return None
    return db.session.scalar(select(EvaluationInvitation).where(EvaluationInvitation.key == key))


def invited_ids(enrolment_ids: set[int]) -> set[int]:
    return set(db.session.scalars(select(EvaluationInvitation.enrolment_id)
                                  .where(EvaluationInvitation.enrolment_id.in_(enrolment_ids))))


def reminders_due(sent_before: datetime) -> list[EvaluationInvitation]:
    return list(db.session.scalars(select(EvaluationInvitation).where(
        EvaluationInvitation.answered_at.is_(None), EvaluationInvitation.reminded_at.is_(None),
        EvaluationInvitation.sent_at <= sent_before).order_by(EvaluationInvitation.id)))


def editions_ended(since: date, before: date) -> list[int]:
    """The ids of editions whose last day is on or after `since` and before `before`."""
    last = func.max(SessionDate.day)
    return list(db.session.scalars(select(SessionDate.edition_id).group_by(SessionDate.edition_id)
                                   .having(last >= since, last < before).order_by(SessionDate.edition_id)))


def _average(total: int, count: int) -> Decimal:
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@provide
def public_rating(offering_id: int) -> Rating | None:
    """The average overall score of an offering, from EVALUATION_MIN_COUNT answers on (only
    participants who attended can answer: see services.submit)."""
    count, total = db.session.execute(
        select(func.count(EvaluationResponse.id), func.sum(EvaluationResponse.overall))
        .where(EvaluationResponse.offering_id == offering_id)).one()
    if not count or count < int(current_app.config["EVALUATION_MIN_COUNT"]):
        return None
    return Rating(_average(total, count), count)


class Results(NamedTuple):
    responses: list[EvaluationResponse]
    averages: dict[str, Decimal | None]  # per score
    distribution: dict[str, list[int]]   # per score: how many gave 1, 2, … 10
    recommend: int                       # how many would recommend it
    invited: int


def results(*, edition_id: int | None = None, offering_id: int | None = None) -> Results:
    """The answers of one edition or of all editions of one offering, newest first."""
    query = select(EvaluationResponse).order_by(EvaluationResponse.submitted_at.desc(), EvaluationResponse.id.desc())
    invited = select(func.count(EvaluationInvitation.id)).join(
        Enrolment, Enrolment.id == EvaluationInvitation.enrolment_id)
    if edition_id is not None:
        query = query.where(EvaluationResponse.edition_id == edition_id)
        invited = invited.where(Enrolment.edition_id == edition_id)
    else:
        query = query.where(EvaluationResponse.offering_id == offering_id)
        invited = invited.where(Enrolment.edition_id.in_(select(Edition.id).where(Edition.offering_id == offering_id)))
    responses = list(db.session.scalars(query))
    averages, distribution = {}, {}
    for score in SCORES:
        values = [getattr(r, score) for r in responses]
        averages[score] = _average(sum(values), len(values)) if values else None
        counts = Counter(values)
        distribution[score] = [counts.get(n, 0) for n in range(1, 11)]
    return Results(responses, averages, distribution, sum(r.recommend for r in responses),
                   db.session.scalar(invited) or 0)
