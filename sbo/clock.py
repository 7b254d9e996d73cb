"""Time, shared by every domain: moments are stored as naive UTC and shown in Dutch time
(Europe/Amsterdam, CET in winter and CEST in summer)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Now as naive UTC, the way every timestamp column stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local(moment: datetime) -> datetime:
    """A stored moment (naive = UTC, or aware) as an aware datetime in Dutch time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_TZ)


def to_local(moment: datetime | None) -> datetime | None:
    """Naive UTC as stored → naive Dutch wall-clock time (to prefill a form)."""
    return None if moment is None else local(moment).replace(tzinfo=None)


def to_utc(day: date | None, clock: time | None, default: time = time(9, 0)) -> datetime | None:
    """A date and time as staff type them (Dutch time) → naive UTC as stored."""
    if day is None:
        return None
    moment = datetime.combine(day, clock or default, tzinfo=LOCAL_TZ)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
