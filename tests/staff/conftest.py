"""Staff test helpers: accounts per role and a logged-in client."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sbo.audit import AuditEntry
from sbo.extensions import db
from tests.conftest import csrf_from
from tests.factories import STAFF_PASSWORD, make_staff


def login(client, email: str, password: str = STAFF_PASSWORD, next_: str = "", **kwargs):
    page = client.get("/beheer/login", **kwargs).get_data(as_text=True)
    return client.post("/beheer/login", data={"csrf_token": csrf_from(page), "email": email,
                                              "password": password, "next": next_}, **kwargs)


@pytest.fixture
def staff_user(app):
    """staff_user("editor") → (id, email) of a new committed account."""
    def make(role: str = "editor", **overrides):
        with app.app_context():
            user = make_staff(role, **overrides)
            db.session.commit()
            return user.id, user.email
    return make


@pytest.fixture
def logged_in(app, staff_user):
    """logged_in("admin") → (client, user_id): a fresh client logged in with that role."""
    def make(role: str = "editor"):
        client = app.test_client()
        user_id, email = staff_user(role)
        response = login(client, email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client, user_id
    return make


def audit_actions(app, obj_type: str | None = None, obj_id: int | None = None) -> list[str]:
    with app.app_context():
        query = select(AuditEntry.action).order_by(AuditEntry.id)
        if obj_type:
            query = query.where(AuditEntry.object_type == obj_type)
        if obj_id:
            query = query.where(AuditEntry.object_id == obj_id)
        return list(db.session.scalars(query))
