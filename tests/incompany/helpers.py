"""In-company test helpers: a request row."""
from __future__ import annotations

from sbo.extensions import db
from sbo.incompany.models import IncompanyRequest


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
