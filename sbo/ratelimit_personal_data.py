"""Personal data of the rate limiter: its counters are keyed by IP address."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete

from .extensions import db
from .personal_data import Provider, register, retention
from .ratelimit import RateLimitCounter


@register
class RateLimitData(Provider):
    name = "ratelimit"
    tables = ("rate_limit_counter",)
    kinds = ("rate_limit",)

    def purge(self, now: datetime) -> dict[str, int]:
        """Delete counters that expired longer than the period ago (they count nothing more)."""
        cutoff = (now - retention("rate_limit")).replace(tzinfo=timezone.utc).timestamp()
        result = db.session.execute(delete(RateLimitCounter).where(RateLimitCounter.expires_at < cutoff),
                                    execution_options={"synchronize_session": False})
        return {"rate_limit": result.rowcount or 0}

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        """The counters hold IP addresses and no e-mail address: nothing to erase by address
        (they expire within the hour and the purge removes them)."""
        return {}
