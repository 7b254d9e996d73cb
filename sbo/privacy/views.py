"""The statements: /privacy, /voorwaarden and /toegankelijkheid, cached like the about page.

The figures on them come from the configuration the code enforces: the retention periods
(RETENTION_DAYS, enforced by `flask purge-personal-data`) and the cancellation terms
(ENROLMENT_CANCELLATION_TERMS, applied by sbo/enrolment/terms.py)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..pagecache import cache_page
from ..enrolment.terms import terms_lines
from ..filters import counted

bp = Blueprint("privacy", __name__)


def kept_for(days: int) -> str:
    """0 -> 'niet bewaard', 1 -> '1 dag', 30 -> '30 dagen', 365 -> '1 jaar', 2562 -> '7 jaar'."""
    if days <= 0:
        return "niet bewaard"
    if days >= 365:
        years = round(days / 365.25)
        return f"{years} jaar"
    return counted(days, "dag")


@bp.get("/privacy")
@cache_page(timeout=3600)
def statement():
    retention = {kind: kept_for(int(days)) for kind, days in current_app.config["RETENTION_DAYS"].items()}
    return render_template("privacy/privacy.html", retention=retention,
                           hold_hours=current_app.config["ENROLMENT_HOLD_HOURS"])


@bp.get("/voorwaarden")
@cache_page(timeout=3600)
def terms():
    return render_template("privacy/terms.html", cancellation_terms=terms_lines(),
                           change_cutoff_days=current_app.config["ENROLMENT_CHANGE_CUTOFF_DAYS"])


@bp.get("/toegankelijkheid")
@cache_page(timeout=3600)
def accessibility():
    return render_template("privacy/accessibility.html")


from . import my_data_views  # noqa: E402,F401  (routes of the same blueprint)
