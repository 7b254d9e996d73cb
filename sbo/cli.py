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
    from .catalogue.demo import seed as seed_catalogue

    created = seed_catalogue()
    db.session.commit()
    click.echo(f"Demo content loaded ({created} new records).")


@click.command("send-mail")
@click.option("--loop", type=float, default=0, help="Keep running, polling every N seconds.")
@with_appcontext
def send_mail(loop: float) -> None:
    """Deliver the mail that is due in the outbox (SMTP, or .eml files in instance/mail/)."""
    from .mail import deliver_pending

    while True:
        sent, failed = deliver_pending()
        if sent or failed or not loop:
            click.echo(f"{sent} sent, {failed} failed (will be retried).")
        if not loop:
            return
        time.sleep(loop)


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


def register(app: Flask) -> None:
    for command in (seed_demo, send_mail, backup):
        app.cli.add_command(command)
