"""The outbox: mail is written in the same transaction as what causes it, and delivered later.

`send_mail()` is how the code sends mail: it renders the body from templates/<template>.txt
(and <template>.html when there is one; otherwise sbo.mime presents the text in
templates/mail/layout.html) and queues it. No mail text is built in Python.
`queue_mail()` adds a built message to the session (the caller's transaction commits it).
`deliver_pending()` sends what is due over SMTP, or writes `.eml` files to instance/mail/ when
no MAIL_SERVER is configured, and retries failures with exponential back-off. A message that
cannot be built or sent for any other reason is marked failed on its own (with the reason), so it
never holds up the messages after it; staff see and resend failed mail (`failed_or_waiting`, `resend`).
"""
from __future__ import annotations

import base64
import enum
import smtplib
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Iterable

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import JSON, DateTime, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from . import mime
from .audit import log_action
from .clock import utcnow
from .extensions import db
from .labels import labelled


@labelled
class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"pending": "Wacht op verzending", "sent": "Verzonden", "failed": "Mislukt"}[self.value]


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # [{"filename": ..., "content_type": "text/calendar", "data": base64}]
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[MailStatus] = mapped_column(String(10), default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


def queue_mail(to: str, subject: str, text: str, html: str | None = None,
               attachments: Iterable[tuple[str, str, bytes]] = (),
               headers: dict[str, str] | None = None) -> OutboxMessage:
    """Add a message to the outbox in the current transaction. attachments: (filename, type, bytes).
    The subject is one line whatever it was made of (a header cannot hold a line break)."""
    message = OutboxMessage(
        to_addr=to, subject=" ".join(subject.split()), body_text=text, body_html=html,
        attachments=[{"filename": name, "content_type": ctype,
                      "data": base64.b64encode(data).decode("ascii")}
                     for name, ctype, data in attachments],
        headers=dict(headers or {}),
        status=MailStatus.PENDING, attempts=0, next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def send_mail(to: str, subject: str, template: str, *,
              attachments: Iterable[tuple[str, str, bytes]] = (),
              headers: dict[str, str] | None = None, **context) -> OutboxMessage:
    """Queue the mail whose body is templates/<template>.txt (e.g. "news/mail/reply"), rendered
    with `context`, and <template>.html as its HTML part when that template exists (it also gets
    `subject`). Short subjects are written by the caller; every body text lives in a template."""
    text = render_template(f"{template}.txt", **context)
    try:
        html_template = current_app.jinja_env.get_template(f"{template}.html")
    except TemplateNotFound:
        html = None  # sbo.mime wraps the text in templates/mail/layout.html when it is sent
    else:
        html = render_template(html_template, subject=subject, **context)
    return queue_mail(to, subject, text, html, attachments=attachments, headers=headers)


def build_email(message: OutboxMessage) -> EmailMessage:
    """The message as MIME (sbo.mime): multipart/alternative text + HTML, CRLF, lines ≤ 76."""
    headers = {
        "From": current_app.config["MAIL_FROM"],
        "To": message.to_addr,
        "Subject": message.subject,
        "Date": format_datetime(message.created_at.replace(tzinfo=timezone.utc)),
        "Message-ID": make_msgid(idstring=f"outbox-{message.id}", domain="sbo.example"),
    }
    headers.update(message.headers or {})
    attachments = [(item["filename"], item["content_type"], base64.b64decode(item["data"]))
                   for item in message.attachments or []]
    return mime.build(headers, message.body_text, message.body_html, attachments)


def _transmit(email: EmailMessage, message_id: int) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message_id:08d}.eml").write_bytes(email.as_bytes(policy=mime.POLICY))
        return
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver_pending(limit: int = 100, now: datetime | None = None) -> tuple[int, int]:
    """Send what is due, one message per transaction, so a crash re-sends at most one message
    and several senders never take the same one. Returns (sent, failed attempts)."""
    now = now or utcnow()
    sent = failed = 0
    skip: list[int] = []
    for _ in range(limit):
        query = (select(OutboxMessage)
                 .where(OutboxMessage.status == MailStatus.PENDING,
                        OutboxMessage.next_attempt_at <= now,
                        OutboxMessage.id.not_in(skip))
                 .order_by(OutboxMessage.id).limit(1))
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        message = db.session.scalars(query).first()
        if message is None:
            break
        skip.append(message.id)
        message.attempts += 1
        try:
            _transmit(build_email(message), message.id)
        except (OSError, smtplib.SMTPException) as error:  # the server or network: try again later
            message.last_error = str(error)[:500]
            if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
                message.status = MailStatus.FAILED
            else:
                message.next_attempt_at = now + backoff(message.attempts)
            failed += 1
        except Exception as error:  # noqa: BLE001  the message itself is broken: give up on it alone
            current_app.logger.exception("outbox message %s cannot be sent", message.id)
            message.status = MailStatus.FAILED
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            failed += 1
        else:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        db.session.commit()
    return sent, failed


def drain(batch: int = 100) -> tuple[int, int]:
    """Deliver everything that is due, batch after batch. Returns (sent, failed attempts)."""
    sent = failed = 0
    while True:
        batch_sent, batch_failed = deliver_pending(limit=batch)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < batch:
            return sent, failed


def undelivered(status: MailStatus, limit: int = 100) -> list[OutboxMessage]:
    """Failed messages (newest first) or those still waiting to go (next due first)."""
    order = ((OutboxMessage.created_at.desc(), OutboxMessage.id.desc()) if status == MailStatus.FAILED
             else (OutboxMessage.next_attempt_at, OutboxMessage.id))
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == status)
                                   .order_by(*order).limit(limit)))


def count_by_status() -> dict[MailStatus, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    counts = {status: 0 for status in MailStatus}
    counts.update({MailStatus(status): number for status, number in rows})
    return counts


class NotFailed(Exception):
    """Only a failed message can be sent again (a waiting one goes anyway, a sent one went)."""


def resend(message: OutboxMessage, *, actor=None) -> None:
    """Put a failed message back in the queue, due now, with a fresh set of attempts. The reason
    it failed stays until it is sent. Writes an audit entry (`actor`: the staff account)."""
    if message.status != MailStatus.FAILED:
        raise NotFailed(message.id)
    log_action("mail.resent", "outbox_message", message.id, actor=actor, data={"attempts": message.attempts})
    message.status = MailStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
