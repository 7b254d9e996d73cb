"""The in-company queue under /beheer/maatwerk (editors and admins): the requests by status,
one request with its notes, its status and owner, and a CSV export. The rules are the
incompany domain's services; this module also mails the staff's notice of a new request."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..audit import history, log_action
from ..extensions import db
from ..incompany import queries, services
from ..incompany.models import IncompanyRequest, RequestStatus
from ..mail import send_mail
from ..signals import incompany_requested
from ..urls import external_url
from .access import bp, staff_required
from .export import csv_response
from .incompany_forms import RequestNoteForm, RequestUpdateForm
from .models import Role, StaffUser

PER_PAGE = 50
HANDLERS = Role.EDITOR  # who sees the queue, owns requests and gets the notice


def handler_accounts() -> list[StaffUser]:
    """Active staff who handle requests (editor or higher), by name."""
    roles = [role.value for role in Role if role.rank >= HANDLERS.rank]
    return list(db.session.scalars(
        select(StaffUser).where(StaffUser.active.is_(True), StaffUser.role.in_(roles))
        .order_by(StaffUser.name, StaffUser.email)))


def notify_staff(incompany_request: IncompanyRequest, **_kwargs) -> int:
    """A new request: mail every handler a notice with a link to it (no personal data beyond
    the organisation). Runs in the sender's transaction; returns how many were mailed."""
    accounts = handler_accounts()
    title = incompany_request.offering.title if incompany_request.offering else "maatwerk"
    for account in accounts:
        send_mail(account.email, f"Nieuwe in-company-aanvraag: {title}", "incompany/mail/staff_notice",
                  request=incompany_request,
                  detail_url=external_url("staff.incompany_detail", request_id=incompany_request.id),
                  queue_url=external_url("staff.incompany_requests"))
    return len(accounts)


incompany_requested.connect(notify_staff, weak=False)


def _status_arg() -> RequestStatus | None:
    try:
        return RequestStatus(request.args.get("status", ""))
    except ValueError:
        return None


@bp.get("/maatwerk")
@staff_required(HANDLERS)
def incompany_requests():
    status = _status_arg()
    page = queries.requests(status, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template("staff/incompany.html", page=page, status=status,
                           statuses=list(RequestStatus), counts=queries.status_counts(),
                           page_url=lambda n: url_for("staff.incompany_requests", page=n,
                                                      status=status.value if status else None))


def _owners(incompany_request: IncompanyRequest) -> list[tuple[int, str]]:
    """The accounts a request can be given to; its current owner stays a choice even when no
    longer a handler (deactivated, another role)."""
    owners = [(account.id, account.name or account.email) for account in handler_accounts()]
    owner = incompany_request.owner
    if owner is not None and owner.id not in {id_ for id_, _ in owners}:
        owners.append((owner.id, owner.name or owner.email))
    return owners


def _detail(incompany_request: IncompanyRequest, update_form=None, note_form=None, status: int = 200):
    update_form = update_form or RequestUpdateForm(
        owners=_owners(incompany_request), formdata=None,
        data={"status": incompany_request.status,
              "owner": str(incompany_request.owner_id) if incompany_request.owner_id else ""})
    return render_template("staff/incompany_detail.html", incompany_request=incompany_request,
                           update_form=update_form, note_form=note_form or RequestNoteForm(formdata=None),
                           notes=queries.notes_of(incompany_request),
                           history=history(("incompany_request", [incompany_request.id])),
                           ), status


@bp.get("/maatwerk/<int:request_id>")
@staff_required(HANDLERS)
def incompany_detail(request_id: int):
    return _detail(queries.request_or_404(request_id))


@bp.post("/maatwerk/<int:request_id>")
@staff_required(HANDLERS)
def incompany_update(request_id: int):
    incompany_request = queries.request_or_404(request_id)
    form = RequestUpdateForm(owners=_owners(incompany_request))
    if not form.validate_on_submit():
        return _detail(incompany_request, update_form=form, status=422)
    changed = services.change_status(incompany_request, RequestStatus(form.status.data), actor=current_user)
    changed = services.assign_owner(incompany_request, form.owner_id, actor=current_user) or changed
    db.session.commit()
    flash("De aanvraag is bijgewerkt." if changed else "Er was niets gewijzigd.", "success" if changed else "info")
    return redirect(url_for("staff.incompany_detail", request_id=incompany_request.id), 303)


@bp.post("/maatwerk/<int:request_id>/notitie")
@staff_required(HANDLERS)
def incompany_note(request_id: int):
    incompany_request = queries.request_or_404(request_id)
    form = RequestNoteForm()
    if not form.validate_on_submit():
        return _detail(incompany_request, note_form=form, status=422)
    services.add_note(incompany_request, form.body.data.strip(), actor=current_user)
    db.session.commit()
    flash("De notitie is toegevoegd.", "success")
    return redirect(url_for("staff.incompany_detail", request_id=incompany_request.id) + "#notities", 303)


CSV_HEADER = ("Nummer", "Status", "Ontvangen op", "Laatst gewijzigd", "Opleiding", "Organisatie",
              "Contactpersoon", "E-mailadres", "Telefoon", "Aantal deelnemers", "Gewenste periode",
              "Gewenste plaats", "Vraag", "Behandelaar")


@bp.get("/maatwerk.csv")
@staff_required(HANDLERS)
def incompany_csv():
    status = _status_arg()
    rows = [(r.id, RequestStatus(r.status).label, r.created_at, r.updated_at,
             r.offering.title if r.offering else "Maatwerk", r.organisation, r.contact_name, r.email,
             r.phone, r.participants, r.preferred_period, r.preferred_place, r.question,
             (r.owner.name or r.owner.email) if r.owner else "")
            for r in queries.export(status)]
    log_action("incompany.exported", "incompany_request", None, actor=current_user,
               data={"rows": len(rows), "status": status.value if status else None})
    db.session.commit()
    suffix = f"-{status.value}" if status else ""
    return csv_response(f"maatwerk-aanvragen{suffix}.csv", CSV_HEADER, rows)
