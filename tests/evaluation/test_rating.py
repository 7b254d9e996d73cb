"""The offering page's average score: only from who attended, only from EVALUATION_MIN_COUNT
answers on, in Dutch ("8,4 uit 5 evaluaties") and as aggregateRating in the JSON-LD."""
from __future__ import annotations

import json
import re

from sbo.evaluation import services
from sbo.evaluation.models import EvaluationInvitation
from sbo.extensions import db
from sbo.tokens import opaque_token
from tests.evaluation.data import ANSWERS, link_for, past_course
from tests.factories import make_offering

JSONLD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _answer(enrolment, overall: int) -> None:
    invitation = EvaluationInvitation(enrolment_id=enrolment.id, key=opaque_token())
    db.session.add(invitation)
    db.session.flush()
    services.submit(invitation, overall=overall, trainers=8, content=8, recommend=True, remark="Prima.")


def _page(client, slug: str) -> tuple[str, dict]:
    response = client.get(f"/aanbod/{slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, json.loads(JSONLD_RE.search(html).group(1))


def test_the_average_shows_from_the_minimum_number_of_answers(app, setup_data, client, post_form):
    app.config["EVALUATION_MIN_COUNT"] = 5
    with setup_data():
        course = past_course(attendees=5)
        for enrolment, score in zip(course.attended[:4], (9, 8, 8, 9)):
            _answer(enrolment, score)
        last = link_for(course.attended[4])
    html, data = _page(client, course.offering.slug)
    assert "Beoordeling" not in html and "evaluaties" not in html
    assert "aggregateRating" not in data

    # the fifth answer arrives through the form: the stored page is renewed
    assert post_form(client, last, {**ANSWERS, "overall": "8"}).status_code == 303
    html, data = _page(client, course.offering.slug)
    assert "<strong>8,4</strong> uit 5 evaluaties" in html
    assert data["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": "8.4", "ratingCount": 5,
                                       "bestRating": 10, "worstRating": 1}
    assert "Goede casussen" not in html and "Prima." not in html  # remarks are for staff only


def test_only_participants_who_attended_count(app, setup_data, client, post_form):
    app.config["EVALUATION_MIN_COUNT"] = 2
    with setup_data():
        course = past_course(attendees=2)
        _answer(course.attended[0], 6)
        _answer(course.attended[1], 7)
        absent = link_for(course.absent)
    assert post_form(client, absent, {**ANSWERS, "overall": "10"}).status_code == 403
    html, data = _page(client, course.offering.slug)
    assert "<strong>6,5</strong> uit 2 evaluaties" in html
    assert data["aggregateRating"]["ratingValue"] == "6.5" and data["aggregateRating"]["ratingCount"] == 2


def test_answers_of_another_offering_do_not_count(app, setup_data, client):
    app.config["EVALUATION_MIN_COUNT"] = 1
    with setup_data():
        course = past_course(attendees=1)
        other = past_course(attendees=1, offering=make_offering(title="Een andere cursus"))
        _answer(other.attended[0], 3)
    html, data = _page(client, course.offering.slug)
    assert "Beoordeling" not in html and "aggregateRating" not in data
