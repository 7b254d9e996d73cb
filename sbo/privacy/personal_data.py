"""Personal data of the privacy blueprint itself: the /mijn-gegevens requests (an address each)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func

from ..extensions import db
from ..personal_data import Plan, Provider, register, retention
from .models import DataRequest


@register
class DataRequestData(Provider):
    name = "privacy"
    tables = ("data_request",)
    kinds = ("data_request",)
    erased = {"data_request": "Links naar je gegevens"}

    def purge(self, now: datetime) -> dict[str, int]:
        result = db.session.execute(
            delete(DataRequest).where(DataRequest.expires_at < now - retention("data_request")),
            execution_options={"synchronize_session": False})
        return {"data_request": result.rowcount or 0}

    def plan(self, email: str) -> Plan:
        return Plan(actions=["De link naar dit overzicht werkt daarna niet meer."])

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        """Every request for the address goes, so no link to it works any more."""
        result = db.session.execute(delete(DataRequest).where(func.lower(DataRequest.email) == email),
                                    execution_options={"synchronize_session": False})
        return {"data_request": result.rowcount or 0}
