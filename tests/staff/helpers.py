"""Staff test helpers: log a client in, read the audit log."""
from __future__ import annotations

from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.extensions import db
from tests.factories import STAFF_PASSWORD
from tests.helpers import csrf_from


def login(client, email: str, password: str = STAFF_PASSWORD, next_: str = "", **kwargs):
    page = client.get("/beheer/login", **kwargs).get_data(as_text=True)
    return client.post("/beheer/login", data={"csrf_token": csrf_from(page), "email": email,
                                              "password": password, "next": next_}, **kwargs)


def audit_actions(app, obj_type: str | None = None, obj_id: int | None = None) -> list[str]:
    with app.app_context():
        query = select(AuditEntry.action).order_by(AuditEntry.id)
        if obj_type:
            query = query.where(AuditEntry.object_type == obj_type)
        if obj_id:
            query = query.where(AuditEntry.object_id == obj_id)
        return list(db.session.scalars(query))
