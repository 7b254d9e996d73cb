"""Issue 12.12: one e-mail check for every form. An address with an RFC 2047 encoded-word
(`=?utf-8?q?ceo=40evil.example?=@example.org`, which a mail client shows as
ceo@evil.example@example.org) or a line break is refused with a Dutch message at the field:
422, nothing stored, no mail."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sbo.email_address import UNSAFE_MESSAGE, SafeEmail, is_unsafe, normalise_email, typed_email
from sbo.forms import SINGLE_LINE_MESSAGE
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from sbo.news.models import Comment
from tests.enrolment.helpers import VALID, counts, enrol_url
from tests.factories import make_article, make_edition, make_enrolment, make_offering
from tests.helpers import form_values

BAD = ["=?utf-8?q?ceo=40evil.example?=@example.org",
       "=?UTF-8?B?Y2VvQGV2aWwuZXhhbXBsZQ==?=@example.org",
       "mila=?x?=@example.org",
       "mila@example.org\r\nBcc: everyone@example.org"]
MESSAGE = "Dit e-mailadres kunnen we niet gebruiken"


def message_for(address: str) -> str:
    """A line break is refused by every single-line field first (sbo.forms.SingleLine)."""
    return SINGLE_LINE_MESSAGE if "\n" in address else MESSAGE


def test_the_check():
    assert all(is_unsafe(address) for address in BAD)
    assert not is_unsafe("mila.jansen+cursus@example.org") and not is_unsafe("a=b@example.org")
    assert typed_email(" Mila@Example.org ") == "mila@example.org"
    assert typed_email(BAD[0]) == BAD[0]  # left for the validator to refuse
    assert UNSAFE_MESSAGE.startswith(MESSAGE) and callable(SafeEmail())


@pytest.mark.parametrize("address", BAD)
def test_enrolment_form_refuses_it_for_booker_and_colleague(app, client, post_form, address, outbox):
    with app.app_context():
        url = enrol_url(make_edition(make_offering()))
        db.session.commit()
    for data in ({**VALID, "email": address},
                 {**VALID, "participants-0-first_name": "Kees", "participants-0-last_name": "Collega",
                  "participants-0-email": address}):
        response = post_form(client, url, data)
        assert response.status_code == 422
        assert message_for(address) in response.get_data(as_text=True)
    assert counts(app) == (0, 0) and outbox() == []


def test_substitute_form_refuses_it(app, setup_data, client, post_form, outbox):
    with setup_data():
        enrolment = make_enrolment(make_edition(make_offering()), email="self@example.org")
        path = "/" + manage_url(enrolment).split("/", 3)[3]
        db.session.commit()
    response = post_form(client, path + "/vervanger", {
        "first_name": "Vic", "last_name": "Tim", "email": BAD[0]}, page=path)
    assert response.status_code == 422 and MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Enrolment.email)).all() == ["self@example.org"]
    assert outbox() == []


def test_comment_form_refuses_it(make_app, outbox):
    app = make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)
    client = app.test_client()
    with app.app_context():
        slug = make_article().slug
        db.session.commit()
    html = client.get(f"/nieuws/{slug}").get_data(as_text=True)
    response = client.post(f"/nieuws/{slug}/reageren", data={
        **form_values(client, html), "body": "Goed artikel.",
        "author_name": "Anna", "author_email": BAD[0], "author_url": "", "homepage": ""})
    assert response.status_code in (400, 422)
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    assert outbox() == []


# ---------------------------------------------------------------- one normal form (issue 14, item 4)

def test_normalise_email_is_the_one_comparison_form():
    assert normalise_email(" Mila.Jansen@Example.ORG\t") == "mila.jansen@example.org"
    assert normalise_email("mila@example.org") == "mila@example.org"
    # the enrolment forms store a valid address in email-validator's normal form, compared form
    assert typed_email("  Mila@EXAMPLE.org ") == "mila@example.org"
    assert typed_email("Mila@Bücher.Example") == normalise_email("Mila@bücher.example")
    # what the validator refuses comes back as typed (stripped), to be shown in the field
    assert typed_email("  Geen Adres ") == "Geen Adres"
    assert typed_email("") == "" and typed_email(None) is None


def test_the_same_person_in_any_case(app):
    """Comments keep the typed case; staff accounts and the mail throttle find them anyway."""
    from sbo.mail_throttle import may_mail
    from sbo.news.cookies import address_digest
    from sbo.news.spam import imitates_staff
    from sbo.staff.services import authenticate, create_staff
    from tests.factories import make_comment

    with app.test_request_context():
        user = create_staff("  Redacteur.Een@SBO.example ", "een lang wachtwoord", "editor")
        assert user.email == "redacteur.een@sbo.example"
        assert authenticate("REDACTEUR.een@sbo.example", "een lang wachtwoord", "10.0.0.1")[0].id == user.id
        assert imitates_staff("Iemand", "Redacteur.Een@Sbo.Example ")
        comment = make_comment(make_article(), author_email="Anna.Lezer@Example.org")
        db.session.flush()
        assert comment.author_email == "Anna.Lezer@Example.org"
        assert address_digest("anna.lezer@example.org ") == address_digest(comment.author_email)
        assert may_mail("comment-reply", comment.author_email)
        db.session.commit()  # within one transaction the same answer is given again
        assert not may_mail("comment-reply", " ANNA.lezer@example.org")
