"""Issue 13: the personal links in mails are opaque. They carry no address (nothing in them
decodes to one), only a hash of them is stored, and they can be revoked: a substitution hands
the old holder's links over (410 "Je plaats is overgedragen"), an erasure removes them (404)."""
from __future__ import annotations

import base64
import binascii
import re
from datetime import date, timedelta

from sqlalchemy import select
from itsdangerous import URLSafeTimedSerializer

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment import links, services
from sbo.enrolment.interest import notify_interested
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import Enrolment, InterestRegistration, PersonalLink
from sbo.extensions import db
from sbo.tokens import LEGACY_SALTS, token_hash
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url, link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from

URL = re.compile(r"https?://[^\s<>\"')]+")
ADDRESS = re.compile(rb"[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9-]+\.[A-Za-z]{2,}")


def decodings(url: str) -> list[bytes]:
    """Every piece of the URL's path as text and as URL-safe base64 (zlib-less, as itsdangerous
    would write a short payload)."""
    found = []
    for segment in url.split("/", 3)[-1].split("/"):
        for piece in [segment, *segment.split(".")]:
            found.append(piece.encode())
            try:
                found.append(base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4)))
            except (binascii.Error, ValueError):
                pass
    return found


def personal_urls(message) -> list[str]:
    text = " ".join([message.body_text or "", message.body_html or "", *message.headers.values()])
    return [url for url in URL.findall(text)
            if "/inschrijving/" in url or "/bevestigen/" in url or "/interesse/" in url
            or "/wachtlijst/aanbod/" in url]


def substitute(client, post_form, path: str, first: str, email: str):
    return post_form(client, path + "/vervanger",
                     {"first_name": first, "last_name": "Jansen", "email": email}, page=path)


def test_no_personal_link_in_any_mail_decodes_to_an_address(app, setup_data, client, post_form, outbox):
    with setup_data():
        offering = make_offering(slug="crisis", title="Crisis")
        edition = make_edition(offering, capacity=2, start_date=clock.today() + timedelta(days=5),
                               enrolment_deadline=clock.today())
    # a booking with a colleague (both seats), then one for the waiting list
    data = {**VALID, "participants-0-first_name": "Piet", "participants-0-last_name": "Bakker",
            "participants-0-email": "piet@gemeente.example"}
    assert post_form(client, enrol_url(edition), data).status_code == 303
    confirm_by_mail(client, outbox)
    wait = {key: value for key, value in VALID.items() if key != "join_waiting_list"}
    wait.update(email="wacht@gemeente.example", first_name="Wim")
    assert post_form(client, enrol_url(edition).replace("/inschrijven/", "/wachtlijst/"),
                     wait).status_code == 303
    confirm_by_mail(client, outbox, booker="wacht@gemeente.example")
    # the colleague sends a substitute; the booker cancels, so the waiting person moves up
    piet = link_from(outbox("piet@gemeente.example")[-1].body_text, "/inschrijving/")
    assert substitute(client, post_form, piet, "Vera", "vera@gemeente.example").status_code == 303
    sanne = link_from(outbox("sanne@gemeente.example")[-1].body_text, "/inschrijving/")
    page = client.get(sanne + "/annuleren")
    assert client.post(sanne + "/annuleren",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True))}).status_code == 303
    offer = outbox("wacht@gemeente.example")[-1]
    assert offer.subject.startswith("Er is een plaats voor je vrij")
    offer_page = client.get(link_from(offer.body_text, "/wachtlijst/aanbod/"))
    assert client.post(offer_page.request.path + "/aannemen",
                       data={"csrf_token": csrf_from(offer_page.get_data(as_text=True))}).status_code == 303
    with app.app_context():
        assert services.send_reminders()[1] == 2
        db.session.commit()
    # interest: confirm, then a new edition (unsubscribe link and List-Unsubscribe header)
    post_form(client, "/aanbod/crisis/interesse", {"name": "Mila", "email": "mila@example.org"})
    page = client.get(link_from(outbox("mila@example.org")[-1].body_text, "/interesse/bevestigen/"))
    client.post(page.request.path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    with app.app_context():
        assert notify_interested(make_edition(db.session.get(Edition, edition.id).offering)) == 1
        db.session.commit()

    messages = outbox()
    kinds = {m.subject.split(":")[0] for m in messages if personal_urls(m)}
    assert kinds == {"Bevestig je inschrijving", "Bevestig je aanmelding voor de wachtlijst",
                     "Bevestiging van je inschrijving", "Je staat op de wachtlijst",
                     "Er is een plaats voor je vrij", "Je bent ingeschreven", "Je neemt deel aan Crisis",
                     "Herinnering", "Bevestig je aanmelding", "Nieuwe datum",
                     "Wijziging in je boeking"}, kinds  # the booker told of Piet's substitute
    urls = [url for message in messages for url in personal_urls(message)]
    assert len(urls) >= 10
    legacy = URLSafeTimedSerializer("k", salt="s").dumps([114, "alice@example.org"])
    assert any(ADDRESS.search(piece) for piece in decodings(f"http://localhost/inschrijving/{legacy}"))
    for url in urls:
        assert not any(ADDRESS.search(piece) for piece in decodings(url)), url
        assert client.get("/" + url.split("/", 3)[3]).status_code in (200, 405, 410), url
    with app.app_context():  # only hashes are stored
        stored = set(db.session.scalars(select(PersonalLink.token_hash)))
    tokens = {url.rstrip("/").split("/")[-1] if not url.endswith("/direct") else url.split("/")[-2]
              for url in urls}
    assert tokens and not tokens & stored and {token_hash(t) for t in tokens} & stored


def test_a_link_once_handed_over_says_so_and_the_one_before_is_revoked(app, setup_data, client,
                                                                       post_form, outbox):
    with setup_data():
        edition = make_edition(make_offering(), capacity=3)
        anna = make_enrolment(edition, email="anna@example.org", first_name="Anna")
        first = "/" + manage_url(anna).split("/", 3)[3]
    assert substitute(client, post_form, first, "Bert", "bert@example.org").status_code == 303
    page = client.get(first)
    assert page.status_code == 410 and "Je plaats is overgedragen aan Bert" in page.get_data(as_text=True)
    assert client.post(first + "/annuleren").status_code in (400, 410)
    second = link_from(outbox("bert@example.org")[-1].body_text, "/inschrijving/")
    assert client.get(second).status_code == 200
    assert substitute(client, post_form, second, "Cor", "cor@example.org").status_code == 303
    assert "overgedragen aan Cor" in client.get(second).get_data(as_text=True)
    assert client.get(second).status_code == 410
    response = client.get(first)  # only the last holder is told; older links are gone
    assert response.status_code == 404 and "Deze link klopt niet" in response.get_data(as_text=True)
    third = link_from(outbox("cor@example.org")[-1].body_text, "/inschrijving/")
    assert client.get(third).status_code == 200


def test_a_revoked_link_is_unknown_and_a_cancelled_one_still_shows_the_cancellation(
        app, setup_data, client, post_form):
    with setup_data():
        edition = make_edition(make_offering(), capacity=3)
        enrolment = make_enrolment(edition, email="anna@example.org")
        kept = make_enrolment(edition, email="kees@example.org")
        path = "/" + manage_url(enrolment).split("/", 3)[3]
        other = "/" + manage_url(kept).split("/", 3)[3]
        registration = InterestRegistration(offering=edition.offering, name="Mila", email="mila@example.org")
        db.session.add(registration)
        db.session.flush()
        unsubscribe = "/interesse/afmelden/" + links.interest_token("interest-unsubscribe", registration)
    assert client.get(unsubscribe).status_code == 200
    page = client.get(other + "/annuleren")
    client.post(other + "/annuleren", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert "Geannuleerd" in client.get(other).get_data(as_text=True)
    with app.app_context():
        assert links.revoke(enrolment_ids=[enrolment.id], registration_ids=[registration.id]) == 2
        db.session.commit()
    for revoked in (path, unsubscribe):
        response = client.get(revoked)
        assert response.status_code == 404 and "Deze link klopt niet" in response.get_data(as_text=True)


def test_links_expire_from_the_mail_they_came_in(app, setup_data, client, monkeypatch):
    real = clock.utcnow
    with setup_data():
        edition = make_edition(make_offering(), capacity=3)
        registration = InterestRegistration(offering=edition.offering, name="Mila", email="mila@example.org")
        db.session.add(registration)
        db.session.flush()
        monkeypatch.setattr(clock, "utcnow", lambda: real() - timedelta(days=15))
        old = "/interesse/bevestigen/" + links.interest_token("interest-confirm", registration)
        monkeypatch.setattr(clock, "utcnow", lambda: real() - timedelta(days=13))
        fresh = "/interesse/bevestigen/" + links.interest_token("interest-confirm", registration)
    monkeypatch.setattr(clock, "utcnow", real)
    response = client.get(old)
    assert response.status_code == 410 and "Deze link is verlopen" in response.get_data(as_text=True)
    assert client.get(fresh).status_code == 200


def test_links_of_mails_sent_before_keep_working_until_the_configured_date(app, setup_data, client,
                                                                          monkeypatch):
    with setup_data():
        edition = make_edition(make_offering(), capacity=3)
        enrolment = make_enrolment(edition, email="anna@example.org", first_name="Anna")
    legacy = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=LEGACY_SALTS["enrolment"]).dumps(
        [enrolment.id, "anna@example.org"])
    monkeypatch.setattr(clock, "today", lambda now=None: date(2027, 6, 1))
    assert client.get(f"/inschrijving/{legacy}").status_code == 200
    with app.app_context():
        row = db.session.get(Enrolment, enrolment.id)
        row.email, row.replaced_email = "bert@example.org", "anna@example.org"
        db.session.commit()
    assert client.get(f"/inschrijving/{legacy}").status_code == 410
    monkeypatch.setattr(clock, "today", lambda now=None: date.fromisoformat(
        app.config["LEGACY_LINKS_UNTIL"]) + timedelta(days=1))
    assert client.get(f"/inschrijving/{legacy}").status_code == 404
