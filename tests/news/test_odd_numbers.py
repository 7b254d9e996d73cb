"""Numbers a visitor sends (a page, a comment to answer, a row to pick, a pass code) that are
not plain ASCII digits within an INTEGER: "²" and "٣" pass str.isdigit but not int(), and
99999999999 passes int() but not PostgreSQL. Each gets the page without it or a 404/422, never
a 500 or a database error (sbo.security.id_number)."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from sbo.news.models import Comment
from sbo.security import id_number
from tests.factories import make_article, make_comment
from tests.helpers import csrf_from

ODD = ["²", "٣", "99999999999", "2147483648", "1.5", "-1", " 1", ""]


def test_id_number_takes_ascii_digits_within_an_integer():
    assert id_number("42") == 42 and id_number("2147483647") == 2_147_483_647
    assert [id_number(raw) for raw in ODD] == [None] * len(ODD)
    assert id_number(None) is None and id_number(7) is None


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999"])
def test_the_news_list_answers_an_odd_page_with_404(client, raw):
    assert client.get("/nieuws", query_string={"pagina": raw}).status_code == 404


@pytest.mark.parametrize("raw", ODD)
def test_an_article_ignores_an_odd_comment_to_answer(client, article, raw):
    response = client.get(f"/nieuws/{article}", query_string={"antwoord": raw})
    assert response.status_code == 200 and 'name="parent_id" type="hidden" value=""' in response.get_data(as_text=True)


@pytest.mark.parametrize("raw", ["²", "99999999999"])
def test_a_reply_to_an_odd_comment_is_refused_and_nothing_stored(app, client, article, post_comment, raw):
    response = post_comment(client, article, body="Een antwoord", parent_id=raw)
    assert response.status_code == 422
    assert "Je kunt niet op deze reactie antwoorden." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Comment).count() == 0


@pytest.mark.parametrize("raw", ["²", "99999999999"])
def test_the_comment_queue_reads_an_odd_page_as_the_first_or_past_the_last(logged_in, setup_data, raw):
    with setup_data():
        make_comment(make_article(), "pending", body="Wacht op een moderator")
    client, _ = logged_in("moderator")
    response = client.get("/beheer/reacties", query_string={"page": raw})
    assert response.status_code == 200
    assert ("Wacht op een moderator" in response.get_data(as_text=True)) == (raw == "²")
    page = client.get("/beheer/reacties").get_data(as_text=True)
    bulk = client.post("/beheer/reacties/bulk", data={"csrf_token": csrf_from(page), "ids": raw, "action": "approve"})
    assert bulk.status_code == 422 and "Kies eerst een of meer reacties" in bulk.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/beheer/aanbod", "/beheer/artikelen", "/beheer/reacties"])
def test_a_staff_list_reads_a_page_number_past_any_list_as_an_empty_page(logged_in, path):
    client, _ = logged_in("admin")
    assert client.get(path, query_string={"page": "9" * 20, "status": "approved"}).status_code == 200


@pytest.mark.parametrize("raw", ["²", "99999999999"])
def test_an_odd_pass_code_is_not_a_pass(logged_in, raw):
    client, _ = logged_in("editor")
    assert client.get(f"/beheer/scan/{raw}-abc").status_code == 404
