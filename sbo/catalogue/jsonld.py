"""schema.org data for an offering page: a Course with its CourseInstances, or Events for a
congress. Serialised so that it can sit safely inside <script type="application/ld+json">."""
from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..urls import external_url
from .models import EditionStatus, OfferingType
from .pricing import euros, vat_included
from .ratings import Rating

PROVIDER = {"@type": "Organization", "name": "Studiecentrum voor Bedrijf en Overheid",
            "alternateName": "SBO"}
LOCAL = ZoneInfo("Europe/Amsterdam")
DEFAULT_HOURS = (time(9, 30), time(16, 30))
AVAILABILITY = {EditionStatus.OPEN: "https://schema.org/InStock",
                EditionStatus.VOL: "https://schema.org/SoldOut",
                EditionStatus.GEANNULEERD: "https://schema.org/Discontinued"}


def _location(edition) -> dict:
    """`edition.address`: (name, street address, postal code, city), the venue's when it has one."""
    if edition.online:
        return {"@type": "VirtualLocation", "name": edition.place}
    name, street, postal_code, city = edition.address
    address = {"@type": "PostalAddress", "streetAddress": street,
               "postalCode": postal_code, "addressLocality": city, "addressCountry": "NL"}
    return {"@type": "Place", "name": name or city,
            "address": {key: value for key, value in address.items() if value}}


def _offer(offering, edition, url: str) -> dict:
    """An edition's Offer, its availability left open (None): it follows the seats, filled in by
    with_availability on every request."""
    return {**_price(offering, edition.price), "availability": None, "url": url,
            "validThrough": edition.closes_on.isoformat()}


def _price(offering, cents: int) -> dict:
    """An Offer's price: exact (from whole cents), and whether it includes VAT where that is known
    (left out for education exempt from VAT, where no VAT applies)."""
    price = {"@type": "Offer", "category": _category(cents), "price": str(euros(cents)), "priceCurrency": "EUR"}
    included = vat_included(offering)
    if included is not None:
        price["valueAddedTaxIncluded"] = included
    return price


def _provider(offering) -> dict:
    """The provider, with the offering's contact person (the row's contact_* columns) as its
    ContactPoint when it has one."""
    if offering.contact_id is None:
        return PROVIDER
    point = {"@type": "ContactPoint", "contactType": "informatie over deze opleiding",
             "name": offering.contact_name, "telephone": offering.contact_phone, "email": offering.contact_email,
             "availableLanguage": "nl"}
    return {**PROVIDER, "contactPoint": {key: value for key, value in point.items() if value}}


def _category(cents: int) -> str:
    """Google's Course info asks every offer for a category: Free, Partially Free, Subscription or Paid."""
    return "Free" if cents == 0 else "Paid"


def _dates(edition) -> tuple[str, str]:
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


def offering_data(offering, editions: list, trainers: list, rating: Rating | None = None
                  ) -> tuple[dict | list, tuple[int, ...]]:
    """The page's schema.org data from plain rows (sbo/catalogue/offering_page.py), with the
    availability of each edition's offer left open, and the edition ids in the order of their
    offers (for with_availability)."""
    url = external_url("catalogue.detail", slug=offering.slug)
    provider = _provider(offering)
    people = {"performer" if offering.type == OfferingType.CONGRES else "instructor":
              [person(trainer) for trainer in trainers]} if trainers else {}
    ids = tuple(edition.id for edition in editions)
    if offering.type == OfferingType.CONGRES:
        events = []
        for edition in editions:
            start, end = _dates(edition)
            events.append({
                "@context": "https://schema.org", "@type": "Event", "name": offering.title,
                "description": offering.teaser, "url": url, "startDate": start, "endDate": end,
                "eventStatus": None,  # with the availability: live
                "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode" if edition.online
                else "https://schema.org/OfflineEventAttendanceMode",
                "location": _location(edition), "organizer": provider, "offers": _offer(offering, edition, url),
                **people,
            })
        return events or {"@context": "https://schema.org", "@type": "Event", "name": offering.title,
                          "description": offering.teaser, "url": url, "organizer": provider}, ids
    instances = []
    for edition in editions:
        start, end = _dates(edition)
        instances.append({
            "@type": "CourseInstance", "courseMode": "online" if edition.online else "onsite",
            "startDate": start, "endDate": end, "location": _location(edition),
            "offers": _offer(offering, edition, url), **people,
        })
    return {"@context": "https://schema.org", "@type": "Course", "name": offering.title,
            "description": offering.teaser, "url": url, "provider": provider,
            "inLanguage": "nl",
            "offers": [{**_price(offering, offering.price_cents), "url": url}],
            "hasCourseInstance": instances, **_rating(rating)}, ids


def with_availability(data: dict | list, ids: tuple[int, ...], status: dict[int, tuple[str, bool]]) -> dict | list:
    """offering_data's `data` (left as it is: it is memoised) with each edition's live
    availability and (an Event's) whether it is cancelled filled in: `status` maps an edition id
    to (availability URL, cancelled); an edition missing from it is left out."""
    def offered(item: dict, edition_id: int) -> dict:
        availability, cancelled = status[edition_id]
        item = {**item, "offers": {**item["offers"], "availability": availability}}
        if "eventStatus" in item:
            item["eventStatus"] = "https://schema.org/EventCancelled" if cancelled else "https://schema.org/EventScheduled"
        return item

    if isinstance(data, list):
        return [offered(event, edition_id) for event, edition_id in zip(data, ids) if edition_id in status]
    if "hasCourseInstance" not in data:
        return data
    return {**data, "hasCourseInstance": [offered(instance, edition_id) for instance, edition_id
                                          in zip(data["hasCourseInstance"], ids) if edition_id in status]}


def dumps_for_script(data) -> Markup:
    """JSON that cannot end the <script> element or open a comment: <, >, & and the line
    separators are written as \\u escapes (still the same JSON)."""
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        encoded = encoded.replace(char, escape)
    return Markup(encoded)


def trainer_jsonld(trainer) -> Markup:
    """The profile page: a Person, with the photo and the start of the bio when there are."""
    data = {"@context": "https://schema.org", **person(trainer)}
    if trainer.bio:
        data["description"] = trainer.bio.split("\n\n")[0].strip()
    if trainer.photo_name:
        data["image"] = external_url("catalogue.trainer_photo", slug=trainer.slug)
    return dumps_for_script(data)
