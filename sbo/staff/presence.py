"""Attendance at the door (editor and up): the presence list of an edition per day, and the
page a participant's QR code opens, which marks them present today with one tap."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import clock
from ..attendance import queries, services
from ..catalogue.queries import edition_or_404
from ..enrolment.models import EnrolmentStatus
from ..enrolment.passes import enrolment_for_pass
from ..enrolment.queries import enrolment_or_404
from ..extensions import db
from .access import bp, staff_required
from .models import Role

ACTIONS = {"aanwezig": services.mark_arrived, "weg": services.mark_left_early, "terug": services.unmark}
DONE = {"aanwezig": "{name} is aanwezig gemeld.", "weg": "{name} is eerder vertrokken.",
        "terug": "{name} staat weer als niet aanwezig."}


def _session_of(edition, session_id: int | None):
    if session_id is None:
        return queries.default_session(edition.sessions, clock.today())
    session = next((s for s in edition.sessions if s.id == session_id), None)
    if session is None:
        abort(404)
    return session


@bp.get("/edities/<int:edition_id>/presentie")
@staff_required(Role.EDITOR)
def presence(edition_id: int):
    edition = edition_or_404(edition_id)
    session = _session_of(edition, request.args.get("dag", type=int))
    rows = queries.presence_list(session) if session else []
    return render_template("staff/presence.html", edition=edition, session=session, rows=rows,
                           present=sum(1 for row in rows if row.attendance), today=clock.today())


@bp.post("/edities/<int:edition_id>/presentie/<int:session_id>")
@staff_required(Role.EDITOR)
def presence_mark(edition_id: int, session_id: int):
    edition = edition_or_404(edition_id)
    session = _session_of(edition, session_id)
    action = request.form.get("actie", "")
    enrolment = enrolment_or_404(request.form.get("deelnemer", 0, type=int))
    if action not in ACTIONS or enrolment.edition_id != edition.id:
        abort(400)
    try:
        ACTIONS[action](enrolment, session, actor=current_user)
    except services.NotOnThisEdition:
        db.session.rollback()
        flash(f"{enrolment.name} is geen bevestigde deelnemer van deze editie.", "error")
        return redirect(url_for("staff.presence", edition_id=edition.id, dag=session.id), 303)
    db.session.commit()
    flash(DONE[action].format(name=enrolment.name), "success")
    return redirect(url_for("staff.presence", edition_id=edition.id, dag=session.id)
                    + f"#deelnemer-{enrolment.id}", 303)


@bp.route("/scan/<code>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def attendance_scan(code: str):
    enrolment = enrolment_for_pass(code[:80])
    if enrolment is None:
        return render_template("staff/scan.html", enrolment=None), 404
    today = clock.today()
    session = queries.session_on(enrolment.edition_id, today)
    confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    if request.method == "POST":
        if session is None or not confirmed:
            status = 409
        else:
            services.mark_arrived(enrolment, session, actor=current_user)
            db.session.commit()
            flash(f"{enrolment.name} is aanwezig gemeld.", "success")
            return redirect(url_for("staff.attendance_scan", code=code), 303)
    else:
        status = 200
    attendance = queries.attendance_on(enrolment, session) if session else None
    return render_template("staff/scan.html", enrolment=enrolment, edition=enrolment.edition, session=session,
                           attendance=attendance, confirmed=confirmed, today=today), status
