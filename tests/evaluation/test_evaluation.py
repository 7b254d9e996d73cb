"""Evaluations: only who attended is invited, once, with one reminder; each answers once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sbo import clock
from sbo.evaluation import services
from sbo.evaluation.models import EvaluationResponse
from sbo.extensions import db
from tests.helpers import csrf_from
from tests.evaluation.data import ANSWERS, LINK_RE, link_for, past_course


def _send(runner) -> str:
    result = runner.invoke(args=["send-evaluations"])
    assert result.exit_code == 0, result.output
    return result.output


def _responses(app) -> list[EvaluationResponse]:
    with app.app_context():
        rows = db.session.scalars(select(EvaluationResponse)).all()
        db.session.expunge_all()
        return rows


def _move_clock(monkeypatch, days: float) -> None:
    moved = clock.utcnow() + timedelta(days=days)
    monkeypatch.setattr(clock, "utcnow", lambda: moved)


def test_only_attendees_are_invited_once_and_reminded_once(app, runner, outbox, setup_data, client, post_form,
                                                          monkeypatch):
    with setup_data():
        course = past_course(ended_days_ago=-1)  # the last day is tomorrow
    first, second = (e.email for e in course.attended)
    assert "0 evaluation links and 0 reminders" in _send(runner)

    _move_clock(monkeypatch, 2)
    assert "2 evaluation links and 0 reminders" in _send(runner)
    assert sorted(m.to_addr for m in outbox()) == sorted([first, second])  # not the absent participant
    message = outbox(first)[0]
    assert message.subject == "Hoe was het: Integriteit in de praktijk"
    assert "Beste Deelnemer0" in message.body_text
    assert "0 evaluation links and 0 reminders" in _send(runner)  # the next run sends nothing again

    # the first participant answers; a week later only the second gets a reminder, once
    response = post_form(client, LINK_RE.search(message.body_text).group(1), ANSWERS)
    assert response.status_code == 303
    _move_clock(monkeypatch, 2 + app.config["EVALUATION_REMINDER_DAYS"])
    assert "0 evaluation links and 1 reminders" in _send(runner)
    [reminder] = [m for m in outbox() if m.subject.startswith("Herinnering")]
    assert reminder.to_addr == second
    assert LINK_RE.search(reminder.body_text).group(1) == LINK_RE.search(outbox(second)[0].body_text).group(1)
    assert "0 evaluation links and 0 reminders" in _send(runner)
    assert len(outbox()) == 3


def test_a_participant_answers_once(app, setup_data, client, post_form):
    with setup_data():
        course = past_course()
        link = link_for(course.attended[0])
    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hoe was Integriteit in de praktijk?" in html
    assert "<legend>Welk cijfer geef je de opleiding als geheel?" in html
    response = post_form(client, link, ANSWERS)
    assert response.status_code == 303
    assert "Bedankt voor je evaluatie" in client.get(response.headers["Location"]).get_data(as_text=True)

    # the same form sent again (from a second tab, say)
    again = client.post(link, data={**ANSWERS, "overall": "2", "csrf_token": csrf_from(html)})
    assert again.status_code == 409
    assert "Je hebt deze evaluatie al ingevuld" in again.get_data(as_text=True)
    [stored] = _responses(app)
    assert (stored.overall, stored.trainers, stored.content, stored.recommend, stored.remark) == (
        8, 9, 7, True, "Goede casussen.")
    assert stored.enrolment_id == course.attended[0].id and stored.edition_id == course.edition.id


def test_an_incomplete_form_shows_the_errors_next_to_the_fields(app, setup_data, client, post_form):
    with setup_data():
        link = link_for(past_course().attended[0])
    response = post_form(client, link, {"overall": "11", "trainers": "9", "remark": "x" * 4001})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="overall-error">Not a valid choice' not in html
    assert 'id="content-error">Kies een cijfer voor de inhoud.</p>' in html
    assert 'id="recommend-error">Kies ja of nee.</p>' in html
    assert 'id="remark-error">Je opmerking is te lang (hooguit 4000 tekens).</p>' in html
    assert 'id="overall-error">' in html
    assert _responses(app) == []


def test_who_did_not_attend_cannot_be_invited_nor_answer(app, setup_data, client, post_form):
    with setup_data():
        course = past_course()
        with pytest.raises(services.NotAttended):
            services.invite(course.absent)
        link = link_for(course.absent)  # a link made before the attendance was corrected, say
    response = post_form(client, link, ANSWERS)
    assert response.status_code == 403
    assert "alleen deelnemers die er waren" in response.get_data(as_text=True)
    assert _responses(app) == []


def test_a_changed_link_is_not_found(app, setup_data, client):
    with setup_data():
        link = link_for(past_course().attended[0])
    response = client.get(link[:-2] + "xx")
    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(EvaluationResponse.id))) == 0
