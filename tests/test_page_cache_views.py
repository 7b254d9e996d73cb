"""The page cache on the real views: stored for anonymous visitors, fresh after every change
made through a service, never personal (CSRF tokens, pending comments, flashes, staff)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sbo.catalogue.models import Edition, Offering
from sbo.enrolment import services as enrolment
from sbo.extensions import db
from sbo.news import services as news
from sbo.news.models import Comment
from sbo.catalogue import services as catalogue
from tests.factories import make_article, make_comment, make_edition, make_offering, make_staff
from tests.helpers import comment_keys, csrf_from
from tests.staff.helpers import login


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


def add_offering(app) -> str:
    """An offering with one edition of 20 seats; returns its slug."""
    with app.app_context():
        offering = make_offering(title="Cameratoezicht in de praktijk")
        make_edition(offering, capacity=20)
        db.session.commit()
        return offering.slug


@pytest.fixture
def offering(app):
    return add_offering(app)


@pytest.fixture
def article(setup_data):
    with setup_data():
        article = make_article(title="Nieuwe aanpak woonoverlast")
        make_comment(article, body="Een eerste, goedgekeurde reactie.")
        return article.slug


def comment_form(keys: dict, **fields) -> dict:
    """The comment form with the values its script fetched (`comment_keys`)."""
    return {**keys, "homepage": "", "author_name": "Anna de Boer", "author_email": "anna@voorbeeld.nl",
            **fields}


def enrolment_path(app, offering: str) -> str:
    with app.app_context():
        return f"/aanbod/{offering}/inschrijven/{db.session.scalar(select(Edition.id))}"


ENROLMENT_FORM = {"first_name": "Sanne", "last_name": "Visser", "organisation": "Gemeente Proefstad",
                  "terms": "y", "join_waiting_list": "y"}


@pytest.mark.parametrize("path", ["/", "/aanbod", "/aanbod?type=cursus", "/over-sbo", "/nieuws",
                                  "/nieuws/feed.xml"])
def test_anonymous_read_pages_are_stored(app, client, offering, article, path):
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.data == second.data


def enrol_piet(app) -> None:
    with app.app_context():
        edition = db.session.scalar(select(Edition))
        enrolment.enrol(edition, {"first_name": "Piet", "last_name": "Jansen", "email": "piet@voorbeeld.nl",
                                  "organisation": "Gemeente Proefstad"},
                        [enrolment.Participant("Piet", "Jansen", "piet@voorbeeld.nl")])
        db.session.commit()


class FakeClock:
    """Stands in for the `time` module of sbo.pagecache.store: the memo's age is set by the test, not
    by how fast the machine runs the requests in between."""
    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_seats_taken_show_on_the_stored_page_once_the_generation_is_read_again(make_app, monkeypatch):
    """A seat count may lag by CACHE_GENERATION_TTL, so that a rush of enrolments does not
    re-render every page after every enrolment; then the page is rendered afresh."""
    import sbo.pagecache.store
    clock = FakeClock()
    monkeypatch.setattr(sbo.pagecache.store, "time", clock)
    app = make_app(CACHE_GENERATION_TTL=5)
    client = app.test_client()
    slug = add_offering(app)
    assert "Nog 20 plaatsen" in client.get(f"/aanbod/{slug}").get_data(as_text=True)
    enrol_piet(app)
    clock.now += 4.9  # still within the memo's five seconds
    stale = client.get(f"/aanbod/{slug}")
    assert stale.headers["X-Cache"] == "hit" and "Nog 20 plaatsen" in stale.get_data(as_text=True)
    clock.now += 0.2  # past it: the generation is read again
    fresh = client.get(f"/aanbod/{slug}")
    assert fresh.headers["X-Cache"] == "miss" and "Nog 19 plaatsen" in fresh.get_data(as_text=True)


def test_seats_taken_show_at_once_without_a_generation_memo(make_app):
    app = make_app(CACHE_GENERATION_TTL=0)
    client = app.test_client()
    slug = add_offering(app)
    assert "Nog 20 plaatsen" in client.get(f"/aanbod/{slug}").get_data(as_text=True)
    assert client.get(f"/aanbod/{slug}").headers["X-Cache"] == "hit"
    enrol_piet(app)
    response = client.get(f"/aanbod/{slug}")
    assert response.headers["X-Cache"] == "miss"
    assert "Nog 19 plaatsen" in response.get_data(as_text=True)


def test_a_staff_change_to_an_edition_shows_at_once(app, client, offering):
    assert "Nog 20 plaatsen" in client.get(f"/aanbod/{offering}").get_data(as_text=True)
    with app.app_context():
        db.session.scalar(select(Edition)).status = "vol"
        db.session.commit()
    response = client.get(f"/aanbod/{offering}")
    assert response.headers["X-Cache"] == "miss" and "Nog 20 plaatsen" not in response.get_data(as_text=True)


def test_the_enrolment_form_is_stored_and_every_visitor_enrols_with_their_own_token(app, offering):
    path = enrolment_path(app, offering)
    first, second = app.test_client(), app.test_client()
    page_one, page_two = first.get(path), second.get(path)
    assert (page_one.headers["X-Cache"], page_two.headers["X-Cache"]) == ("miss", "hit")
    token_one, token_two = csrf_from(page_one.get_data(as_text=True)), csrf_from(page_two.get_data(as_text=True))
    assert token_one != token_two
    form = ENROLMENT_FORM
    assert second.post(path, data={**form, "email": "sanne@voorbeeld.nl", "csrf_token": token_one}).status_code == 400
    assert second.post(path, data={**form, "email": "sanne@voorbeeld.nl", "csrf_token": token_two}).status_code == 303
    assert first.post(path, data={**form, "email": "ria@voorbeeld.nl", "csrf_token": token_one}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Edition.seats_taken)) == 2


def test_unpublishing_removes_the_offering_from_the_stored_catalogue(app, client, offering):
    assert "Cameratoezicht in de praktijk" in client.get("/aanbod").get_data(as_text=True)
    with app.app_context():
        item = db.session.scalar(select(Offering).where(Offering.slug == offering))
        catalogue.set_published(item, False)
        db.session.commit()
    assert "Cameratoezicht in de praktijk" not in client.get("/aanbod").get_data(as_text=True)
    assert client.get(f"/aanbod/{offering}").status_code == 404


def test_the_article_page_is_stored_like_any_page_and_each_reader_fetches_their_own_token(app, article):
    one, two = app.test_client(), app.test_client()
    first = one.get(f"/nieuws/{article}")
    second = two.get(f"/nieuws/{article}")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.data == second.data and "ETag" in second.headers
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    assert "Een eerste, goedgekeurde reactie." in second.get_data(as_text=True)
    keys_one, keys_two = comment_keys(one), comment_keys(two)
    assert keys_one["csrf_token"] != keys_two["csrf_token"] and keys_one["started"] != keys_two["started"]
    response = two.post(f"/nieuws/{article}/reageren", data=comment_form(keys_two, body="Met mijn eigen token."))
    assert response.status_code == 303
    refused = one.post(f"/nieuws/{article}/reageren",
                       data=comment_form({**keys_one, "csrf_token": keys_two["csrf_token"]}, body="Met andermans."))
    assert refused.status_code == 400
    with app.app_context():
        bodies = set(db.session.scalars(select(Comment.body)))
    assert "Met mijn eigen token." in bodies and "Met andermans." not in bodies


def test_pending_comment_is_shown_to_its_author_only_and_approval_shows_it(app, article):
    author, reader = app.test_client(), app.test_client()
    reader.get(f"/nieuws/{article}")
    author.get(f"/nieuws/{article}")
    response = author.post(f"/nieuws/{article}/reageren", data=comment_form(
        comment_keys(author), body="Wacht nog op de redactie."), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Wacht nog op de redactie." in page and "X-Cache" not in response.headers  # flash + cookie
    again = author.get(f"/nieuws/{article}")
    assert "X-Cache" not in again.headers and "Wacht nog op de redactie." in again.get_data(as_text=True)

    other = reader.get(f"/nieuws/{article}")
    assert other.headers["X-Cache"] == "hit"  # a pending comment leaves the stored page alone
    assert "Wacht nog op de redactie." not in other.get_data(as_text=True)

    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.body == "Wacht nog op de redactie."))
        news.approve_comment(comment)
        db.session.commit()
    response = reader.get(f"/nieuws/{article}")
    assert response.headers["X-Cache"] == "miss"
    assert "Wacht nog op de redactie." in response.get_data(as_text=True)


def test_trashing_an_approved_comment_removes_it_from_the_stored_page(app, client, article):
    assert "Een eerste, goedgekeurde reactie." in client.get(f"/nieuws/{article}").get_data(as_text=True)
    with app.app_context():
        news.trash_comment(db.session.scalar(select(Comment)))
        db.session.commit()
    assert "Een eerste, goedgekeurde reactie." not in client.get(f"/nieuws/{article}").get_data(as_text=True)


def test_remembered_author_is_never_served_to_someone_else(app, article):
    author, reader = app.test_client(), app.test_client()
    author.get(f"/nieuws/{article}")
    author.post(f"/nieuws/{article}/reageren",
                data=comment_form(comment_keys(author), body="Onthoud mij.", author_name="Karel Onthouden",
                                  author_email="karel@voorbeeld.nl", remember="y"))
    author.delete_cookie("sbo_mijn_reacties")
    mine = author.get(f"/nieuws/{article}")
    assert "X-Cache" not in mine.headers and 'value="Karel Onthouden"' in mine.get_data(as_text=True)
    reader.get(f"/nieuws/{article}")
    assert "Karel Onthouden" not in reader.get(f"/nieuws/{article}").get_data(as_text=True)


def test_logged_in_staff_never_get_or_fill_the_cache(setup_data, client, offering):
    with setup_data():
        email = make_staff("editor").email
    assert login(client, email).status_code == 302
    for path in ("/", "/aanbod", f"/aanbod/{offering}", "/nieuws"):
        assert "X-Cache" not in client.get(path).headers


def test_a_flash_bypasses_the_cache(app, client, article):
    client.get(f"/nieuws/{article}")
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "Bedankt!")]
    response = client.get(f"/nieuws/{article}")
    assert "X-Cache" not in response.headers and "Bedankt!" in response.get_data(as_text=True)


def test_cookieless_fast_path_sends_what_the_full_path_sent(app, offering):
    first = app.test_client().get("/aanbod")  # stored by the app itself
    fast = app.test_client().get("/aanbod")   # no cookie: served by sbo.pagecache.fastpath
    assert fast.headers["X-Cache"] == "hit" and fast.data == first.data
    for header in ("Content-Security-Policy", "X-Frame-Options", "ETag", "Content-Type"):
        assert fast.headers[header] == first.headers[header]
    assert "Set-Cookie" not in fast.headers


def test_https_and_http_pages_are_stored_apart(app, client, offering):
    client.get("/aanbod")
    secure = client.get("/aanbod", base_url="https://localhost")
    assert secure.headers["X-Cache"] == "miss" and "Strict-Transport-Security" in secure.headers


def test_a_stored_page_does_not_outlive_its_day(app, client, offering, monkeypatch):
    from datetime import timedelta

    import sbo.clock
    client.get("/aanbod")
    tomorrow = sbo.clock.today() + timedelta(days=1)
    monkeypatch.setattr("sbo.clock.today", lambda now=None: tomorrow)
    assert client.get("/aanbod").headers["X-Cache"] == "miss"


def test_cookieless_visitors_of_a_form_page_get_their_own_session_and_token(app, offering):
    path = enrolment_path(app, offering)
    first, second, third = (app.test_client() for _ in range(3))
    miss = first.get(path)
    hits = [second.get(path), third.get(path)]
    assert [r.headers["X-Cache"] for r in hits] == ["hit", "hit"]
    tokens = {csrf_from(r.get_data(as_text=True)) for r in [miss, *hits]}
    assert len(tokens) == 3
    for response in hits:
        assert response.headers["Content-Security-Policy"] == miss.headers["Content-Security-Policy"]
        assert [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    token = csrf_from(hits[0].get_data(as_text=True))
    posted = second.post(path, data={**ENROLMENT_FORM, "email": "sanne@voorbeeld.nl", "csrf_token": token})
    assert posted.status_code == 303


def test_two_cookieless_visitors_get_tokens_that_only_work_with_their_own_cookie(app, offering):
    path = enrolment_path(app, offering)
    warm, one, two = (app.test_client() for _ in range(3))
    miss = warm.get(path)
    hit_one, hit_two = one.get(path), two.get(path)
    assert (hit_one.headers["X-Cache"], hit_two.headers["X-Cache"]) == ("hit", "hit")
    cookie_one, cookie_two = one.get_cookie("session").value, two.get_cookie("session").value
    assert cookie_one != cookie_two
    # the cookie made on the fast path has the attributes Flask gives it on the full path
    attributes = [c.split(";", 1)[1] for r in (miss, hit_one) for c in r.headers.getlist("Set-Cookie")]
    assert attributes[0] == attributes[1]
    token_one, token_two = csrf_from(hit_one.get_data(as_text=True)), csrf_from(hit_two.get_data(as_text=True))
    assert token_one != token_two

    def enrol(client, token, email):
        return client.post(path, data={**ENROLMENT_FORM, "email": email, "csrf_token": token}).status_code
    assert enrol(one, token_two, "een-met-twee@voorbeeld.nl") == 400
    assert enrol(two, token_one, "twee-met-een@voorbeeld.nl") == 400
    assert enrol(one, token_one, "een@voorbeeld.nl") == 303
    assert enrol(two, token_two, "twee@voorbeeld.nl") == 303
    with app.app_context():
        assert db.session.scalar(select(Edition.seats_taken)) == 2


def test_a_cookieless_visitor_over_https_gets_a_secure_session_cookie(app, offering):
    path = enrolment_path(app, offering)
    app.test_client().get(path, base_url="https://localhost")
    hit = app.test_client().get(path, base_url="https://localhost")
    assert hit.headers["X-Cache"] == "hit"
    assert "Secure" in hit.headers["Set-Cookie"]
    plain = app.test_client().get(path)
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_a_stored_form_page_is_cut_at_every_placeholder():
    from sbo.pagecache.fastpath import _pieces
    assert _pieces(b"<a>@T@<b>@T@", b"@T@") == (b"<a>", b"<b>", b"")
    assert _pieces(b"zonder", b"@T@") == (b"zonder",)


def test_the_fast_path_follows_a_changed_session_configuration(app, offering):
    """The new visitor's cookie is worked out once per configuration, not once for ever."""
    path = enrolment_path(app, offering)
    app.test_client().get(path)
    assert "SameSite=Lax" in app.test_client().get(path).headers["Set-Cookie"]
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    visitor = app.test_client()
    hit = visitor.get(path)
    assert hit.headers["X-Cache"] == "hit" and "SameSite=Strict" in hit.headers["Set-Cookie"]
    posted = visitor.post(path, data={**ENROLMENT_FORM, "email": "na@voorbeeld.nl",
                                      "csrf_token": csrf_from(hit.get_data(as_text=True))})
    assert posted.status_code == 303
