"""flask create-staff."""
from __future__ import annotations

from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.extensions import db
from sbo.staff.models import StaffUser
from tests.staff.helpers import login


def _accounts(app):
    with app.app_context():
        return [(u.email, u.role, u.name) for u in db.session.scalars(select(StaffUser))]


def test_create_staff_with_password_on_stdin(app, runner, client):
    result = runner.invoke(args=["create-staff", "Anna@SBO.example", "--role", "admin", "--name", "Anna de Vries",
                                 "--password-stdin"], input="lang-genoeg-wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert "Created admin account anna@sbo.example" in result.output
    assert _accounts(app) == [("anna@sbo.example", "admin", "Anna de Vries")]
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action)) == "staff.created"
    assert login(client, "anna@sbo.example", "lang-genoeg-wachtwoord").status_code == 302


def test_create_staff_prompts_twice(app, runner):
    result = runner.invoke(args=["create-staff", "piet@sbo.example", "--role", "editor"],
                           input="lang-genoeg-wachtwoord\nlang-genoeg-wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert _accounts(app) == [("piet@sbo.example", "editor", "")]


def test_create_staff_refuses_mismatched_confirmation(app, runner):
    result = runner.invoke(args=["create-staff", "piet@sbo.example", "--role", "editor"],
                           input="lang-genoeg-wachtwoord\niets-heel-anders!\n")
    assert result.exit_code != 0
    assert _accounts(app) == []


def test_create_staff_refuses_a_weak_password(app, runner):
    result = runner.invoke(args=["create-staff", "piet@sbo.example", "--role", "editor", "--password-stdin"],
                           input="kort123\n")
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
    assert _accounts(app) == []


def test_create_staff_refuses_a_duplicate_email(app, runner):
    args = ["create-staff", "piet@sbo.example", "--role", "editor", "--password-stdin"]
    assert runner.invoke(args=args, input="lang-genoeg-wachtwoord\n").exit_code == 0
    result = runner.invoke(args=["create-staff", "PIET@sbo.example", "--role", "admin", "--password-stdin"],
                           input="nog-een-wachtwoord\n")
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert _accounts(app) == [("piet@sbo.example", "editor", "")]


def test_create_staff_refuses_a_bad_role_or_address(app, runner):
    bad_role = runner.invoke(args=["create-staff", "piet@sbo.example", "--role", "baas", "--password-stdin"],
                             input="lang-genoeg-wachtwoord\n")
    bad_email = runner.invoke(args=["create-staff", "geen-adres", "--role", "editor", "--password-stdin"],
                              input="lang-genoeg-wachtwoord\n")
    assert bad_role.exit_code == 2 and bad_email.exit_code == 1
    assert "not a valid e-mail address" in bad_email.output
    assert _accounts(app) == []
