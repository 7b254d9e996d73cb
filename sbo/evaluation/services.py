"""Inviting participants who attended, reminding them once, and storing their answers.
Services flush and never commit."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..attendance import queries as attendance
from ..enrolment.models import Enrolment
from ..extensions import db
from ..mail import send_mail
from ..tokens import opaque_token
from ..urls import external_url
from . import queries
from .models import EvaluationInvitation, EvaluationResponse


class EvaluationError(Exception):
    message = "Deze evaluatie kan niet worden ingevuld."
    status = 403


class AlreadyAnswered(EvaluationError):
    message = "Je hebt deze evaluatie al ingevuld. Elke deelnemer kan dat één keer doen; bedankt voor je antwoorden."
    status = 409


class NotAttended(EvaluationError):
    message = ("Volgens onze presentielijst was je niet bij deze opleiding aanwezig; alleen deelnemers die er "
               "waren kunnen haar beoordelen.")


def _mail(invitation: EvaluationInvitation, template: str, subject: str) -> None:
    enrolment = invitation.enrolment
    send_mail(enrolment.email, f"{subject}: {enrolment.edition.offering.title}", f"evaluation/mail/{template}",
              enrolment=enrolment, offering=enrolment.edition.offering,
              url=external_url("evaluation.form", token=queries.link_token(invitation)))


def invite(enrolment: Enrolment, *, now: datetime | None = None) -> EvaluationInvitation:
    """Create and mail a participant's personal evaluation link (NotAttended for who did not attend)."""
    if not attendance.qualifies(enrolment):
        raise NotAttended()
    invitation = EvaluationInvitation(enrolment_id=enrolment.id, key=opaque_token(), sent_at=now or clock.utcnow())
    db.session.add(invitation)
    db.session.flush()
    _mail(invitation, "invitation", "Hoe was het")
    return invitation


def send_due(today: date | None = None, now: datetime | None = None) -> tuple[int, int]:
    """Invite, once, every participant who attended an edition whose last day has passed (at
    most EVALUATION_SEND_WITHIN_DAYS ago); remind, once, who has not answered
    EVALUATION_REMINDER_DAYS after the invitation. Returns (invited, reminded)."""
    now = now or clock.utcnow()
    today = today or clock.today(now)
    window = int(current_app.config["EVALUATION_SEND_WITHIN_DAYS"])
    invited = 0
    for edition_id in queries.editions_ended(today - timedelta(days=window), today):
        attended = attendance.attended_enrolment_ids(edition_id)
        for enrolment_id in sorted(attended - queries.invited_ids(attended)):
            invite(db.session.get(Enrolment, enrolment_id), now=now)
            invited += 1
    due = queries.reminders_due(now - timedelta(days=int(current_app.config["EVALUATION_REMINDER_DAYS"])))
    for invitation in due:
        _mail(invitation, "reminder", "Herinnering: hoe was het")
        invitation.reminded_at = now
    db.session.flush()
    return invited, len(due)


def submit(invitation: EvaluationInvitation, *, overall: int, trainers: int, content: int, recommend: bool,
           remark: str, now: datetime | None = None) -> EvaluationResponse:
    """Store a participant's answers, once (AlreadyAnswered after that, also for two answers
    sent at the same moment), and only from who attended (NotAttended)."""
    if invitation.answered_at is not None:
        raise AlreadyAnswered()
    enrolment = invitation.enrolment
    if not attendance.qualifies(enrolment):
        raise NotAttended()
    now = now or clock.utcnow()
    claimed = db.session.execute(
        update(EvaluationInvitation).where(EvaluationInvitation.id == invitation.id,
                                           EvaluationInvitation.answered_at.is_(None))
        .values(answered_at=now), execution_options={"synchronize_session": False}).rowcount
    if not claimed:
        raise AlreadyAnswered()
    response = EvaluationResponse(edition_id=enrolment.edition_id, offering_id=enrolment.edition.offering_id,
                                  enrolment_id=enrolment.id, overall=overall, trainers=trainers, content=content,
                                  recommend=recommend, remark=remark.strip()[:4000], submitted_at=now)
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyAnswered() from error
    return response
