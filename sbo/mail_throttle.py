"""At most one mail of a kind per address per period, for mail that goes to an address a
visitor typed in (an interest confirmation, an enrolment confirmation, a substitute's mail …).

Without it, a form that mails the address it is given can be used to bomb anyone's inbox:
forty POSTs, forty mails. The record of the last send is a database row, so the limit holds
across workers and hosts; claiming it is one INSERT … ON CONFLICT DO UPDATE … WHERE (the
period has passed), so two requests at the same moment cannot both send. The caller's
transaction commits the claim together with the mail it queues (or rolls both back).

    if may_mail("interest-confirm", registration.email):
        mails.interest_confirm(registration)

The visitor sees the same page either way; only the mail is left out."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from flask import current_app
from sqlalchemy import DateTime, String, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from .clock import utcnow
from .email_address import normalise_email
from .extensions import db

CLAIMS = "mail_throttle_claims"  # session.info: what this transaction claimed already


class MailThrottle(db.Model):
    """When a mail of `kind` last went to `address` (lower case)."""
    __tablename__ = "mail_throttle"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    last_sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def period() -> timedelta:
    """MAIL_THROTTLE_SECONDS (0 turns the throttle off)."""
    return timedelta(seconds=int(current_app.config["MAIL_THROTTLE_SECONDS"]))


def may_mail(kind: str, address: str, now: datetime | None = None) -> bool:
    """True, and the send recorded, when no mail of this kind went to this address within the
    period; False otherwise (send nothing). Asking again in the same transaction gives the same
    answer (a service that writes its mails twice, e.g. after moving a booking to the waiting
    list, still sends them)."""
    return _clean(address) in may_mail_each(kind, [address], now)


def may_mail_each(kind: str, addresses: Iterable[str], now: datetime | None = None) -> set[str]:
    """may_mail() for several addresses in one statement; returns those that may be mailed
    (lower case)."""
    wanted = {_clean(address) for address in addresses if address}
    window = period()
    if not window or not wanted:
        return wanted
    claims = db.session.info.setdefault(CLAIMS, set())
    allowed = {address for address in wanted if (kind, address) in claims}
    todo = sorted(wanted - allowed)
    if not todo:
        return allowed
    now = now or utcnow()
    # One upsert: a new row, or an old row whose period has passed, is (re)claimed and returned;
    # a row claimed within the period is left alone and not returned. Concurrent claims of the
    # same row wait for each other (unique key), so only one of them gets it.
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(MailThrottle).values([{"kind": kind, "address": address, "last_sent_at": now}
                                             for address in todo])
    statement = statement.on_conflict_do_update(
        index_elements=[MailThrottle.kind, MailThrottle.address],
        set_={"last_sent_at": statement.excluded.last_sent_at},
        where=MailThrottle.last_sent_at <= now - window,
    ).returning(MailThrottle.address)
    claimed = set(db.session.execute(statement).scalars())
    claims.update((kind, address) for address in claimed)
    return allowed | claimed


def _clean(address: str) -> str:
    return normalise_email(address)[:320]


@event.listens_for(Session, "after_transaction_end")
def _forget_claims(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CLAIMS, None)

