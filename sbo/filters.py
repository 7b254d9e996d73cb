"""Jinja filters for Dutch dates, prices and counted nouns."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime, format_time
from flask import Flask

LOCALE = "nl_NL"


def dutch_date(value: date | datetime | None, fmt: str = "d MMMM y") -> str:
    """12 maart 2027; fmt="EEEE d MMMM y" gives 'vrijdag 12 maart 2027'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt, locale=LOCALE)
    return format_date(value, fmt, locale=LOCALE)


def dutch_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "d MMMM y 'om' HH:mm", locale=LOCALE)


def dutch_time(value) -> str:
    return "" if value is None else format_time(value, "HH:mm", locale=LOCALE)


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


# Dutch plurals of the nouns the site counts; a noun not listed takes its plural as an argument.
PLURALS = {
    "plaats": "plaatsen", "geïnteresseerde": "geïnteresseerden", "inschrijving": "inschrijvingen",
    "deelnemer": "deelnemers", "editie": "edities", "lesdag": "lesdagen", "dag": "dagen",
    "reactie": "reacties", "artikel": "artikelen", "resultaat": "resultaten",
    "opleiding": "opleidingen", "regel": "regels", "bericht": "berichten", "document": "documenten",
    "collega": "collega's", "persoon": "personen", "minuut": "minuten", "uur": "uur",
    "IP-adres": "IP-adressen",
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


def register(app: Flask) -> None:
    app.add_template_filter(dutch_date, "datum")
    app.add_template_filter(dutch_datetime, "datumtijd")
    app.add_template_filter(dutch_time, "tijd")
    app.add_template_filter(price, "prijs")
    app.add_template_filter(counted, "aantal")
    app.add_template_filter(noun, "naamwoord")
