"""Issue 12 items 2, 3 and 9 over the test client: moderation that cannot be borrowed, pending
comments bound to the browser that posted them, ids never reused, and a single-use form."""
from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from sbo.extensions import db
from sbo.news.models import Comment, CommentStatus
from sbo.news.services import approve_comment, delete_comment, public_article
from tests.factories import make_article, make_comment, make_staff
from tests.helpers import comment_keys

from tests.news.helpers import comment_data, hidden_value


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, SITE_URL="https://www.sbo.example")


def comments(app) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def approve(app, comment_id: int) -> None:
    with app.app_context():
        approve_comment(db.session.get(Comment, comment_id))
        db.session.commit()


def posted(app, post_comment, client, slug, **fields) -> Comment:
    assert post_comment(client, slug, **fields).status_code == 303
    return comments(app)[-1]


# ---------------------------------------------------------------- item 2

def test_an_address_with_an_approved_comment_is_not_enough(app, setup_data, article, post_comment):
    """Before: anyone typing an address that once had an approved comment was published at once."""
    with setup_data():
        make_comment(public_article(article), "approved", author_email="anna@voorbeeld.nl",
                     author_name="Anna de Boer")
    attacker = app.test_client()
    borrowed = posted(app, post_comment, attacker, article, body="Koop nu bij mij!")
    assert borrowed.status == CommentStatus.PENDING
    assert "Koop nu bij mij!" not in app.test_client().get(f"/nieuws/{article}").get_data(as_text=True)


def test_the_same_browser_is_recognised_once_its_comment_is_approved(app, article, post_comment):
    anna = app.test_client()
    first = posted(app, post_comment, anna, article, body="Mijn eerste reactie")
    assert first.status == CommentStatus.PENDING
    second = posted(app, post_comment, anna, article, body="Nog voor de goedkeuring")
    assert second.status == CommentStatus.PENDING  # the proof is valid only once approved
    approve(app, first.id)
    third = posted(app, post_comment, anna, article, body="Na de goedkeuring", author_email="ANNA@voorbeeld.nl")
    assert third.status == CommentStatus.APPROVED
    cookie = anna.get_cookie("sbo_bekende_reageerder", path="/nieuws")
    assert cookie is not None and cookie.http_only and "anna" not in cookie.value.lower()
    # the cookie vouches only for its own address
    other = posted(app, post_comment, anna, article, body="Onder een ander adres", author_email="piet@voorbeeld.nl")
    assert other.status == CommentStatus.PENDING


@pytest.mark.parametrize("name, email", [
    ("Medewerker Moderatie", "mo@sbo.example"),        # a staff account's address
    ("Anna de Boer", "info@sbo.example"),              # the site's own domain
    ("Anna de Boer", "redactie@gmail.example"),        # an address that reads as staff
    ("Redactie SBO", "anna@voorbeeld.nl"),             # a name that reads as staff
    ("Moderator", "anna@voorbeeld.nl"),
    ("Petra Staf", "anna@voorbeeld.nl"),               # a staff member's name
])
def test_staff_lookalikes_never_pass_even_with_the_cookie(app, setup_data, article, post_comment, name, email):
    with setup_data():
        make_staff("moderator", email="mo@sbo.example", name="Petra Staf")
    client = app.test_client()
    first = posted(app, post_comment, client, article, author_name=name, author_email=email, body="Eerste")
    approve(app, first.id)  # a moderator let the first one through
    second = posted(app, post_comment, client, article, author_name=name, author_email=email, body="Tweede")
    assert second.status == CommentStatus.PENDING


def test_a_staff_reply_is_marked_as_staff_and_makes_no_address_known(app, article, post_comment):
    from sbo.staff.moderation_services import reply
    from sbo.staff.models import StaffUser
    reader = app.test_client()
    question = posted(app, post_comment, reader, article, body="Wanneer is de volgende editie?")
    with app.app_context():
        staff = make_staff("moderator", email="moderator@sbo.example", name="Petra Staf")
        answer = reply(db.session.get(Comment, question.id), db.session.get(StaffUser, staff.id),
                       "In maart, de inschrijving is open.")
        db.session.commit()
        answer_id, staff_id = answer.id, staff.id
    stored = comments(app)[-1]
    assert (stored.id, stored.is_staff, stored.staff_user_id) == (answer_id, True, staff_id)
    page = app.test_client().get(f"/nieuws/{article}").get_data(as_text=True)
    assert "In maart, de inschrijving is open." in page and "Reactie van de redactie" in page
    # before: the reply made moderator@… a "known" address, approved at once for anyone
    attacker = app.test_client()
    fake = posted(app, post_comment, attacker, article, author_name="Petra Staf",
                  author_email="moderator@sbo.example", body="Officieel: de cursus is gratis!")
    assert fake.status == CommentStatus.PENDING


# ---------------------------------------------------------------- item 3

def test_a_pending_comment_is_seen_only_by_the_browser_that_posted_it(app, article, post_comment):
    """Before: A's cookie held A's bare id; after A's comment was deleted SQLite gave B's comment
    the same id, and A saw it. Now ids are never reused and an id counts only with its secret."""
    a, b = app.test_client(), app.test_client()
    first = posted(app, post_comment, a, article, body="Reactie van A", author_email="a@voorbeeld.nl")
    with app.app_context():
        delete_comment(db.session.get(Comment, first.id))  # say, a moderator deleted it as spam
        db.session.commit()
    second = posted(app, post_comment, b, article, body="Reactie van B, nog niet goedgekeurd",
                    author_email="b@voorbeeld.nl")
    assert second.id > first.id  # AUTOINCREMENT on SQLite, sequences on PostgreSQL
    assert "Reactie van B" not in a.get(f"/nieuws/{article}").get_data(as_text=True)
    assert "Reactie van B" in b.get(f"/nieuws/{article}").get_data(as_text=True)
    # a cookie signed with the site's key but holding B's id with a guessed secret shows nothing
    signer = URLSafeSerializer(app.config["SECRET_KEY"], salt="sbo.news.pending")
    a.set_cookie("sbo_mijn_reacties", signer.dumps([[second.id, "geraden-geheim"], [second.id, ""]]))
    assert "Reactie van B" not in a.get(f"/nieuws/{article}").get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(Comment, second.id)
        assert stored.visitor_token_hash and len(stored.visitor_token_hash) == 64
        assert stored.visitor_token_hash not in b.get_cookie("sbo_mijn_reacties").value


def test_ids_are_not_reused_after_deleting_the_highest(app_ctx, article):
    article_row = public_article(article)
    last = make_comment(article_row, "pending").id
    delete_comment(db.session.get(Comment, last))
    db.session.commit()
    assert make_comment(article_row, "pending").id == last + 1


# ---------------------------------------------------------------- item 9

def test_the_form_start_time_is_single_use(app, client, article):
    """Before: one signed start time could be replayed for 7 days (a bot fetched it once)."""
    base = comment_keys(client)
    first = client.post(f"/nieuws/{article}/reageren", data={**base, **comment_data(body="Eén")})
    assert first.status_code == 303
    again = client.post(f"/nieuws/{article}/reageren",
                        data={**base, **comment_data(body="Twee", author_email="b@voorbeeld.nl")})
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "Dit formulier is al verstuurd." in page and "Twee" in page  # the text is kept
    assert [c.body for c in comments(app)] == ["Eén"]
    fresh = hidden_value(page, "started")  # the form drawn again has a new start time
    assert fresh != base["started"]
    third = client.post(f"/nieuws/{article}/reageren",
                        data={**base, "started": fresh, **comment_data(body="Twee", author_email="b@voorbeeld.nl")})
    assert third.status_code == 303
    assert [c.body for c in comments(app)] == ["Eén", "Twee"]
