"""Staff accounts (admin only): list, create, change role, (de)activate, log out everywhere,
make a reset link — never for your own account."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .access import bp, staff_required
from .forms import AccountForm, RoleForm
from .models import Role, StaffUser
from .passwords import create_reset, reset_url
from .services import (EmailTaken, OwnAccount, WeakPassword, change_role, create_staff, log_out_everywhere,
                       set_active)

OWN = "Je eigen account kun je hier niet wijzigen; vraag een andere beheerder."


@bp.get("/accounts")
@staff_required(Role.ADMIN)
def accounts():
    return _accounts_page()


def _accounts_page(error: str | None = None, status: int = 200, reset: tuple | None = None):
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.email)).all()
    return render_template("staff/accounts.html", users=users, roles=list(Role), error=error,
                           reset=reset), status


@bp.route("/accounts/nieuw", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def account_new():
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = create_staff(form.email.data, form.password.data, form.role.data, form.name.data or "",
                                actor=current_user)
            db.session.commit()
        except (EmailTaken, IntegrityError):
            db.session.rollback()
            form.email.errors.append("Er is al een account met dit e-mailadres.")
        except WeakPassword:
            form.password.errors.append("Kies een langer wachtwoord.")
        else:
            flash(f"Het account voor {user.email} is aangemaakt.", "success")
            return redirect(url_for("staff.accounts"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/account_form.html", form=form), status


@bp.post("/accounts/<int:user_id>/rol")
@staff_required(Role.ADMIN)
def account_role(user_id: int):
    user = db.get_or_404(StaffUser, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _accounts_page("Kies een geldige rol.", 422)
    try:
        change_role(user, form.role.data, current_user)
    except OwnAccount:
        db.session.rollback()
        return _accounts_page(OWN, 422)
    db.session.commit()
    flash(f"{user.display_name} is nu {Role(user.role).label.lower()}.", "success")
    return redirect(url_for("staff.accounts"))


@bp.post("/accounts/<int:user_id>/actief")
@staff_required(Role.ADMIN)
def account_active(user_id: int):
    user = db.get_or_404(StaffUser, user_id)
    active = request.form.get("actief") == "1"
    try:
        set_active(user, active, current_user)
    except OwnAccount:
        db.session.rollback()
        return _accounts_page(OWN, 422)
    db.session.commit()
    flash(f"{user.display_name} is weer actief." if active else f"{user.display_name} is gedeactiveerd.",
          "success")
    return redirect(url_for("staff.accounts"))


@bp.post("/accounts/<int:user_id>/uitloggen")
@staff_required(Role.ADMIN)
def account_logout_everywhere(user_id: int):
    """Every login of the account ends: a stolen session or remember cookie opens nothing."""
    user = db.get_or_404(StaffUser, user_id)
    try:
        log_out_everywhere(user, current_user)
    except OwnAccount:
        db.session.rollback()
        return _accounts_page(OWN, 422)
    db.session.commit()
    flash(f"{user.display_name} is op alle apparaten uitgelogd.", "success")
    return redirect(url_for("staff.accounts"))


@bp.post("/accounts/<int:user_id>/herstellink")
@staff_required(Role.ADMIN)
def account_reset_link(user_id: int):
    """A single-use link to choose a new password, shown once to the admin to pass on."""
    user = db.get_or_404(StaffUser, user_id)
    if user.id == current_user.id:
        return _accounts_page(OWN, 422)
    if not user.active:
        return _accounts_page("Activeer het account eerst weer.", 422)
    token = create_reset(user, actor=current_user)
    db.session.commit()
    return _accounts_page(reset=(user, reset_url(token)))
