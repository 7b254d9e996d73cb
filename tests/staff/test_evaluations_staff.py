"""Evaluation results in /beheer: editors and up; averages, distribution, remarks (escaped) with
who gave them; the CSV per edition and per offering."""
from __future__ import annotations

import csv
import io

from sbo.evaluation import services
from sbo.evaluation.models import EvaluationInvitation
from sbo.extensions import db
from sbo.tokens import opaque_token
from tests.evaluation.data import past_course


def _answered_course(setup_data):
    with setup_data():
        course = past_course(attendees=2)
        for enrolment, (overall, remark) in zip(course.attended, ((9, "<script>alert(1)</script> Sterk"), (6, ""))):
            invitation = EvaluationInvitation(enrolment_id=enrolment.id, key=opaque_token())
            db.session.add(invitation)
            db.session.flush()
            services.submit(invitation, overall=overall, trainers=8, content=7, recommend=overall > 7, remark=remark)
    return course


def _urls(course) -> list[str]:
    return [f"/beheer/edities/{course.edition.id}/evaluaties", f"/beheer/edities/{course.edition.id}/evaluaties.csv",
            f"/beheer/aanbod/{course.offering.id}/evaluaties", f"/beheer/aanbod/{course.offering.id}/evaluaties.csv"]


def test_only_editors_and_up_see_the_results(app, client, logged_in, setup_data):
    course = _answered_course(setup_data)
    for url in _urls(course):
        assert client.get(url).status_code == 302, url  # to the login page
    moderator, _ = logged_in("moderator")
    for url in _urls(course):
        assert moderator.get(url).status_code == 403, url
    editor, _ = logged_in("editor")
    for url in _urls(course):
        assert editor.get(url).status_code == 200, url


def test_the_results_show_averages_distribution_and_remarks_with_who(app, logged_in, setup_data):
    course = _answered_course(setup_data)
    editor, _ = logged_in("editor")
    for url in _urls(course)[::2]:
        html = editor.get(url).get_data(as_text=True)
        assert '<span class="staff-stat-number">2</span> van 2 uitgenodigden ingevuld' in html
        assert '<span class="staff-stat-number">7,5</span> gemiddeld opleiding' in html
        assert '<span class="staff-stat-number">1</span> raadt het aan' in html
        assert '<td class="num" data-label="Cijfer 9">1</td>' in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Sterk" in html and "<script>alert(1)" not in html
        assert "Deelnemer0 Aanwezig" in html and course.attended[0].email in html


def test_the_csv_lists_every_answer(app, logged_in, setup_data):
    course = _answered_course(setup_data)
    editor, _ = logged_in("editor")
    response = editor.get(f"/beheer/aanbod/{course.offering.id}/evaluaties.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="evaluaties-integriteit-in-de-praktijk.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:6] == ["Ingevuld", "Editie", "Opleiding (cijfer)", "Trainer(s)", "Inhoud", "Aanraden"]
    by_name = {row[7]: row for row in rows[1:]}
    assert by_name["Deelnemer0 Aanwezig"][2:7] == ["9", "8", "7", "ja", "<script>alert(1)</script> Sterk"]
    assert by_name["Deelnemer1 Aanwezig"][2:6] == ["6", "8", "7", "nee"]
    assert len(rows) == 3
