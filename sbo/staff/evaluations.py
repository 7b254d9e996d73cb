"""Evaluation results per edition and per offering (editor and up): averages, the distribution
of each score, every answer with its remark and, for staff only, who gave it; and as CSV."""
from __future__ import annotations

from flask import render_template, url_for

from ..catalogue.queries import edition_or_404, offering_or_404
from ..evaluation import queries
from ..slugs import slugify
from .access import bp, staff_required
from .export import csv_response
from .models import Role

SCORES = {"overall": "Opleiding", "trainers": "Trainer(s)", "content": "Inhoud"}
CSV_HEADER = ("Ingevuld", "Editie", "Opleiding (cijfer)", "Trainer(s)", "Inhoud", "Aanraden", "Opmerking",
              "Deelnemer", "E-mailadres")


def _page(title: str, subtitle: str, results, csv_url: str, back_url: str, back_label: str):
    return render_template("staff/evaluations.html", title=title, subtitle=subtitle, results=results, scores=SCORES,
                           csv_url=csv_url, back_url=back_url, back_label=back_label)


def _csv(filename: str, results):
    rows = ((r.submitted_at, r.edition.start_date if r.edition else None, r.overall, r.trainers, r.content,
             "ja" if r.recommend else "nee", r.remark, r.enrolment.name if r.enrolment else "(verwijderd)",
             r.enrolment.email if r.enrolment else "") for r in results.responses)
    return csv_response(filename, CSV_HEADER, rows)


@bp.get("/edities/<int:edition_id>/evaluaties")
@staff_required(Role.EDITOR)
def edition_evaluations(edition_id: int):
    edition = edition_or_404(edition_id)
    return _page(f"Evaluaties {edition.offering.title}", f"editie van {edition.start_date.strftime('%d-%m-%Y')}",
                 queries.results(edition_id=edition.id), url_for("staff.edition_evaluations_csv", edition_id=edition.id),
                 url_for("staff.edition_edit", edition_id=edition.id), "Terug naar de editie")


@bp.get("/edities/<int:edition_id>/evaluaties.csv")
@staff_required(Role.EDITOR)
def edition_evaluations_csv(edition_id: int):
    edition = edition_or_404(edition_id)
    return _csv(f"evaluaties-{slugify(edition.offering.title)}-{edition.start_date.isoformat()}.csv",
                queries.results(edition_id=edition.id))


@bp.get("/aanbod/<int:offering_id>/evaluaties")
@staff_required(Role.EDITOR)
def offering_evaluations(offering_id: int):
    offering = offering_or_404(offering_id)
    return _page(f"Evaluaties {offering.title}", "alle edities", queries.results(offering_id=offering.id),
                 url_for("staff.offering_evaluations_csv", offering_id=offering.id),
                 url_for("staff.offering_edit", offering_id=offering.id), f"Terug naar {offering.title}")


@bp.get("/aanbod/<int:offering_id>/evaluaties.csv")
@staff_required(Role.EDITOR)
def offering_evaluations_csv(offering_id: int):
    offering = offering_or_404(offering_id)
    return _csv(f"evaluaties-{slugify(offering.title)}.csv", queries.results(offering_id=offering.id))
