"""schema.org data for an offering page: a Course with its CourseInstances, or Events for a
congress. Serialised so that it can sit safely inside <script type="application/ld+json">."""
from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..urls import external_url
from .models import Edition, EditionStatus, Offering, OfferingType
from .pricing import euros, vat_included
from .ratings import Rating

PROVIDER = {"@type": "Organization", "name": "Studiecentrum voor Bedrijf en Overheid",
            "alternateName": "SBO"}
LOCAL = ZoneInfo("Europe/Amsterdam")
DEFAULT_HOURS = (time(9, 30), time(16, 30))
AVAILABILITY = {EditionStatus.OPEN: "https://schema.org/InStock",
                EditionStatus.VOL: "https://schema.org/SoldOut",
                EditionStatus.GEANNULEERD: "https://schema.org/Discontinued"}


def _location(edition: Edition) -> dict:
    if edition.online:
        return {"@type": "VirtualLocation", "name": edition.place}
    where = edition.address  # the venue's, when the edition has one
    address = {"@type": "PostalAddress", "streetAddress": where.street_address,
               "postalCode": where.postal_code, "addressLocality": where.city, "addressCountry": "NL"}
    return {"@type": "Place", "name": where.name or where.city,
            "address": {key: value for key, value in address.items() if value}}


def _offer(edition: Edition, url: str) -> dict:
    status = EditionStatus(edition.status)
    if status == EditionStatus.OPEN and edition.seats_left == 0:
        status = EditionStatus.VOL
    return {**_price(edition.offering, edition.price), "availability": AVAILABILITY[status], "url": url,
            "validThrough": edition.enrolment_closes_on.isoformat()}


def _price(offering: Offering, cents: int) -> dict:
    """An Offer's price: exact (from whole cents), and whether it includes VAT where that is known
    (left out for education exempt from VAT, where no VAT applies)."""
    price = {"@type": "Offer", "category": _category(cents), "price": str(euros(cents)), "priceCurrency": "EUR"}
    included = vat_included(offering)
    if included is not None:
        price["valueAddedTaxIncluded"] = included
    return price


def _provider(offering: Offering) -> dict:
    """The provider, with the offering's contact person as its ContactPoint when it has one."""
    contact = offering.contact
    if contact is None:
        return PROVIDER
    point = {"@type": "ContactPoint", "contactType": "informatie over deze opleiding", "name": contact.name,
             "telephone": contact.phone, "email": contact.email, "availableLanguage": "nl"}
    return {**PROVIDER, "contactPoint": {key: value for key, value in point.items() if value}}


def _category(cents: int) -> str:
    """Google's Course info asks every offer for a category: Free, Partially Free, Subscription or Paid."""
    return "Free" if cents == 0 else "Paid"


def _dates(edition: Edition) -> tuple[str, str]:
    """ISO 8601 start and end with the time and the Amsterdam offset:
    '2027-03-12T09:30:00+01:00' (from the first and last session day)."""
    sessions = sorted(edition.sessions, key=lambda s: s.day)
    if sessions:
        first, last = sessions[0], sessions[-1]
        start = datetime.combine(first.day, first.start_time or DEFAULT_HOURS[0], LOCAL)
        end = datetime.combine(last.day, last.end_time or DEFAULT_HOURS[1], LOCAL)
    else:
        start = datetime.combine(edition.start_date, DEFAULT_HOURS[0], LOCAL)
        end = datetime.combine(edition.start_date, DEFAULT_HOURS[1], LOCAL)
    return start.isoformat(), end.isoformat()


def person(trainer) -> dict:
    """A trainer as a schema.org Person, linked to their profile page."""
    data = {"@type": "Person", "name": trainer.name,
            "url": external_url("catalogue.trainer", slug=trainer.slug)}
    if trainer.role:
        data["jobTitle"] = trainer.role
    return data


def _rating(rating: Rating | None) -> dict:
    if rating is None:
        return {}
    return {"aggregateRating": {"@type": "AggregateRating", "ratingValue": str(rating.value),
                                "ratingCount": rating.count, "bestRating": 10, "worstRating": 1}}


def offering_data(offering: Offering, editions: list[Edition], rating: Rating | None = None) -> dict | list:
    url = external_url("catalogue.detail", slug=offering.slug)
    provider = _provider(offering)
    people = {"performer" if offering.type == OfferingType.CONGRES else "instructor":
              [person(trainer) for trainer in offering.trainers]} if offering.trainers else {}
    if offering.type == OfferingType.CONGRES:
        events = []
        for edition in editions:
            start, end = _dates(edition)
            cancelled = edition.status == EditionStatus.GEANNULEERD
            events.append({
                "@context": "https://schema.org", "@type": "Event", "name": offering.title,
                "description": offering.teaser, "url": url, "startDate": start, "endDate": end,
                "eventStatus": "https://schema.org/EventCancelled" if cancelled else "https://schema.org/EventScheduled",
                "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode" if edition.online
                else "https://schema.org/OfflineEventAttendanceMode",
                "location": _location(edition), "organizer": provider, "offers": _offer(edition, url),
                **people,
            })
        return events or {"@context": "https://schema.org", "@type": "Event", "name": offering.title,
                          "description": offering.teaser, "url": url, "organizer": provider}
    instances = []
    for edition in editions:
        start, end = _dates(edition)
        instances.append({
            "@type": "CourseInstance", "courseMode": "online" if edition.online else "onsite",
            "startDate": start, "endDate": end, "location": _location(edition),
            "offers": _offer(edition, url), **people,
        })
    return {"@context": "https://schema.org", "@type": "Course", "name": offering.title,
            "description": offering.teaser, "url": url, "provider": provider,
            "inLanguage": "nl",
            "offers": [{**_price(offering, offering.price_cents), "url": url}],
            "hasCourseInstance": instances, **_rating(rating)}


def dumps_for_script(data) -> Markup:
    """JSON that cannot end the <script> element or open a comment: <, >, & and the line
    separators are written as \\u escapes (still the same JSON)."""
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        encoded = encoded.replace(char, escape)
    return Markup(encoded)


def offering_jsonld(offering: Offering, editions: list[Edition], rating: Rating | None = None) -> Markup:
    return dumps_for_script(offering_data(offering, editions, rating))


def trainer_jsonld(trainer) -> Markup:
    """The profile page: a Person, with the photo and the start of the bio when there are."""
    data = {"@context": "https://schema.org", **person(trainer)}
    if trainer.bio:
        data["description"] = trainer.bio.split("\n\n")[0].strip()
    if trainer.photo_name:
        data["image"] = external_url("catalogue.trainer_photo", slug=trainer.slug)
    return dumps_for_script(data)
