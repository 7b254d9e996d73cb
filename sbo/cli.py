"""Command-line tasks: flask --app sbo <command>."""
from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import with_appcontext

from .extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo content. Idempotent: a second run changes nothing."""
    from .attendance.demo import seed as seed_attendance
    from .catalogue.demo import seed as seed_catalogue
    from .certificates.demo import seed as seed_certificates
    from .enrolment.demo import seed as seed_enrolment
    from .evaluation.demo import seed as seed_evaluation
    from .news.demo import seed as seed_news

    created = seed_catalogue()
    created += seed_news()
    created += seed_enrolment()
    created += seed_attendance()
    created += seed_certificates()  # after the attendance of the past demo edition
    created += seed_evaluation()
    db.session.commit()
    click.echo(f"Demo content loaded ({created} new records).")


@click.command("reindex-search")
@with_appcontext
def reindex_search() -> None:
    """Rebuild the full-text search index of the catalogue."""
    from .catalogue.search import reindex_all

    count = reindex_all()
    db.session.commit()
    click.echo(f"{count} offerings indexed.")


@click.command("send-mail")
@click.option("--loop", type=float, default=0, help="Keep running, polling every N seconds.")
@with_appcontext
def send_mail(loop: float) -> None:
    """Deliver the mail that is due in the outbox (SMTP, or .eml files in instance/mail/).
    First queue the moderators' digest of waiting comments, when one is due. With --loop it
    also expires unconfirmed enrolment holds and processes waiting-list offers on every round
    (see expire-holds and process-offers)."""
    from .mail import drain
    from .staff.moderation_services import send_moderation_digest

    while True:
        send_moderation_digest()
        db.session.commit()
        if loop:
            _expire_holds()
            _process_offers()
        sent, failed = drain()
        if sent or failed or not loop:
            click.echo(f"{sent} sent, {failed} failed (will be retried).")
        if not loop:
            return
        time.sleep(loop)


def _expire_holds() -> int:
    from .enrolment.consent import expire_holds as expire_batch

    total = 0
    while True:
        removed = expire_batch()
        db.session.commit()
        total += removed
        if not removed:
            return total


@click.command("expire-holds")
@with_appcontext
def expire_holds() -> None:
    """Remove bookings not confirmed within ENROLMENT_HOLD_HOURS; their seats go to the waiting list."""
    total = _expire_holds()
    click.echo(f"{total} unconfirmed bookings expired; run send-mail to deliver the mail to promoted people.")


def _process_offers() -> tuple[int, int]:
    from .enrolment.offers import process_offers as process_batch

    lapsed = reminded = 0
    while True:
        batch = process_batch()
        db.session.commit()
        lapsed, reminded = lapsed + batch[0], reminded + batch[1]
        if batch == (0, 0):
            return lapsed, reminded


@click.command("process-offers")
@with_appcontext
def process_offers() -> None:
    """Lapse waiting-list offers nobody answered in time (their seats are offered to the next
    in line) and queue the reminders that are due (OFFER_REMINDER_HOURS before an offer lapses)."""
    lapsed, reminded = _process_offers()
    click.echo(f"{lapsed} offers lapsed, {reminded} reminders due; run send-mail to deliver the mail.")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Mail confirmed participants a reminder (with the .ics) REMINDER_DAYS_BEFORE days ahead, once."""
    from .enrolment.services import send_reminders as send_batch

    total = 0
    while True:
        looked_at, sent = send_batch()
        db.session.commit()
        total += sent
        if not looked_at:
            break
    click.echo(f"{total} reminders queued; run send-mail to deliver them.")


@click.command("send-certificates")
@with_appcontext
def send_certificates() -> None:
    """Issue and mail the certificates of editions whose last day has passed (once per
    participant who met the attendance requirement). Run it daily from cron."""
    from .certificates.services import send_due

    mailed = send_due()
    db.session.commit()
    click.echo(f"{mailed} certificates queued; run send-mail to deliver them.")


@click.command("send-evaluations")
@with_appcontext
def send_evaluations() -> None:
    """Mail each participant who attended an edition whose last day has passed their personal
    evaluation link, once, and one reminder after EVALUATION_REMINDER_DAYS. Run it daily from cron."""
    from .evaluation.services import send_due

    invited, reminded = send_due()
    db.session.commit()
    click.echo(f"{invited} evaluation links and {reminded} reminders queued; run send-mail to deliver them.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup(path: str) -> None:
    """Write a consistent copy of the database to PATH while the site keeps running."""
    from pathlib import Path

    from .backup import BackupError, backup_database

    try:
        click.echo(backup_database(Path(path)))
    except BackupError as error:
        raise click.ClickException(str(error)) from error


@click.command("purge-comments")
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True,
              help="Delete spam and trash that has sat there longer than this many days.")
@with_appcontext
def purge_comments(days: int) -> None:
    """Delete old spam and trash comments; forget IP addresses of comments older than 30 days."""
    from .audit import log_action
    from .clock import utcnow
    from .news.services import forget_ips, purge_comments as purge
    from .news.spam import forget_form_uses

    deleted = purge(older_than_days=days)
    forgotten = forget_ips(older_than_days=30)
    forget_form_uses(utcnow())
    if deleted or forgotten:
        log_action("comment.purged", "comment", None,
                   data={"deleted": deleted, "days": days, "ips_forgotten": forgotten})
    db.session.commit()
    click.echo(f"{deleted} spam/trash comments older than {days} days deleted; "
               f"IP address forgotten on {forgotten} comments older than 30 days.")


@click.command("purge-personal-data")
@with_appcontext
def purge_personal_data() -> None:
    """Delete or anonymise personal data whose retention period (RETENTION_DAYS) is over.
    Run it daily from cron; /privacy shows the same periods."""
    from . import clock, personal_data

    counts = personal_data.purge(clock.utcnow())
    db.session.commit()
    for kind, count in sorted(counts.items()):
        click.echo(f"{kind}: {count}")


def register(app: Flask) -> None:
    for command in (seed_demo, send_mail, send_reminders, send_certificates, send_evaluations, reindex_search,
                    backup, purge_comments, expire_holds, process_offers, purge_personal_data):
        app.cli.add_command(command)
    from .staff.cli import create_staff_command
    app.cli.add_command(create_staff_command)
