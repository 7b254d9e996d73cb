"""Certificates per edition (editor and up): who qualifies, what was issued or withdrawn,
regenerating and withdrawing one, and the points per register as CSV for the register's upload
(PE-online style), with the list of who attended without a registration number."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..catalogue.queries import edition_or_404
from ..certificates import document, queries, services
from ..extensions import db
from ..pdf import pdf_response
from ..slugs import slugify
from .access import bp, staff_required
from .certificate_forms import WithdrawForm
from .export import csv_response
from .models import Role

POINTS_HEADER = ("Registratienummer", "Achternaam", "Voornaam", "E-mailadres", "Datum", "Punten",
                 "Opleiding", "Cursuscode")


def _page(edition):
    return url_for("staff.edition_certificates", edition_id=edition.id)


def _register_or_404(edition, register_id: int):
    for register in queries.registers_of(edition):
        if register.id == register_id:
            return register
    abort(404)


@bp.get("/edities/<int:edition_id>/certificaten")
@staff_required(Role.EDITOR)
def edition_certificates(edition_id: int):
    edition = edition_or_404(edition_id)
    rows = queries.overview(edition)
    registers = queries.registers_of(edition)
    missing = {register.id: [row.enrolment for row in queries.points_of(edition, register) if not row.number]
               for register in registers}
    return render_template("staff/certificates.html", edition=edition, rows=rows, registers=registers,
                           missing=missing, last_day=queries.last_day(edition),
                           display_code=queries.display_code)


@bp.post("/edities/<int:edition_id>/certificaten/uitgeven")
@staff_required(Role.EDITOR)
def certificates_issue(edition_id: int):
    edition = edition_or_404(edition_id)
    issued = services.issue_all(edition.id, actor=current_user)
    db.session.commit()
    flash(f"{issued} {'certificaat' if issued == 1 else 'certificaten'} uitgegeven." if issued
          else "Iedereen die aan de aanwezigheidseis voldoet, had al een certificaat.", "success")
    return redirect(_page(edition), 303)


@bp.get("/certificaten/<int:certificate_id>.pdf")
@staff_required(Role.EDITOR)
def certificate_pdf(certificate_id: int):
    certificate = queries.certificate_or_404(certificate_id)
    return pdf_response(document.render(certificate), document.filename(certificate))


@bp.post("/certificaten/<int:certificate_id>/opnieuw")
@staff_required(Role.EDITOR)
def certificate_regenerate(certificate_id: int):
    certificate = queries.certificate_or_404(certificate_id)
    edition = certificate.enrolment.edition
    try:
        services.regenerate(certificate, actor=current_user)
    except services.CertificateError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_page(edition), 303)
    db.session.commit()
    flash(f"Het certificaat van {certificate.enrolment.name} is opnieuw gemaakt (versie {certificate.version}).",
          "success")
    return redirect(_page(edition), 303)


@bp.route("/certificaten/<int:certificate_id>/intrekken", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def certificate_withdraw(certificate_id: int):
    certificate = queries.certificate_or_404(certificate_id)
    edition = certificate.enrolment.edition
    if certificate.withdrawn:
        flash(services.AlreadyWithdrawn.message, "info")
        return redirect(_page(edition), 303)
    form = WithdrawForm()
    if form.validate_on_submit():
        services.withdraw(certificate, form.reason.data, actor=current_user)
        db.session.commit()
        flash(f"Het certificaat van {certificate.enrolment.name} is ingetrokken.", "success")
        return redirect(_page(edition), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("staff/certificate_withdraw.html", form=form, certificate=certificate,
                           edition=edition, code=queries.display_code(certificate.code)), status


def _points(value: Decimal) -> str:
    """8 → "8", 2.5 → "2,5": a number Dutch Excel reads as one."""
    return f"{value.normalize():f}".replace(".", ",")


@bp.get("/edities/<int:edition_id>/punten/<int:register_id>.csv")
@staff_required(Role.EDITOR)
def points_csv(edition_id: int, register_id: int):
    edition = edition_or_404(edition_id)
    register = _register_or_404(edition, register_id)
    day = queries.last_day(edition)
    rows = [(row.number or "", row.enrolment.last_name, row.enrolment.first_name, row.enrolment.email, day,
             _points(row.points), edition.offering.title, edition.offering.slug)
            for row in queries.points_of(edition, register)]
    name = f"punten-{slugify(register.short_name, 40)}-{edition.offering.slug}-{day:%Y%m%d}.csv"
    return csv_response(name, POINTS_HEADER, rows)
