"""Error pages in Dutch. Never a stack trace; a 500 rolls the session back."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db

MESSAGES = {
    400: ("Ongeldig verzoek", "Je verzoek kon niet worden verwerkt. Controleer de gegevens en probeer het opnieuw."),
    403: ("Geen toegang", "Je hebt geen toegang tot deze pagina."),
    404: ("Pagina niet gevonden", "De pagina die je zoekt bestaat niet (meer). Misschien helpt zoeken in ons aanbod."),
    405: ("Niet toegestaan", "Deze actie is op deze pagina niet toegestaan."),
    413: ("Bestand te groot", "Het verstuurde bestand of formulier is te groot."),
    422: ("Controleer je invoer", "Niet alle gegevens zijn goed ingevuld. Controleer ze en probeer het opnieuw."),
    429: ("Te veel verzoeken", "Je hebt te veel verzoeken in korte tijd gedaan. Wacht even en probeer het opnieuw."),
    500: ("Er ging iets mis", "Door een fout aan onze kant kon deze pagina niet worden getoond. Probeer het later opnieuw."),
    503: ("Tijdelijk niet beschikbaar", "De website is tijdelijk niet beschikbaar. Probeer het over enkele minuten opnieuw."),
}

# Used when even the error template cannot be rendered (e.g. the database is gone mid-render).
PLAIN = ("<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} | SBO</title>"
         "<link rel=\"stylesheet\" href=\"/static/css/site.css\"></head><body><main id=\"inhoud\">"
         "<h1>{title}</h1><p>{message}</p><p><a href=\"/\">Naar de homepage</a></p></main></body></html>")


def render_error(code: int, message: str | None = None, headers: dict | None = None):
    status = code if code in MESSAGES else (500 if code >= 500 else 400)
    title, default = MESSAGES[status]
    try:
        body = render_template("errors/error.html", code=code, title=title, message=message or default)
    except Exception:  # the page must come out even when the layout cannot be rendered
        db.session.rollback()
        body = PLAIN.format(title=title, message=message or default)
    return body, code, headers or {}


def csrf_error_page():
    """The page for a form sent without a valid CSRF token."""
    db.session.rollback()
    return render_error(400, "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens.")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return csrf_error_page()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            db.session.rollback()
        headers = dict(error.get_headers()) if error.code in (405, 429) else {}
        headers.pop("Content-Type", None)
        # a description we wrote ourselves (abort(400, description="…")) is Dutch: show it
        custom = error.description if error.description != type(error).description else None
        return render_error(error.code, custom, headers=headers)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception):
        db.session.rollback()
        app.logger.error("database unavailable: %s", error)
        return render_error(503, headers={"Retry-After": "30"})

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)  # e.g. a huge page number bound as an SQLite integer
    def database_refused_value(error: Exception):
        # a value the database cannot hold (a number out of range, a malformed literal): the
        # input was bad, not the site. Views should validate first; this is the safety net.
        db.session.rollback()
        app.logger.warning("database refused a value: %s", error)
        return render_error(400)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500)
