"""Password change (/beheer/wachtwoord), "Wachtwoord vergeten?" and the reset link."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter
from .access import bp, staff_required
from .forms import ForgotPasswordForm, PasswordChangeForm, PasswordResetForm
from .models import Role, StaffUser
from .passwords import WrongPassword, change_password, mail_reset_link, open_reset, use_reset
from .services import WeakPassword
from .sessions import current_session, start_session

WEAK = "Kies een wachtwoord van minstens 10 tekens."
SENT = ("Als dit e-mailadres bij een account hoort, hebben we er een mail met een link naar toe "
        "gestuurd. Met die link kies je een nieuw wachtwoord; hij werkt één keer en is kort geldig.")
RESET_LIMIT = "5 per minute;20 per hour"


@bp.route("/wachtwoord", methods=["GET", "POST"])
@staff_required(Role.MODERATOR)
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        login = current_session(current_user.get_id())
        remember = bool(login and login.remember)
        user = db.session.get(StaffUser, current_user.id)  # the account itself, to change
        try:
            change_password(user, form.current_password.data, form.new_password.data)
        except WrongPassword:
            db.session.rollback()
            form.current_password.errors.append("Dit is niet je huidige wachtwoord.")
        except WeakPassword:
            db.session.rollback()
            form.new_password.errors.append(WEAK)
        else:
            start_session(user, remember=remember)  # all other logins ended; this browser stays in
            db.session.commit()
            login_user(user, remember=remember)
            flash("Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.", "success")
            return redirect(url_for("staff.dashboard"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/password.html", form=form), status


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        mail_reset_link(form.email.data)  # known or not: the same answer
        db.session.commit()
        return redirect(url_for("staff.forgot_password", verstuurd=1), 303)
    if request.method == "GET" and request.args.get("verstuurd") == "1":
        return render_template("staff/forgot_password.html", form=None, sent=SENT)
    status = 422 if request.method == "POST" else 200
    return render_template("staff/forgot_password.html", form=form), status


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def reset_password(token: str):
    reset = open_reset(token)
    if reset is None:
        return render_template("staff/reset_password.html", form=None), 404
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            use_reset(reset, form.new_password.data)
        except WeakPassword:
            db.session.rollback()
            form.new_password.errors.append(WEAK)
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            session.pop("_flashes", None)
            flash("Je nieuwe wachtwoord is ingesteld. Log ermee in.", "success")
            return redirect(url_for("staff.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/reset_password.html", form=form), status
