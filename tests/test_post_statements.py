"""The busy POSTs (an enrolment, a comment) take a fixed, small number of SQL statements,
however many enrolments or comments are already there: a rush stays cheap."""
from __future__ import annotations

import pytest

from tests.enrolment.helpers import VALID, enrol_url
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering
from tests.helpers import form_values


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


def post_statements(app, count_queries, page: str, data: dict, post_to: str | None = None) -> int:
    client = app.test_client()
    html = client.get(page).get_data(as_text=True)
    data = {**form_values(client, html), **data}
    with count_queries() as counter:
        response = client.post(post_to or page, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return counter.count


@pytest.mark.parametrize("already", [0, 150])
def test_an_enrolment_takes_eight_statements(app, setup_data, count_queries, already):
    with setup_data():
        edition = make_edition(make_offering(), capacity=500)
        for n in range(already):
            make_enrolment(edition, email=f"deelnemer{n}@voorbeeld.nl")
        url = enrol_url(edition)
    # edition + offering + session dates (one statement; the mail shows the dates), earlier
    # enrolments of these addresses, booking, enrolment, the booker's request to confirm, the
    # seat claim (held), the opaque link in the confirmation mail (personal_link: the link
    # carries no address, issue 13), the page-cache generation; the registers that accredit the
    # offering (the form's registration-number fields, issue 16) were read with the form, once
    # per content generation; the mail throttle and the confirmations come with the booker's
    # confirmation
    assert post_statements(app, count_queries, url, VALID) == 8


@pytest.mark.parametrize("already", [0, 150])
def test_a_comment_takes_six_statements(app, setup_data, count_queries, already):
    with setup_data():
        article = make_article()
        for n in range(already):
            make_comment(article, body=f"Reactie {n}", author_email=f"lezer{n}@voorbeeld.nl")
        slug = article.slug
    data = {"body": "Een nieuwe reactie.", "author_name": "Anna", "author_email": "anna@voorbeeld.nl",
            "homepage": ""}
    # article, the spam checks (one query), insert, thread id, moderators to mail, the page to go back to
    assert post_statements(app, count_queries, f"/nieuws/{slug}", data, f"/nieuws/{slug}/reageren") == 6
