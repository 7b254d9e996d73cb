"""Issue 18: the queue draws a row's links from a pattern built once per page; every link is
the one url_for() gives, and the action buttons post the page's one form with its CSRF token."""
from __future__ import annotations

import re

import pytest
from flask import url_for

from tests.factories import make_article, make_comment


@pytest.mark.parametrize("query,status,state", [
    ("", "pending", {}), ("?status=spam", "spam", {"status": "spam"}),
    ("?status=trash&q=bericht", "trash", {"status": "trash", "q": "bericht"}),
    ("?status=approved&page=2", "approved", {"status": "approved", "page": 2})])
def test_every_link_of_a_row_is_url_fors(app, logged_in, setup_data, query, status, state):
    client, _ = logged_in("moderator")
    with setup_data():
        article = make_article(slug="woon-overlast-2027")
        ids = [make_comment(article, status, author_name=f"Oud Bericht {n}").id for n in range(30)]
    html = client.get(f"/beheer/reacties{query}").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'<tr id="reactie-(\d+)">', html)]
    assert shown and set(shown) <= set(ids)
    args = {"status": status, "q": state.get("q"), "page": state.get("page")}  # as _state_args()
    actions = {"pending": ["approve", "spam", "trash"], "approved": ["unapprove", "spam", "trash"],
               "spam": ["not_spam", "trash", "delete"], "trash": ["restore", "delete"]}[status]
    with app.test_request_context():
        for comment_id in shown:
            row = html[html.index(f'<tr id="reactie-{comment_id}">'):]
            row = row[:row.index("</tr>")]
            assert f'href="{url_for("staff.comment_detail", comment_id=comment_id)}"' in row
            assert f'href="{url_for("news.detail", slug="woon-overlast-2027")}"' in row
            for action in actions:
                link = url_for(f"staff.{action}_comment", comment_id=comment_id, **args).replace("&", "&amp;")
                assert (f'href="{link}"' if action == "delete" else f'form="actie-form" formaction="{link}"') in row, (action, row)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    assert len(tokens) == 1


def test_the_queue_reads_the_kept_counts_once(logged_in, setup_data, count_queries):
    """The staff session with its account, then the page of comments with their articles and
    the kept counts (the tabs and the total) in one statement: 2 (the counts were read twice
    and the account on its own: 5; the counts on their own: 3)."""
    client, _ = logged_in("moderator")
    with setup_data():
        article = make_article()
        for n in range(30):
            make_comment(article, "pending")
    client.get("/beheer/reacties")
    with count_queries() as counter:
        assert client.get("/beheer/reacties?status=pending&page=2").status_code == 200
    assert counter.count == 2
    with count_queries() as counter:  # an empty page reads the counts on their own
        assert client.get("/beheer/reacties?status=spam").status_code == 200
    assert counter.count == 3


def test_links_kept_per_tab_and_page_never_carry_a_search(logged_in, setup_data):
    """The queue keeps a page's row links and tab URLs per tab and page, only without a search:
    each request still gets its own tab's, page's and search's links."""
    client, _ = logged_in("moderator")
    with setup_data():
        article = make_article()
        for n in range(30):
            make_comment(article, "pending", author_name=f"Bericht {n}")
            make_comment(article, "approved", author_name=f"Bericht {n}")

    def formactions(query: str) -> set[str]:
        html = client.get(f"/beheer/reacties{query}").get_data(as_text=True)
        return set(re.findall(r'formaction="/beheer/reacties/\d+/[a-z-]+([^"]*)"', html)) | set(
            re.findall(r'<li><a href="(/beheer/reacties[^"]*)"', html))

    searched = formactions("?q=Bericht")
    assert "?status=pending&amp;q=Bericht" in searched and "/beheer/reacties?status=spam&amp;q=Bericht" in searched
    for _ in range(2):  # built, then kept
        plain = formactions("")
        assert not any("q=" in link for link in plain) and "/beheer/reacties?status=spam" in plain
        assert formactions("?status=approved&page=2") >= {"?status=approved&amp;page=2"}
        assert "?status=approved" in formactions("?status=approved")


def test_a_rows_page_links_come_escaped(app):
    """_RowLinks.detail_html() and article_html() are url_for()'s links escaped for an attribute:
    from the pattern, or from url_for() itself for a slug a pattern does not take."""
    from sbo.staff import moderation
    from sbo.staff.lists import esc
    with app.test_request_context("/beheer/reacties"):
        links = moderation._RowLinks({"status": "pending", "q": None, "page": None}, [])
        assert links.detail_html(7) == esc(url_for("staff.comment_detail", comment_id=7))
        for slug in ("woon-overlast-2027", "Rare Slug&'x'"):
            assert links.article_html(slug) == esc(url_for("news.detail", slug=slug))
