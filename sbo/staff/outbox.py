"""Mail that did not go out (admin only): failed and waiting messages with their reason, and
"Opnieuw versturen" for a failed one. The outbox itself is the shared sbo.mail layer."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from .. import mail
from ..extensions import db
from ..mail import MailStatus, OutboxMessage
from .access import bp, staff_required
from .models import Role


@bp.get("/mail")
@staff_required(Role.ADMIN)
def outbox():
    return render_template("staff/outbox.html", failed=mail.undelivered(MailStatus.FAILED),
                           pending=mail.undelivered(MailStatus.PENDING), counts=mail.count_by_status())


@bp.post("/mail/<int:message_id>/opnieuw")
@staff_required(Role.ADMIN)
def outbox_resend(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    try:
        mail.resend(message, actor=current_user)
    except mail.NotFailed:
        db.session.rollback()
        flash("Dit bericht is niet mislukt: het wacht al of is al verstuurd.", "info")
        return redirect(url_for("staff.outbox"), 303)
    db.session.commit()
    flash(f"Het bericht aan {message.to_addr} staat weer klaar en gaat bij de volgende verzendronde mee.",
          "success")
    return redirect(url_for("staff.outbox"), 303)
