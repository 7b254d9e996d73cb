"""flask --app sbo create-staff EMAIL --role ROLE [--name NAME] [--password-stdin]"""
from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from ..email_address import normalise_email
from ..extensions import db
from .models import Role
from .services import MIN_PASSWORD_LENGTH, EmailTaken, WeakPassword, create_staff


@click.command("create-staff")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="moderator, editor or admin")
@click.option("--name", default="", help="The name shown in the staff area.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@with_appcontext
def create_staff_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account (the password is asked twice unless --password-stdin)."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise click.ClickException(f"'{email}' is not a valid e-mail address.")
    if len(name) > 120:
        raise click.ClickException("The name may have at most 120 characters.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_staff(email, password, role, name)
    except WeakPassword:
        raise click.ClickException(f"Password refused: use at least {MIN_PASSWORD_LENGTH} characters.")
    except EmailTaken:
        raise click.ClickException(f"A staff account for {normalise_email(email)} exists already.")
    db.session.commit()
    click.echo(f"Created {Role(role).value} account {user.email} (id {user.id}).")
