"""Personal data of the mail layer: sent mail (outbox rows, and the .eml files written to
instance/mail/ when there is no MAIL_SERVER) and the one-mail-per-address marks."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select

from .extensions import db
from .mail import MailStatus, OutboxMessage
from .mail_throttle import MailThrottle
from .personal_data import Provider, Rows, register, retention, text


@register
class MailData(Provider):
    name = "mail"
    tables = ("outbox_message", "mail_throttle")
    kinds = ("mail_body", "mail_throttle")

    def purge(self, now: datetime) -> dict[str, int]:
        return {"mail_body": purge_sent_mail(now - retention("mail_body")),
                "mail_throttle": purge_throttle(now)}

    def export(self, email: str) -> Rows:
        """The mails sent (or to be sent) to the address; their text holds personal links."""
        messages = db.session.scalars(select(OutboxMessage).where(func.lower(OutboxMessage.to_addr) == email)
                                      .order_by(OutboxMessage.id))
        return {"E-mails aan jou": [
            {"onderwerp": m.subject, "status": text(MailStatus(m.status)), "aangemaakt": text(m.created_at),
             "verzonden": text(m.sent_at)} for m in messages]}


def purge_sent_mail(cutoff: datetime) -> int:
    """Delete mail sent (or given up on) before `cutoff`, and .eml files written before it.
    Mail still waiting to be sent stays. Returns messages plus files removed."""
    result = db.session.execute(
        delete(OutboxMessage).where(or_(
            and_(OutboxMessage.status == MailStatus.SENT, OutboxMessage.sent_at < cutoff),
            and_(OutboxMessage.status == MailStatus.FAILED, OutboxMessage.created_at < cutoff))),
        execution_options={"synchronize_session": False})
    removed = result.rowcount or 0
    folder = Path(current_app.instance_path) / "mail"
    if folder.is_dir():
        moment = cutoff.replace(tzinfo=timezone.utc).timestamp()
        for path in folder.glob("*.eml"):
            if path.stat().st_mtime < moment:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def purge_throttle(now: datetime) -> int:
    """Forget when an address was last mailed, once the throttle no longer needs it."""
    keep = max(retention("mail_throttle"), timedelta(seconds=int(current_app.config["MAIL_THROTTLE_SECONDS"])))
    result = db.session.execute(delete(MailThrottle).where(MailThrottle.last_sent_at < now - keep),
                                execution_options={"synchronize_session": False})
    return result.rowcount or 0
