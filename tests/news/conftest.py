"""Fixtures of the news tests: an app with the spam timer off, an article, a comment poster."""
from __future__ import annotations

import pytest

from sbo.extensions import db
from tests.factories import make_article
from tests.helpers import comment_keys
from tests.news.helpers import comment_data


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
    """post_comment(client, slug, **fields): like a browser, GET the article page, fetch the
    form's CSRF token and signed start time as its script does, then submit the form."""
    def post(client, slug, page=None, **fields):
        assert client.get(page or f"/nieuws/{slug}").status_code == 200
        data = {**comment_keys(client), **comment_data(**fields)}
        return client.post(f"/nieuws/{slug}/reageren", data=data)
    return post
