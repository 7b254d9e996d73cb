"""What a certificate says, and the PDF of it.

`content(enrolment)` takes the facts from the catalogue, the enrolment and the attendance at the
moment of issuing (plain JSON: dates ISO, amounts as decimal strings); `render(certificate)` makes
the PDF from those stored facts, with the verification code and a QR code of the verification URL."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import segno
from markupsafe import Markup

from ..attendance import queries as attendance
from ..enrolment.models import Enrolment
from ..pdf import render_pdf
from ..urls import external_url
from .models import Certificate
from .queries import display_code


def content(enrolment: Enrolment) -> dict:
    edition = enrolment.edition
    offering = edition.offering
    return {
        "name": enrolment.name,
        "offering": offering.title,
        "offering_code": offering.slug,
        "days": [session.day.isoformat() for session in edition.sessions],
        "place": edition.place,
        "hours": str(attendance.net_hours(enrolment)),
        "registers": [{"name": earned.register.name, "short_name": earned.register.short_name,
                       "points": str(earned.points), "number": earned.registration_number or "",
                       "provider": earned.register.provider_details}
                      for earned in attendance.points(enrolment)],
    }


def content_hash(facts: dict) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def days(certificate: Certificate) -> list[date]:
    return [date.fromisoformat(day) for day in certificate.content["days"]]


def initials(name: str) -> str:
    """'Anna de Vries' → 'A.d.V.': what the public verification shows of the holder."""
    return "".join(f"{part[0]}." for part in name.split() if part)


def verification_url(certificate: Certificate) -> str:
    return external_url("certificates.verify", code=display_code(certificate.code))


def filename(certificate: Certificate) -> str:
    return f"bewijs-van-deelname-{certificate.content['offering_code']}-{certificate.code[:8].lower()}.pdf"


def render(certificate: Certificate) -> bytes:
    facts = certificate.content
    url = verification_url(certificate)
    return render_pdf(
        "certificates/certificate.html", certificate=certificate, facts=facts, days=days(certificate),
        hours=Decimal(facts["hours"]),
        registers=[{**r, "points": Decimal(r["points"])} for r in facts["registers"]],
        code=display_code(certificate.code), url=url,
        qr=qr_svg(url))


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG (WeasyPrint draws it without fetching anything)."""
    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff",
                                                        svgclass="qr", omitsize=True))
