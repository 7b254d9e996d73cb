"""Fixtures of the news tests: an app with the spam timer off, an article, a comment poster."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from tests.factories import make_article
from tests.helpers import csrf_from
from tests.news.helpers import comment_data, hidden_value


@pytest.fixture
def app(make_app):
    """The spam timer and flood interval are off unless a test turns them on."""
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


@pytest.fixture
def article(app):
    """An open article; returns its slug."""
    with app.app_context():
        slug = make_article(title="Nieuwe aanpak woonoverlast").slug
        db.session.commit()
    return slug


@pytest.fixture
def post_comment():
    """post_comment(client, slug, **fields): like a browser, GET the article page, then submit
    its comment form with the CSRF token and the signed start time the page holds."""
    def post(client, slug, page=None, **fields):
        html = client.get(page or f"/nieuws/{slug}").get_data(as_text=True)
        data = {"csrf_token": csrf_from(html), "started": hidden_value(html, "started"),
                **comment_data(**fields)}
        return client.post(f"/nieuws/{slug}/reageren", data=data)
    return post
