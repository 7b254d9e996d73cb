"""'Houd mij op de hoogte': double opt-in, one mail per new edition, one-click unsubscribe."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sbo.catalogue.models import Edition
from sbo.enrolment.interest import notify_interested
from sbo.enrolment.models import InterestRegistration
from sbo.enrolment.queries import interest_registrations
from sbo.extensions import db
from tests.enrolment.helpers import link_from
from tests.factories import make_edition, make_offering
from tests.helpers import csrf_from


@pytest.fixture
def slug(setup_data):
    with setup_data():
        make_offering(slug="crisisbeheersing", title="Crisisbeheersing")
    return "crisisbeheersing"


def registrations(app):
    with app.app_context():
        return [(r.email, r.status) for r in db.session.scalars(select(InterestRegistration))]


def notify(app) -> int:
    """notify_interested() for the newest edition, as the staff area does."""
    with app.app_context():
        edition = db.session.scalars(select(Edition).order_by(Edition.id.desc())).first()
        count = notify_interested(edition)
        db.session.commit()
        return count


def register(client, post_form, slug, **data):
    values = {"name": "Mila Jansen", "email": "Mila@Example.org", "preferred_city": "Zwolle",
              "preferred_month": ""}
    values.update(data)
    return post_form(client, f"/aanbod/{slug}/interesse", values)


def confirm(client, link: str):
    """Open the link in the confirmation mail, then press the button on that page."""
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))},
                       follow_redirects=True)


def test_double_opt_in_then_one_mail_per_edition(app, setup_data, client, post_form, slug, outbox):
    response = register(client, post_form, slug)
    assert response.status_code == 303
    assert "Bevestig je aanmelding" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert registrations(app) == [("mila@example.org", "pending")]
    with setup_data():
        make_edition(db.session.scalars(select(InterestRegistration)).one().offering)
    assert notify(app) == 0  # not confirmed yet

    [confirm_mail] = outbox()
    page = confirm(client, link_from(confirm_mail.body_text, "/interesse/bevestigen/"))
    assert page.status_code == 200 and "Je aanmelding is bevestigd" in page.get_data(as_text=True)
    assert registrations(app) == [("mila@example.org", "active")]

    assert notify(app) == 1
    assert notify(app) == 0  # once per edition and person
    mail = outbox()[-1]
    assert mail.subject == "Nieuwe datum: Crisisbeheersing"
    assert mail.headers["List-Unsubscribe"].startswith("<http://localhost/interesse/afmelden/")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/aanbod/crisisbeheersing/inschrijven/" in mail.body_text

    unsubscribe = link_from(mail.body_text, "/interesse/afmelden/")
    page = client.get(unsubscribe)
    assert "Ja, meld mij af" in page.get_data(as_text=True)
    assert registrations(app) == [("mila@example.org", "active")]  # GET changes nothing
    response = client.post(unsubscribe, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    assert registrations(app) == [("mila@example.org", "unsubscribed")]
    with setup_data():
        make_edition(db.session.scalars(select(InterestRegistration)).one().offering)
    assert notify(app) == 0


def test_one_click_unsubscribe_header_works_without_a_form(app, setup_data, client, post_form, slug, outbox):
    register(client, post_form, slug)
    confirm(client, link_from(outbox()[0].body_text, "/interesse/bevestigen/"))
    with setup_data():
        make_edition(db.session.scalars(select(InterestRegistration)).one().offering)
    notify(app)
    target = outbox()[-1].headers["List-Unsubscribe"].strip("<>").replace("http://localhost", "")
    response = client.post(target, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert registrations(app) == [("mila@example.org", "unsubscribed")]
    assert client.post(target.replace("/direct", "xx/direct")).status_code == 404


def test_invalid_interest_form_stores_nothing(app, client, post_form, slug, outbox):
    response = register(client, post_form, slug, name="", email="geen-adres")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vul je naam in." in html and "Dit is geen geldig e-mailadres." in html
    assert 'value="geen-adres"' in html
    assert registrations(app) == [] and outbox() == []


def test_registering_twice_keeps_one_record(app, client, post_form, slug, outbox):
    register(client, post_form, slug)
    register(client, post_form, slug, name="Mila J.")
    assert registrations(app) == [("mila@example.org", "pending")]
    assert len(outbox()) == 1  # one confirmation mail per address per period
    with app.app_context():
        offering_id = db.session.scalars(select(InterestRegistration)).one().offering_id
        page = interest_registrations(offering_id)
        assert page.total == 1 and page.items[0].name == "Mila J."


def test_tampered_confirm_link_changes_nothing(app, client, post_form, slug, outbox):
    register(client, post_form, slug)
    link = link_from(outbox()[0].body_text, "/interesse/bevestigen/")
    response = client.get(link[:-2] + "zz")
    assert response.status_code == 404 and "Deze link klopt niet" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InterestRegistration)) == 1
    assert registrations(app) == [("mila@example.org", "pending")]


def test_forty_interest_posts_send_one_mail(app, setup_data, client, post_form, slug, outbox):
    """Issue 12.6: each POST used to queue a confirmation mail (40 mails in seconds)."""
    with setup_data():
        make_offering(slug="integriteit", title="Integriteit")
    for number in range(40):
        response = register(client, post_form, slug if number % 2 else "integriteit",
                            email="Victim@Example.org", name=f"Naam {number}")
        assert response.status_code == 303  # the visitor sees the same success page
    assert "Bevestig je aanmelding" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [m.to_addr for m in outbox()] == ["victim@example.org"]
    # the one link confirms both registrations of the address
    page = client.get(link_from(outbox()[0].body_text, "/interesse/bevestigen/"))
    html = page.get_data(as_text=True)
    assert "Crisisbeheersing" in html and "Integriteit" in html
    confirm(client, link_from(outbox()[0].body_text, "/interesse/bevestigen/"))
    assert registrations(app) == [("victim@example.org", "active")] * 2


def test_confirmation_mail_again_after_the_period(app, setup_data, client, post_form, slug, outbox):
    register(client, post_form, slug)
    with setup_data():
        from sbo.mail_throttle import MailThrottle
        from datetime import timedelta
        for row in db.session.scalars(select(MailThrottle)):
            row.last_sent_at -= timedelta(seconds=app.config["MAIL_THROTTLE_SECONDS"] + 1)
    register(client, post_form, slug)
    assert len(outbox()) == 2


def test_opening_the_confirmation_link_confirms_nothing(app, client, post_form, slug, outbox):
    """Issue 12.12: a mail scanner that follows the link (GET) used to confirm the address."""
    register(client, post_form, slug)
    link = link_from(outbox()[0].body_text, "/interesse/bevestigen/")
    for _ in range(3):
        page = client.get(link)
        assert page.status_code == 200
        assert "Ja, houd mij op de hoogte" in page.get_data(as_text=True)
        assert page.headers["Cache-Control"] == "private, no-store"
    client.head(link)
    assert registrations(app) == [("mila@example.org", "pending")]
    assert client.post(link).status_code == 400  # no CSRF token: no confirmation
    assert registrations(app) == [("mila@example.org", "pending")]
    page = confirm(client, link)
    assert "Je aanmelding is bevestigd" in page.get_data(as_text=True)
    assert registrations(app) == [("mila@example.org", "active")]
    again = client.get(link).get_data(as_text=True)
    assert "is al bevestigd" in again and "Ja, houd mij op de hoogte" not in again


@pytest.mark.parametrize("address", [
    "=?utf-8?q?ceo=40evil.example?=@example.org",
    "=?UTF-8?B?Y2VvQGV2aWwuZXhhbXBsZQ==?=@example.org",
    "mila@example.org\r\nBcc: everyone@example.org",
    "mila@example.org\nBcc: everyone@example.org",
])
def test_encoded_word_and_line_break_addresses_are_refused(app, client, post_form, slug, address, outbox):
    """Issue 12.12: such an address was stored and came out as To: ceo@evil.example@example.org."""
    response = register(client, post_form, slug, email=address)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # a line break is refused by every single-line field first (sbo.forms.SingleLine)
    assert ("Gebruik één regel" if "\n" in address else "Dit e-mailadres kunnen we niet gebruiken") in html
    assert registrations(app) == [] and outbox() == []
