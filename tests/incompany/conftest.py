"""In-company tests: the staff fixtures (accounts per role, a logged-in client) and a request."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from sbo.incompany.models import IncompanyRequest
from tests.staff.conftest import logged_in, staff_user  # noqa: F401  (fixtures)


def make_request(offering=None, **overrides) -> IncompanyRequest:
    values = dict(organisation="Gemeente Utrecht", contact_name="Sanne de Vries",
                  email="sanne@gemeente.example", phone="030 123 45 67", participants=14,
                  preferred_period="voorjaar 2027", preferred_place="Utrecht",
                  question="Kunnen jullie dit voor ons team verzorgen?", offering=offering)
    values.update(overrides)
    request = IncompanyRequest(**values)
    db.session.add(request)
    db.session.flush()
    return request


@pytest.fixture
def a_request(app):
    """The id of a committed request (no offering)."""
    with app.app_context():
        request = make_request()
        db.session.commit()
        return request.id
