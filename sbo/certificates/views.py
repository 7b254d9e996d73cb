"""Public certificate pages: the verification of a code (/certificaat/<code>) and the download of
one's own certificate from the personal link of the enrolment."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..enrolment import links
from ..extensions import limiter
from ..pagecache import PRIVATE_NO_STORE
from ..pdf import pdf_response
from ..tokens import InvalidToken
from . import document, queries

bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_LIMIT"]


@bp.after_request
def not_indexed_nor_stored(response):
    """A certificate's page names a person (by initials): no search engine, no shared cache."""
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = PRIVATE_NO_STORE
    return response


@bp.get("/certificaat")
def lookup():
    """A code typed from paper: the form, and with ?code= on to the (rate-limited) verification."""
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for(".verify", code=code[:60]), 303)
    return render_template("certificates/lookup.html")


@bp.get("/certificaat/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    certificate = queries.by_code(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, code=code[:60]), 404
    return render_template("certificates/verify.html", certificate=certificate, facts=certificate.content,
                           days=document.days(certificate), initials=document.initials(certificate.content["name"]),
                           code=queries.display_code(certificate.code))


@bp.get("/inschrijving/<token>/certificaat.pdf")
def download(token: str):
    """The participant's own certificate, behind the personal link of their enrolment."""
    try:
        enrolment = links.open_enrolment(token)
    except InvalidToken:
        return render_template("certificates/not_available.html"), 404
    certificate = queries.of_enrolment(enrolment.id)
    if certificate is None or certificate.withdrawn:
        return render_template("certificates/not_available.html"), 404
    return pdf_response(document.render(certificate), document.filename(certificate), inline=False)


@bp.app_template_global()
def certificate_of(enrolment) -> object | None:
    """For the personal page of an enrolment (templates/certificates/_download.html): the
    participant's certificate when there is one to download."""
    certificate = queries.of_enrolment(enrolment.id)
    return certificate if certificate is not None and not certificate.withdrawn else None
