"""Keyset links of the long staff lists (sbo/paging.py; issue 18, a hundred times the size):
a page link says where its page starts, and the page it leads to lists what the same page
read with OFFSET lists, on both databases. Walking the pages on, back and to the end shows
every row once; odd or stale links fall back to OFFSET."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from sbo.clock import utcnow
from sbo.news.models import Comment, CommentStatus
from sbo.paging import Seek, SeekLinks, Window, page_window, seek_from_args
from tests.factories import make_article, make_comment, make_offering

LINK = re.compile(r'<a href="([^"]*)"(?: rel="(prev|next)")?>([^<]*)</a>')


def page_links(html: str) -> dict[str, str]:
    """The pagination's links by their text ('2', 'Volgende', 'Vorige')."""
    nav = html[html.index('aria-label="Paginering"'):]
    return {text: unescape(href) for href, _rel, text in LINK.findall(nav)}


def without_hints(url: str) -> str:
    return re.sub(r"&(na|voor|van|eind)=[^&]*", "", url)


class Lister:
    def __init__(self, client, row_pattern: str):
        self.client, self.rows = client, re.compile(row_pattern)

    def get(self, url: str) -> tuple[list[str], dict[str, str]]:
        response = self.client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        return self.rows.findall(html), page_links(html) if "Paginering" in html else {}


@pytest.fixture
def queue(logged_in, setup_data):
    """160 approved comments (7 pages of 25), some made in the same moment, newest first."""
    client, _ = logged_in("moderator")
    start = utcnow() - timedelta(days=1)
    with setup_data():
        article = make_article()
        made = [make_comment(article, now=start + timedelta(minutes=n // 3)) for n in range(160)]
    newest_first = [str(c.id) for c in sorted(made, key=lambda c: (c.created_at, c.id), reverse=True)]
    return Lister(client, r'<tr id="reactie-(\d+)"'), newest_first


def test_walking_the_comment_queue_on_and_back_shows_every_comment_once(queue, count_queries):
    lister, newest_first = queue
    url = "/beheer/reacties?status=approved"
    seen, pages = [], []
    while url:
        rows, links = lister.get(url)
        assert rows == lister.get(without_hints(url))[0]  # what the same page with OFFSET lists
        seen += rows
        pages.append(url)
        url = links.get("Volgende")
    assert seen == newest_first and len(pages) == 7
    assert "na=" in pages[1] and "van=1" in pages[1]
    with count_queries() as counter:
        lister.get(pages[6])
    page_statement = counter.statements[-1]
    assert "at_cursor" in page_statement  # read from the row the link named, not with OFFSET

    back = []
    url = pages[6]
    while url:
        rows, links = lister.get(url)
        back = rows + back
        url = links.get("Vorige")
    assert back == newest_first


def test_the_last_page_of_the_comment_queue_is_counted_from_the_end(queue):
    lister, newest_first = queue
    _rows, links = lister.get("/beheer/reacties?status=approved")
    last = links["7"]
    assert "eind=1" in last and "na=" in links["3"]
    assert lister.get(last)[0] == newest_first[150:] == lister.get(without_hints(last))[0]
    rows, links = lister.get(last)
    assert "voor=" in links["6"] and lister.get(links["6"])[0] == newest_first[125:150]
    assert "voor=" in links["5"] and lister.get(links["5"])[0] == newest_first[100:125]


def test_a_comment_moved_away_does_not_shift_the_next_page(queue, setup_data, app):
    """With OFFSET, a comment trashed from page 1 pulls the first of page 2 onto page 1, out of
    the moderator's sight; the link from page 1 goes on after the last comment shown."""
    lister, newest_first = queue
    _rows, links = lister.get("/beheer/reacties?status=approved")
    with setup_data() as session:
        session.get(Comment, int(newest_first[3])).status = CommentStatus.TRASH
    assert lister.get(links["Volgende"])[0] == newest_first[25:50]
    assert lister.get(without_hints(links["Volgende"]))[0] == newest_first[26:51]


@pytest.mark.parametrize("query", [
    "na=abc&van=1", "na=99999999&van=1", "na=1&van=3", "voor=1&van=2", "na=-1&van=1",
    "na=123456789012&van=1", "na=99999999999&van=1", "na=2147483648&van=1", "voor=2147483648&van=3",
    "na=%C2%B2&van=1", "eind=2", "eind=1&na=&van=", "van=1",
])
def test_odd_or_stale_links_read_the_page_with_offset(queue, query):
    lister, newest_first = queue
    assert lister.get(f"/beheer/reacties?status=approved&page=2&{query}")[0] == newest_first[25:50]


def test_the_offerings_list_pages_by_title_on_back_and_from_the_end(logged_in, setup_data):
    client, _ = logged_in("editor")
    with setup_data():  # 130 offerings (6 pages), many of one title: in order of title, then id
        made = [make_offering(title=f"Leergang {n % 20:02d}", slug=f"leergang-{n}") for n in range(130)]
    ordered = sorted(made, key=lambda o: (o.title, o.id))
    by_title = [str(o.id) for o in ordered]
    lister = Lister(client, r'<td data-label="Titel"><a href="/beheer/aanbod/(\d+)"')
    rows, links = lister.get("/beheer/aanbod")
    assert rows == by_title[:25] and "eind=1" in links["6"]
    assert lister.get(links["6"])[0] == by_title[125:]
    second, links2 = lister.get(links["Volgende"])
    assert second == by_title[25:50] == lister.get(without_hints(links["Volgende"]))[0]
    assert lister.get(links2["4"])[0] == by_title[75:100]
    _rows, links6 = lister.get(links["6"])
    assert lister.get(links6["Vorige"])[0] == by_title[100:125]
    assert lister.get(links6["4"])[0] == by_title[75:100]

    url, found = "/beheer/aanbod?q=leergang+0", []  # a search: "Leergang 00" to "Leergang 09"
    while url:
        rows, links = lister.get(url)
        assert "eind=1" not in "".join(links.values())
        found, url = found + rows, links.get("Volgende")
    assert found == [str(o.id) for o in ordered if o.title.startswith("Leergang 0")]


def test_what_a_link_says_and_what_is_read_of_it():
    links = SeekLinks(page=10, first=501, last=475, pages=40)
    assert links.query(11) == "&na=475&van=10" and links.query(13) == "&na=475&van=10"
    assert links.query(9) == "&voor=501&van=10" and links.query(7) == "&voor=501&van=10"
    assert links.query(14) == "" and links.query(1) == "" and links.query(10) == ""
    assert links.query(40) == "&eind=1" and links.query(21) == "&eind=1" and links.query(20) == ""
    assert SeekLinks(page=10, first=1, last=2, pages=40, from_end=False).query(40) == ""
    assert seek_from_args({"na": "475", "van": "10"}, 13, 25) == Seek(after=475, skip=50)
    assert seek_from_args({"voor": "501", "van": "10"}, 9, 25) == Seek(before=501, skip=0)
    assert seek_from_args({"na": "475", "van": "10"}, 14, 25) is None  # beyond the reach of a link
    assert seek_from_args({"eind": "1"}, 1, 25) is None
    ninety = lambda: 90  # noqa: E731
    assert page_window(Seek(from_end=True), 4, 25, ninety) == Window(False, None, 0, 15)  # the last 15, oldest first
    assert page_window(Seek(from_end=True), 3, 25, ninety) == Window(False, None, 15, 25)
    assert page_window(Seek(from_end=True), 5, 25, ninety) == Window(True, None, 100, 25)  # past the end
    assert page_window(Seek(from_end=True), 4, 25, None) == Window(True, None, 75, 25)  # no total: OFFSET
    assert page_window(Seek(after=7, skip=25), 3, 25, None) == Window(True, 7, 25, 25)
    assert page_window(Seek(before=7), 3, 25, None).params() == {"offset": 0, "limit": 25, "cursor": 7}
    assert page_window(None, 3, 25, ninety).params() == {"offset": 50, "limit": 25}
