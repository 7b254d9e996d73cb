"""Time, shared by every domain: moments are stored as naive UTC and shown in Dutch time
(Europe/Amsterdam, CET in winter and CEST in summer). `utcnow()` gives now as stored; `today()`
the Dutch calendar date, which decides what is "upcoming" (not the server's own date)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Now as stored: naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today(now: datetime | None = None) -> date:
    """The date in the Netherlands now (or at `now`, naive UTC or aware)."""
    return local(now or utcnow()).date()


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


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> dict[date, str]:
    """The Dutch public holidays of a year (Goede Vrijdag and Bevrijdingsdag included: most
    organisations we train for are closed or half-staffed then)."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to the Saturday before
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter - timedelta(days=2): "Goede Vrijdag",
        easter: "Eerste Paasdag",
        easter + timedelta(days=1): "Tweede Paasdag",
        kings_day: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=49): "Eerste Pinksterdag",
        easter + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)
