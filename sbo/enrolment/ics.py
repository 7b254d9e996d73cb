"""iCalendar (RFC 5545) files for an edition: one event per session day, times in
Europe/Amsterdam with its VTIMEZONE, CRLF line endings, escaped text, folded lines."""
from __future__ import annotations

from datetime import datetime, timezone

from ..catalogue.models import Edition

TZID = "Europe/Amsterdam"
VTIMEZONE = [
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
    "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
    "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 sequence."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def edition_calendar(edition: Edition, url: str = "", domain: str = "sbo.example",
                     now: datetime | None = None) -> bytes:
    """The edition as a VCALENDAR with one VEVENT per session date."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    offering = edition.offering
    total = len(edition.sessions)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//SBO//Studiecentrum voor Bedrijf en Overheid//NL",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", *VTIMEZONE]
    for number, session in enumerate(edition.sessions, start=1):
        start = datetime.combine(session.day, session.start_time)
        end = datetime.combine(session.day, session.end_time)
        summary = offering.title if total == 1 else f"{offering.title} (dag {number} van {total})"
        description = offering.teaser + (f"\n\nMeer informatie: {url}" if url else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:edition-{edition.id}-session-{session.id}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(edition.location_line)}",
            f"DESCRIPTION:{escape(description)}",
            *([f"URL:{url}"] if url else []),
            "STATUS:CANCELLED" if edition.status == "geannuleerd" else "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def filename(edition: Edition) -> str:
    return f"{edition.offering.slug}-{edition.start_date:%Y%m%d}.ics"
