"""Staff test fixtures: accounts per role and a logged-in client."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from tests.factories import make_staff
from tests.staff.helpers import login


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
