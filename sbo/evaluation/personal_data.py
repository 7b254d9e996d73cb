"""Personal data of evaluations: the invitation (whom we asked) and the answers' link to the
participant with their open remark. RETENTION_DAYS["evaluation"] after the invitation, and on
erasure of the address, the invitation is deleted and the answers lose their link to the person
and their remark; the scores stay in the averages, anonymous. Runs before the enrolment provider
(`order`), which anonymises the addresses this one looks up."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from ..catalogue.models import Offering
from ..enrolment.queries import enrolment_ids_of
from ..extensions import db
from ..personal_data import Plan, Provider, Rows, register, retention, text
from .models import EvaluationInvitation, EvaluationResponse


def _forget(invitations, responses) -> tuple[int, int]:
    """Delete the invitations and cut the answers from the person (and drop their remark)."""
    options = {"synchronize_session": False}
    cut = db.session.execute(update(EvaluationResponse).where(responses).values(enrolment_id=None, remark=""),
                             execution_options=options).rowcount or 0
    deleted = db.session.execute(delete(EvaluationInvitation).where(invitations), execution_options=options).rowcount
    return deleted or 0, cut


@register
class EvaluationData(Provider):
    name = "evaluation"
    tables = ("evaluation_invitation", "evaluation_response")
    kinds = ("evaluation",)
    erased = {"evaluation_anonymised": "Evaluaties losgekoppeld van je naam (cijfers blijven anoniem bewaard)"}
    order = -1

    def purge(self, now: datetime) -> dict[str, int]:
        before = now - retention("evaluation")
        deleted, cut = _forget(EvaluationInvitation.sent_at < before,
                               EvaluationResponse.enrolment_id.isnot(None) & (EvaluationResponse.submitted_at < before))
        return {"evaluation": deleted + cut}

    def export(self, email: str) -> Rows:
        rows = db.session.execute(
            select(Offering.title, EvaluationResponse).join(Offering, Offering.id == EvaluationResponse.offering_id)
            .where(EvaluationResponse.enrolment_id.in_(enrolment_ids_of(email))).order_by(EvaluationResponse.id))
        return {"Evaluaties": [
            {"opleiding": title, "cijfer opleiding": str(r.overall), "cijfer trainers": str(r.trainers),
             "cijfer inhoud": str(r.content), "aanraden": "ja" if r.recommend else "nee",
             "opmerking": r.remark, "ingevuld": text(r.submitted_at)} for title, r in rows]}

    def plan(self, email: str) -> Plan:
        count = db.session.scalar(select(func.count()).select_from(EvaluationResponse)
                                  .where(EvaluationResponse.enrolment_id.in_(enrolment_ids_of(email))))
        if not count:
            return Plan()
        return Plan(actions=["Je evaluaties worden losgekoppeld van je naam en je opmerkingen worden verwijderd."],
                    kept=["De cijfers die je gaf blijven anoniem meetellen in de gemiddelden van de opleiding."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        _deleted, cut = _forget(EvaluationInvitation.enrolment_id.in_(enrolment_ids_of(email)),
                                EvaluationResponse.enrolment_id.in_(enrolment_ids_of(email)))
        db.session.flush()
        return {"evaluation_anonymised": cut}
