"""Personal data of the mail layer: sent mail (outbox rows, and the .eml files written to
instance/mail/ when there is no MAIL_SERVER) and the one-mail-per-address marks."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from .extensions import db
from .mail import MailStatus, OutboxMessage
from .mail_throttle import MailThrottle
from .personal_data import Plan, Provider, Rows, register, retention, text


@register
class MailData(Provider):
    name = "mail"
    tables = ("outbox_message", "mail_throttle")
    kinds = ("mail_body", "mail_throttle")
    erased = {"mail_emptied": "Geleegde of geschrapte e-mails", "mail_file": "Verwijderde e-mailbestanden",
              "mail_throttle": "Verzendmarkeringen"}
    order = 1  # after the domains: it also empties the mail they queue while erasing

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

    def plan(self, email: str) -> Plan:
        if not db.session.scalar(select(func.count()).select_from(OutboxMessage).where(_about(email))):
            return Plan()
        return Plan(actions=["De e-mails die we je stuurden (en die je adres noemen) worden geleegd: "
                             "adres, onderwerp en tekst verdwijnen, alleen het tijdstip blijft. "
                             "E-mails die nog niet verstuurd waren, gaan niet meer weg."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        emptied, files = empty_mail(email)
        throttle = db.session.execute(delete(MailThrottle).where(MailThrottle.address == email),
                                      execution_options={"synchronize_session": False})
        return {"mail_emptied": emptied, "mail_file": files, "mail_throttle": throttle.rowcount or 0}


def _about(email: str):
    """Messages to `email` or whose subject or text names it (e.g. a colleague's mail)."""
    return or_(func.lower(OutboxMessage.to_addr) == email, func.lower(OutboxMessage.subject).contains(email),
               func.lower(OutboxMessage.body_text).contains(email),
               func.lower(OutboxMessage.body_html).contains(email))


def empty_mail(email: str) -> tuple[int, int]:
    """Empty the messages to or about `email` that went out or failed (address, subject, text,
    attachments and headers; the row stays, with its times), and delete those still waiting (they
    were never sent, and have nobody to go to now). Their .eml files in instance/mail/ go too, as
    does any other .eml file that names the address. Returns (messages, files)."""
    ids = list(db.session.scalars(select(OutboxMessage.id).where(_about(email))))
    if ids:
        db.session.execute(
            delete(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == MailStatus.PENDING),
            execution_options={"synchronize_session": False})
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids))
            .values(to_addr="", subject="", body_text="", body_html=None, attachments=[], headers={}),
            execution_options={"synchronize_session": False})
    files = 0
    folder = Path(current_app.instance_path) / "mail"
    if folder.is_dir():
        named = {f"{message_id:08d}.eml" for message_id in ids}
        needle = email.encode()
        for path in folder.glob("*.eml"):
            if path.name in named or needle in path.read_bytes().lower():
                path.unlink(missing_ok=True)
                files += 1
    return len(ids), files


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
