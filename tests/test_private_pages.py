"""Issue 12 item 10: pages that show a visitor's own name, e-mail or token are sent as
`Cache-Control: private, no-store`, and the page cache never stores such a response."""
from __future__ import annotations

import pytest
from flask import Blueprint, make_response

from sbo.pagecache import cache_page
from sbo.pagecache.store import page_store
from sbo.enrolment.links import interest_token
from sbo.enrolment.mails import manage_url, unsubscribe_urls
from sbo.enrolment.models import InterestRegistration
from sbo.extensions import db
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering
from tests.helpers import comment_keys
from tests.test_page_cache_views import comment_form

PRIVATE = "private, no-store"


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def stored_keys(app) -> list[str]:
    with app.app_context():
        return list(page_store()._entries)


def test_pages_behind_a_personal_link_are_private(app, client):
    with app.app_context():
        offering = make_offering()
        enrolment = make_enrolment(make_edition(offering), email="sanne@example.org")
        registration = InterestRegistration(offering=offering, name="Sanne", email="sanne@example.org")
        db.session.add(registration)
        db.session.commit()
        paths = [path_of(manage_url(enrolment)), path_of(unsubscribe_urls(registration)[0]),
                 "/interesse/bevestigen/" + interest_token("interest-confirm", registration)]
        db.session.commit()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == PRIVATE, path
    # a link that is wrong carries the token too
    assert client.get("/inschrijving/niet-geldig").headers["Cache-Control"] == PRIVATE
    assert stored_keys(app) == []


def test_article_page_with_your_own_pending_comment_and_name_is_private(app, setup_data, client):
    with setup_data():
        article = make_article()
        slug = article.slug
    public = client.get(f"/nieuws/{slug}")
    assert public.headers["Cache-Control"] == "no-cache"  # the stored page, the same for everyone
    response = client.post(f"/nieuws/{slug}/reageren", data=comment_form(
        comment_keys(client), body="Mijn reactie, nog niet goedgekeurd.", remember="y"))
    assert response.status_code == 303
    own = client.get(f"/nieuws/{slug}")
    html = own.get_data(as_text=True)
    assert "anna@voorbeeld.nl" in html  # the remembered address, in the form
    assert own.headers["Cache-Control"] == PRIVATE
    assert own.headers.get("X-Cache") is None  # rendered for this visitor, not from the store
    # another visitor gets the public page, without Anna's address
    other = app.test_client().get(f"/nieuws/{slug}")
    assert "anna@voorbeeld.nl" not in other.get_data(as_text=True)


def test_a_form_sent_back_with_errors_is_private(setup_data, client, post_form):
    with setup_data():
        edition = make_edition(make_offering())
        url = f"/aanbod/{edition.offering.slug}/inschrijven/{edition.id}"
    response = post_form(client, url, {"first_name": "Sanne", "email": "sanne@example.org"})
    assert response.status_code == 422 and "sanne@example.org" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == PRIVATE


def cache_test_app(make_app):
    app = make_app()
    renders = {"view": 0, "hook": 0}
    bp = Blueprint("eigen", __name__, url_prefix="/eigen")

    @bp.get("/view")
    @cache_page()
    def marked_by_view():
        renders["view"] += 1
        response = make_response("<p>Jouw gegevens: sanne@example.org</p>")
        response.headers["Cache-Control"] = PRIVATE
        return response

    @bp.get("/hook")
    @cache_page()
    def marked_by_hook():
        renders["hook"] += 1
        return "<p>Jouw gegevens: sanne@example.org</p>"

    @bp.after_request
    def private_hook(response):
        from flask import request
        if request.endpoint == "eigen.marked_by_hook":
            response.headers["Cache-Control"] = PRIVATE
        return response

    app.register_blueprint(bp)
    app.renders = renders
    return app


@pytest.mark.parametrize("path,name", [("/eigen/view", "view"), ("/eigen/hook", "hook")])
def test_the_page_cache_never_stores_a_no_store_response(make_app, path, name):
    app = cache_test_app(make_app)
    for _ in range(3):
        response = app.test_client().get(path)
        assert response.headers["Cache-Control"] == PRIVATE
    assert app.renders[name] == 3  # rendered every time: nothing was stored
    assert stored_keys(app) == []
