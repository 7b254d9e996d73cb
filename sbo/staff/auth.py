"""Staff login and logout, with throttling of failed attempts (stored in login_attempt).
Each login is a StaffSession row (sessions.py) that logout ends. Password change and reset
live in password_views.py."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from .access import bp, safe_next, staff_required
from .forms import LoginForm
from .models import Role
from .services import LoginThrottled, authenticate
from .sessions import end_session, start_session
from .throttle import KNOWN_DEVICE_COOKIE, remember_device

FAILED = "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is niet actief."


def throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    wait = "een minuut" if minutes == 1 else f"{minutes} minuten"
    return (f"Er is te vaak zonder succes geprobeerd in te loggen. Wacht {wait} en probeer het dan "
            "opnieuw. Op een apparaat waarop je eerder bent ingelogd, kun je met je wachtwoord "
            "gewoon inloggen. Wachtwoord vergeten? Vraag een nieuw wachtwoord aan.")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(form.next.data or url_for("staff.dashboard"))
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("staff/login.html", form=form), status
    try:
        user, device = authenticate(form.email.data, form.password.data, request.remote_addr or "",
                                    request.cookies.get(KNOWN_DEVICE_COOKIE))
    except LoginThrottled as throttled:
        db.session.rollback()
        return (render_template("staff/login.html", form=form, message=throttled_message(throttled.retry_after)),
                429, {"Retry-After": str(throttled.retry_after)})
    if user is not None:
        start_session(user, remember=bool(form.remember.data))
    db.session.commit()
    if user is None:
        return render_template("staff/login.html", form=form, message=FAILED), 422
    login_user(user, remember=form.remember.data)
    response = redirect(safe_next(form.next.data) or url_for("staff.dashboard"))
    remember_device(response, user, device)  # this browser is not held up by guessing elsewhere
    return response


@bp.post("/logout")
@staff_required(Role.MODERATOR)
def logout():
    end_session(current_user.get_id())  # the cookies of this login open nothing any more
    db.session.commit()
    logout_user()
    flash("Je bent uitgelogd.", "success")
    return redirect(url_for("staff.login"))


from . import password_views  # noqa: E402,F401  (their routes join bp)
