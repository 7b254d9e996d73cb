"""Issuing, regenerating and withdrawing certificates, and mailing them (`send_due`, the cron
job). Services flush and never commit; staff actions are in the audit log with ids only."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..attendance import queries as attendance
from ..audit import log_action
from ..enrolment.models import Enrolment
from ..extensions import db
from ..mail import send_mail
from ..tokens import readable_code
from . import document, queries
from .models import Certificate


class CertificateError(Exception):
    message = "Dat kan niet met dit certificaat."


class NotQualified(CertificateError):
    message = "Deze deelnemer voldoet niet aan de aanwezigheidseis en krijgt geen certificaat."


class AlreadyWithdrawn(CertificateError):
    message = "Dit certificaat was al ingetrokken."


def _fill(certificate: Certificate, enrolment: Enrolment, now: datetime) -> None:
    if not attendance.qualifies(enrolment):
        raise NotQualified()
    certificate.content = document.content(enrolment)
    certificate.content_hash = document.content_hash(certificate.content)
    certificate.updated_at = now


def issue(enrolment: Enrolment, *, actor=None, now: datetime | None = None) -> Certificate:
    """The participant's certificate: the one they have, or a new one when they qualify
    (NotQualified otherwise)."""
    existing = queries.of_enrolment(enrolment.id)
    if existing is not None:
        return existing
    now = now or clock.utcnow()
    certificate = Certificate(enrolment_id=enrolment.id, code=readable_code(), version=1,
                              issued_at=now, withdrawn_reason="")
    _fill(certificate, enrolment, now)
    db.session.add(certificate)
    db.session.flush()
    log_action("certificate.issued", "certificate", certificate.id, actor=actor,
               data={"enrolment": enrolment.id})
    return certificate


def regenerate(certificate: Certificate, *, actor=None, now: datetime | None = None) -> Certificate:
    """Make the certificate again from today's facts (a corrected name, registration number or
    attendance): a new version under the same code. A withdrawn certificate is valid again."""
    reinstated = certificate.withdrawn
    _fill(certificate, certificate.enrolment, now or clock.utcnow())
    certificate.version += 1
    certificate.withdrawn_at = None
    certificate.withdrawn_reason = ""
    db.session.flush()
    log_action("certificate.regenerated", "certificate", certificate.id, actor=actor,
               data={"enrolment": certificate.enrolment_id, "version": certificate.version,
                     "reinstated": reinstated})
    return certificate


def withdraw(certificate: Certificate, reason: str, *, actor=None, now: datetime | None = None) -> None:
    """Withdraw a certificate: its verification page says so from now on. The reason is for
    staff (it stays out of the audit log, which holds ids only)."""
    if certificate.withdrawn:
        raise AlreadyWithdrawn()
    certificate.withdrawn_at = now or clock.utcnow()
    certificate.withdrawn_reason = reason.strip()[:300]
    db.session.flush()
    log_action("certificate.withdrawn", "certificate", certificate.id, actor=actor,
               data={"enrolment": certificate.enrolment_id})


def mail(certificate: Certificate, *, now: datetime | None = None) -> None:
    """Mail the participant their certificate (the PDF attached) and note when."""
    enrolment = certificate.enrolment
    send_mail(enrolment.email, f"Je bewijs van deelname: {certificate.content['offering']}",
              "certificates/mail/certificate", enrolment=enrolment, facts=certificate.content,
              days=document.days(certificate), url=document.verification_url(certificate),
              code=queries.display_code(certificate.code),
              attachments=[(document.filename(certificate), "application/pdf", document.render(certificate))])
    certificate.mailed_at = now or clock.utcnow()
    db.session.flush()


def send_due(today: date | None = None, now: datetime | None = None) -> int:
    """For every edition whose last day has passed (at most CERTIFICATE_SEND_WITHIN_DAYS ago):
    issue the certificates of who qualifies and mail each one once. Returns how many were mailed."""
    today = today or clock.today(now)
    window = int(current_app.config["CERTIFICATE_SEND_WITHIN_DAYS"])
    mailed = 0
    for edition_id in queries.editions_ended(today - timedelta(days=window), today):
        for enrolment_id in sorted(attendance.attended_enrolment_ids(edition_id)):
            certificate = issue(db.session.get(Enrolment, enrolment_id), now=now)
            if certificate.mailed_at is None and not certificate.withdrawn:
                mail(certificate, now=now)
                mailed += 1
    return mailed


def issue_all(edition_id: int, *, actor=None) -> int:
    """Issue (without mailing) the certificates of every participant of an edition who qualifies
    and has none yet. Returns how many were new."""
    have = set(db.session.scalars(select(Certificate.enrolment_id).join(Certificate.enrolment)
                                  .where(Enrolment.edition_id == edition_id)))
    new = [i for i in sorted(attendance.attended_enrolment_ids(edition_id)) if i not in have]
    for enrolment_id in new:
        issue(db.session.get(Enrolment, enrolment_id), actor=actor)
    return len(new)
