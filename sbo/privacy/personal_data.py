"""Personal data of the privacy blueprint itself: the /mijn-gegevens requests (an address each)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from ..extensions import db
from ..personal_data import Provider, register, retention
from .models import DataRequest


@register
class DataRequestData(Provider):
    name = "privacy"
    tables = ("data_request",)
    kinds = ("data_request",)

    def purge(self, now: datetime) -> dict[str, int]:
        result = db.session.execute(
            delete(DataRequest).where(DataRequest.expires_at < now - retention("data_request")),
            execution_options={"synchronize_session": False})
        return {"data_request": result.rowcount or 0}
