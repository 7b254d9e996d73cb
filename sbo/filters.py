"""Jinja filters for Dutch dates, times, prices and counted nouns. A datetime is a stored moment (naive UTC)
and is always shown in Dutch time (Europe/Amsterdam); a date or a time of day (session times,
typed as Dutch wall-clock time) is shown as it is."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_datetime
from flask import Flask, current_app
from flask.globals import _cv_request
from flask.templating import Environment as FlaskEnvironment
from werkzeug.routing import BuildError

from .clock import LOCAL_TZ, local
from .labels import label

# parsed once: babel parses a locale given as a string on every call (3x the cost of a date)
LOCALE = Locale.parse("nl_NL")


def dutch_date(value: date | datetime | None, fmt: str = "d MMMM y") -> str:
    """12 maart 2027; fmt="EEEE d MMMM y" gives 'vrijdag 12 maart 2027'. A datetime gives
    the day in Dutch time (23:30 UTC on 3 March is 4 March in Utrecht)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
        if fmt not in _BY_HAND:
            return format_datetime(value, fmt, tzinfo=LOCAL_TZ, locale=LOCALE)
    elif fmt not in _BY_HAND:
        return format_date(value, fmt, locale=LOCALE)
    return _BY_HAND[fmt](value)


# babel's own month names: dutch_datetime below formats by hand what babel gives for
# "d MMMM y 'om' HH:mm" (babel took ~40 µs a date: most of a comment's rendering; issue 18)
MONTHS = [LOCALE.months["format"]["wide"][n] for n in range(1, 13)]


# the formats pages use most, written by hand (equal to babel's by test: tests/test_local_time.py)
_BY_HAND = {
    "d MMMM y": lambda day: f"{day.day} {MONTHS[day.month - 1]} {day.year}",
    "MMMM y": lambda day: f"{MONTHS[day.month - 1]} {day.year}",
}


def dutch_datetime(value: datetime | None) -> str:
    """A stored moment in Dutch time: '4 december 2026 om 09:04'."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} om {moment:%H:%M}"


def month_name(value: str | None) -> str:
    """A month as stored ("2027-03") in words: "maart 2027"."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return f"{MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return value or ""


def dutch_time(value) -> str:
    """A time of day as it is (09:30); a stored moment in Dutch time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value:%H:%M}"


def iso_moment(value: datetime | None) -> str:
    """For <time datetime>: '2026-12-04T09:04+01:00' (Dutch time with its offset)."""
    return "" if value is None else local(value).isoformat(timespec="minutes")


def iso_day(value: date | datetime | None) -> str:
    """For <time datetime>: the day in Dutch time, '2026-12-04'."""
    if value is None:
        return ""
    return (local(value).date() if isinstance(value, datetime) else value).isoformat()


ISO_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?")


def readable(value) -> str:
    """An exported value (personal data overviews) as a reader wants it: an ISO date or moment in
    Dutch ('4 januari 2027', '4 december 2026 om 23:08'), nothing as '–', the rest as it is."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and ISO_VALUE.fullmatch(value):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return dutch_datetime(value)
    if isinstance(value, date):
        return dutch_date(value)
    return str(value)


def price(cents: int | None, vat_note: bool = True) -> str:
    """129500 -> '€ 1.295,- excl. btw'; 129550 -> '€ 1.295,50 excl. btw'; 0 -> 'Gratis'."""
    if cents is None:
        return ""
    if cents == 0:
        return "Gratis"
    euros, rest = divmod(int(cents), 100)
    whole = f"{euros:,}".replace(",", ".")
    text = f"€ {whole},-" if rest == 0 else f"€ {whole},{rest:02d}"
    return f"{text} excl. btw" if vat_note else text


def decimal_nl(value) -> str:
    """Decimal('18.00') -> '18'; Decimal('2.50') -> '2,5' (points and hours, as Dutch write them)."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


# Dutch plurals of the nouns the site counts; a noun not listed takes its plural as an argument.
PLURALS = {
    "plaats": "plaatsen", "geïnteresseerde": "geïnteresseerden", "inschrijving": "inschrijvingen",
    "deelnemer": "deelnemers", "editie": "edities", "lesdag": "lesdagen", "dag": "dagen",
    "reactie": "reacties", "artikel": "artikelen", "resultaat": "resultaten",
    "opleiding": "opleidingen", "regel": "regels", "bericht": "berichten", "document": "documenten",
    "collega": "collega's", "persoon": "personen", "minuut": "minuten", "uur": "uur",
    "IP-adres": "IP-adressen", "wachtende": "wachtenden",
}


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """The form of the noun that agrees with `count`: noun(1, "plaats") → "plaats",
    noun(0, "plaats") and noun(2, "plaats") → "plaatsen"."""
    if count == 1:
        return singular
    if plural is None:
        plural = PLURALS[singular]
    return plural


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """The number and its noun: counted(1, "geïnteresseerde") → "1 geïnteresseerde",
    counted(2, "geïnteresseerde") → "2 geïnteresseerden". In templates: {{ n|aantal("plaats") }},
    or {{ n|naamwoord("plaats") }} for the noun alone (when the number has its own markup)."""
    return f"{count} {noun(count, singular, plural)}"


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with each template's globals a plain dict (the environment's
    globals under the template's own) instead of Jinja's ChainMap: every render and every
    macro import copies a template's globals into a new context, and copying a ChainMap of the
    site's 18 globals cost ~10 µs each time (twice per context; issue 18). All globals are
    registered while the app is built, before a template is loaded (Flask refuses setup after the
    first request; Jinja asks not to change globals after a template is loaded)."""

    def make_globals(self, d):
        return {**self.globals, **d} if d else dict(self.globals)


URL_CACHE_SIZE = 2000
URL_CACHE = "sbo_url_cache"


def url_for(endpoint: str, **values) -> str:
    """Flask's url_for for templates (and the staff navigation), cheaper in a request (issue 18):
    a URL that depends on nothing but the endpoint (and the proxy prefix) is built once,
    url_for('static', filename='css/site.css') or url_for('staff.offerings'), and any other is
    built by the request's URL adapter directly, without Flask's wrapper around it (~5 µs and
    ~2 µs a URL saved; a staff list builds dozens). Anything Flask's wrapper does more (_external,
    _anchor, an endpoint relative to a blueprint, url_defaults, outside a request, a build
    error) goes to Flask as it is."""
    req_ctx = _cv_request.get(None)
    if req_ctx is None or endpoint[:1] == ".":
        return current_app.url_for(endpoint, **values)
    app = req_ctx.app
    adapter = req_ctx.url_adapter
    if adapter is None or app.url_default_functions or any(name[:1] == "_" for name in values):
        return app.url_for(endpoint, **values)
    if not values or (endpoint == "static" and len(values) == 1 and "filename" in values):
        cache = app.extensions[URL_CACHE]
        key = (adapter.script_name, endpoint, values.get("filename"))
        url = cache.get(key)
        if url is None:
            url = app.url_for(endpoint, **values)
            if len(cache) < URL_CACHE_SIZE:
                cache[key] = url
        return url
    try:
        return adapter.build(endpoint, values)
    except BuildError:
        return app.url_for(endpoint, **values)


def register(app: Flask) -> None:
    app.extensions[URL_CACHE] = {}
    app.jinja_env.globals["url_for"] = url_for
    app.add_template_filter(dutch_date, "datum")
    app.add_template_filter(dutch_datetime, "datumtijd")
    app.add_template_filter(dutch_time, "tijd")
    app.add_template_filter(month_name, "maandnaam")
    app.add_template_filter(iso_moment, "isotijd")
    app.add_template_filter(iso_day, "isodatum")
    app.add_template_filter(price, "prijs")
    app.add_template_filter(decimal_nl, "getal")
    app.add_template_filter(readable, "leesbaar")
    app.add_template_filter(counted, "aantal")
    app.add_template_filter(noun, "naamwoord")
    app.add_template_filter(label, "label")
