"""Demo evaluations: the participants who attended the past Bibob course (sbo/attendance/demo.py)
answered their evaluation, enough for the offering page to show an average. Idempotent: nothing
is added when that edition has answers already."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import exists, select

from .. import clock
from ..attendance import queries as attendance
from ..attendance.demo import SLUG
from ..catalogue.models import Edition, Offering, SessionDate
from ..extensions import db
from ..tokens import opaque_token
from .models import EvaluationInvitation, EvaluationResponse

# overall, trainers, content, would recommend, remark: in the order of the participants who attended
ANSWERS = [
    (9, 9, 8, True, "Heel praktisch: de casus over de vergunning voor de snackbar had zo uit onze eigen gemeente kunnen komen."),
    (8, 9, 8, True, ""),
    (8, 8, 7, True, "Het deel over de adviesaanvraag bij het Landelijk Bureau Bibob mocht wat langer."),
    (7, 8, 7, True, "Goede trainers, maar de tweede dag begon wat laat op gang."),
    (9, 10, 9, True, "Eindelijk snap ik hoe ik een eigen onderzoek opzet. Dank!"),
    (8, 8, 8, True, ""),
    (6, 7, 6, False, "Voor mij veel herhaling; ik werk al jaren met de wet. Misschien een verdiepingsdag aanbieden?"),
]


def _last_day(edition_id: int) -> date:
    return max(db.session.scalars(select(SessionDate.day).where(SessionDate.edition_id == edition_id)))


def seed(today: date | None = None) -> int:
    today = today or clock.today()
    edition = db.session.scalar(select(Edition).join(Offering).where(Offering.slug == SLUG, Edition.start_date < today)
                                .order_by(Edition.start_date.desc()))
    if edition is None or db.session.scalar(select(exists().where(EvaluationResponse.edition_id == edition.id))):
        return 0
    sent = clock.to_utc(_last_day(edition.id) + timedelta(days=1), time(9, 0))
    created = 0
    for n, (enrolment_id, answer) in enumerate(zip(sorted(attendance.attended_enrolment_ids(edition.id)), ANSWERS)):
        answered = sent + timedelta(hours=3 + 7 * n)
        overall, trainers, content, recommend, remark = answer
        db.session.add_all([
            EvaluationInvitation(enrolment_id=enrolment_id, key=opaque_token(), sent_at=sent, answered_at=answered),
            EvaluationResponse(edition_id=edition.id, offering_id=edition.offering_id, enrolment_id=enrolment_id,
                               overall=overall, trainers=trainers, content=content, recommend=recommend,
                               remark=remark, submitted_at=answered)])
        created += 2
    db.session.flush()
    return created
