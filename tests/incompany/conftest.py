"""In-company test fixtures: a committed request."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from tests.incompany.helpers import make_request


@pytest.fixture
def a_request(app):
    """The id of a committed request (no offering)."""
    with app.app_context():
        request = make_request()
        db.session.commit()
        return request.id
