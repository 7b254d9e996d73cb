"""Issue 12 item 4 at the input: a title with CR/LF once made every mail about the offering
unsendable. Single-line fields refuse line breaks with a message at the field; nothing stored."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sbo.catalogue.models import Offering, Theme
from sbo.extensions import db
from sbo.forms import SINGLE_LINE_MESSAGE
from tests.staff.test_offer import _offering_form


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("title", ["Crisiscommunicatie\r\nBcc: iedereen@example.org",
                                   "Crisiscommunicatie\nvoor gemeenten", "Crisis\u2028communicatie"])
def test_a_title_with_a_line_break_is_refused_in_the_staff_form(app, logged_in, post_form, title):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/aanbod/nieuw", _offering_form(title=title))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="field-error" id="title-error">{SINGLE_LINE_MESSAGE}</p>' in page
    assert '<input aria-describedby="title-error" aria-invalid="true" id="title"' in page
    assert _count(app, Offering) == 0


def test_other_single_line_staff_fields_refuse_line_breaks_too(app, logged_in, post_form):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/themas/nieuw", {"name": "Veiligheid\r\nen zorg", "slug": "",
                                                          "description": "Twee\r\nregels mag hier wel."})
    assert response.status_code == 422
    assert SINGLE_LINE_MESSAGE in response.get_data(as_text=True)
    assert _count(app, Theme) == 0


def test_multi_line_fields_keep_their_line_breaks(app, logged_in, post_form):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/aanbod/nieuw",
                         _offering_form(description="Dag 1: theorie.\r\nDag 2: oefenen."))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Offering.description)).one() == "Dag 1: theorie.\r\nDag 2: oefenen."
