"""Names and organisations typed by a visitor are single-line: a CR/LF (which mails would repeat
as if it were the site's own words, or which breaks a header) is refused at the field."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from sbo.forms import SINGLE_LINE_MESSAGE
from tests.enrolment.helpers import VALID, counts, enrol_url
from tests.factories import make_edition, make_offering


@pytest.mark.parametrize("field, value", [
    ("first_name", "Sanne\r\nLog opnieuw in via https://evil.example/login"),
    ("organisation", "Gemeente Utrecht\nheeft je ingeschreven"),
    ("participants-0-last_name", "Jansen\r\nBcc: x@example.org"),
])
def test_line_breaks_in_names_are_refused(app, setup_data, client, post_form, field, value, outbox):
    with setup_data():
        edition = make_edition(make_offering())
        url = enrol_url(edition)
    data = {**VALID, "participants-0-first_name": "Piet", "participants-0-last_name": "Jansen",
            "participants-0-email": "piet@gemeente.example", field: value}
    response = post_form(client, url, data)
    assert response.status_code == 422
    assert SINGLE_LINE_MESSAGE in response.get_data(as_text=True)
    assert counts(app) == (0, 0) and outbox() == []
