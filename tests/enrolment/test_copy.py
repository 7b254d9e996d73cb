"""Dutch copy of the enrolment domain: greet by first name, natural wording for a handed-over
place, and the kind of offering (congres, cursus…) named where the text speaks of it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sbo.catalogue.models import OfferingType
from sbo.enrolment.interest import notify_interested
from sbo.enrolment.mails import manage_url
from sbo.enrolment.models import InterestRegistration
from sbo.extensions import db
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url, link_from
from tests.factories import make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from


def test_offering_type_gives_the_words_for_this_kind():
    assert [t.this_noun for t in OfferingType] == [
        "deze cursus", "deze opleiding", "deze jaaropleiding", "dit congres"]


@pytest.mark.parametrize("kind, words", [("congres", "dit congres"), ("cursus", "deze cursus")])
def test_interest_privacy_line_names_the_kind_of_offering(setup_data, client, kind, words):
    with setup_data():
        make_offering(slug="aanbod-x", type=kind)
    html = client.get("/aanbod/aanbod-x/interesse").get_data(as_text=True)
    assert f"om je over {words} te mailen" in html
    if kind == "congres":
        assert "deze opleiding" not in html


def test_interest_mails_greet_by_first_name_and_unsubscribed_page_names_the_kind(
        app, setup_data, client, post_form, outbox):
    with setup_data():
        make_offering(slug="zorgcongres", title="Congres Zorg en Veiligheid", type="congres")
    post_form(client, "/aanbod/zorgcongres/interesse",
              {"name": "Anna de Vries", "email": "anna@example.org", "preferred_month": ""})
    [confirm] = outbox()
    assert confirm.body_text.startswith("Beste Anna,\n")
    confirm_link = link_from(confirm.body_text, "/interesse/bevestigen/")
    page = client.get(confirm_link).get_data(as_text=True)
    assert client.post(confirm_link, data={"csrf_token": csrf_from(page)}).status_code == 303
    with app.app_context():
        registration = db.session.scalars(select(InterestRegistration)).one()
        notify_interested(make_edition(registration.offering))
        db.session.commit()
    news = outbox()[-1]
    assert news.body_text.startswith("Beste Anna,\n") and "Anna de Vries" not in news.body_text

    unsubscribe = link_from(news.body_text, "/interesse/afmelden/")
    page = client.get(unsubscribe).get_data(as_text=True)
    response = client.post(unsubscribe, data={"csrf_token": csrf_from(page)})
    done = client.get(response.headers["Location"])
    html = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "nieuwe data van dit congres" in html and "deze opleiding" not in html
    assert "Terug naar Congres Zorg en Veiligheid" in html


def test_enrolment_mails_greet_by_first_name_only(setup_data, client, post_form, outbox):
    with setup_data():
        edition = make_edition(make_offering(), capacity=5)
        url = enrol_url(edition)
    post_form(client, url, {**VALID, "participants-0-first_name": "Piet",
                            "participants-0-last_name": "Bakker",
                            "participants-0-email": "piet@example.org"})
    confirm_by_mail(client, outbox)
    mails = [m for m in outbox() if not m.subject.startswith("Bevestig je")]
    assert [m.body_text.split("\n", 1)[0] for m in mails] == ["Beste Sanne,", "Beste Piet,"]


def test_substitute_mails_use_natural_wording_and_first_names(setup_data, client, post_form, outbox):
    with setup_data():
        edition = make_edition(make_offering(), capacity=5)
        anna = make_enrolment(edition, first_name="Anna", last_name="de Vries",
                              email="anna@example.org")
        path = "/" + manage_url(anna).split("/", 3)[3]
    response = post_form(client, path + "/vervanger", {
        "first_name": "Piet", "last_name": "Jansen", "email": "piet@example.org"}, page=path)
    assert response.status_code == 303
    [new] = outbox("piet@example.org")
    assert new.body_text.startswith("Beste Piet,\n")
    assert "De plaats van Anna de Vries is aan jou overgedragen." in new.body_text
    assert "zijn of haar" not in new.body_text
    [old] = outbox("anna@example.org")
    assert old.body_text.startswith("Beste Anna,\n")
    assert not re.search(r"Beste [^,\n]+ [^,\n]+,", old.body_text)
