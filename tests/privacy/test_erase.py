"""Erasure (AVG art. 17), the proof of issue 13: for one address, post an enrolment with a
colleague, a waiting-list place, an interest registration and a comment through the real forms;
export; erase; then scan every text and JSON column of every table and the instance mail folder.
The address is left only in the kept invoice data of a past booking; the freed seat went to the
first person waiting, and the next person waiting moved up. Runs on PostgreSQL too
(DATABASE_URL)."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, select

from sbo import clock, personal_data
from sbo.audit import AuditEntry
from sbo.catalogue.models import Edition
from sbo.enrolment.models import Booking, Enrolment, EnrolmentStatus
from sbo.enrolment.queries import waiting_position
from sbo.extensions import db
from sbo.mail import drain
from sbo.news.models import Comment
from sbo.news.personal_data import ERASED_TEXT
from sbo.staff.models import LoginAttempt
from tests.enrolment.helpers import VALID, confirm_by_mail, enrol_url, link_from
from tests.factories import make_article, make_edition, make_enrolment, make_offering
from tests.helpers import csrf_from, form_values

ADDRESS = "sanne@gemeente.example"


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0)


@pytest.fixture
def world(app):
    """The editions and article; a past booking of ADDRESS (invoice data the law keeps)."""
    with app.app_context():
        today = clock.today()
        small = make_edition(make_offering(title="Crisisbeheersing", slug="crisisbeheersing"),
                             start_date=today + timedelta(days=60), capacity=2)
        full = make_edition(make_offering(title="Wijkaanpak", slug="wijkaanpak"),
                            start_date=today + timedelta(days=80), capacity=1)
        make_enrolment(full, email="eerste@gemeente.example")
        interest = make_offering(title="Omgevingswet", slug="omgevingswet")
        past = make_edition(make_offering(title="Archiefwet"), start_date=today - timedelta(days=100))
        old = make_enrolment(past, email=ADDRESS, first_name="Sanne")
        old.booking.phone = "0612345678"
        article = make_article(title="Woonoverlast", slug="woonoverlast")
        db.session.commit()
        return {"small": small.id, "full": full.id, "slug_small": small.offering.slug,
                "slug_full": full.offering.slug, "interest": interest.slug, "article": article.slug,
                "past_booking": old.booking_id}


def book(client, post_form, outbox, slug, edition_id, email, first_name, form="inschrijven", **extra):
    data = {**VALID, "email": email, "first_name": first_name, **extra}
    response = post_form(client, f"/aanbod/{slug}/{form}/{edition_id}", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    confirm_by_mail(client, outbox, booker=email, latest=True)


def post_everything(app, client, post_form, outbox, world):
    colleague = {"participants-0-first_name": "Piet", "participants-0-last_name": "Bos",
                 "participants-0-email": "piet@gemeente.example"}
    book(client, post_form, outbox, world["slug_small"], world["small"], ADDRESS, "Sanne", **colleague)
    book(client, post_form, outbox, world["slug_small"], world["small"], "wim@gemeente.example", "Wim",
         form="wachtlijst")
    book(client, post_form, outbox, world["slug_full"], world["full"], ADDRESS, "Sanne", form="wachtlijst")
    book(client, post_form, outbox, world["slug_full"], world["full"], "ria@gemeente.example", "Ria",
         form="wachtlijst")
    response = post_form(client, f"/aanbod/{world['interest']}/interesse",
                         {"name": "Sanne de Vries", "email": ADDRESS, "preferred_city": "Utrecht",
                          "preferred_month": ""})
    assert response.status_code == 303
    html = client.get(f"/nieuws/{world['article']}").get_data(as_text=True)
    response = client.post(f"/nieuws/{world['article']}/reageren", data={
        **form_values(client, html), "homepage": "",
        "body": "Goed stuk! Mail me gerust.", "author_name": "Sanne de Vries", "author_email": ADDRESS,
        "author_url": "https://sanne.example"})
    assert response.status_code in (302, 303)
    with app.app_context():
        db.session.add(LoginAttempt(email=ADDRESS, ip="192.0.2.7"))
        # an entry from before the audit log was structured (migration audit_0001)
        db.session.add(AuditEntry(action="enrolment.cancelled", object_type="enrolment", object_id=1,
                                  data={"text": f"Sanne de Vries <{ADDRESS}>"}))
        db.session.commit()
        drain()  # the mail goes out: .eml files in instance/mail


def open_overview(app, client, outbox):
    page = client.get("/mijn-gegevens")
    client.post("/mijn-gegevens", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "email": ADDRESS})
    [message] = [m for m in outbox(ADDRESS) if "/mijn-gegevens/link/" in m.body_text]
    link = link_from(message.body_text, "/mijn-gegevens/link/")
    page = client.get(link)
    response = client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/mijn-gegevens/overzicht"
    return link


def holders(app) -> set[tuple[str, int | None]]:
    """(table, id) of every row with ADDRESS in any text or JSON column."""
    found = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
            if not columns:
                continue
            key = table.c.get("id")
            for row in db.session.execute(select(table)).mappings():
                for column in columns:
                    value = row[column.name]
                    text = json.dumps(value) if isinstance(column.type, JSON) else (value or "")
                    if ADDRESS in str(text).lower():
                        found.add((table.name, row[key.name] if key is not None else None))
    return found


def mail_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "mail"
    return [path for path in folder.glob("*.eml") if ADDRESS.encode() in path.read_bytes().lower()]


def test_erase_leaves_the_address_only_in_kept_invoice_data(app, client, post_form, outbox, world):
    post_everything(app, client, post_form, outbox, world)
    link = open_overview(app, client, outbox)

    export = client.get("/mijn-gegevens/gegevens.json").get_json()["gegevens"]
    assert {row["opleiding"] for row in export["Boekingen"]} == {"Crisisbeheersing", "Wijkaanpak", "Archiefwet"}
    enrolments = {(row["opleiding"], row["status"]) for row in export["Inschrijvingen en wachtlijstplaatsen"]}
    assert {("Crisisbeheersing", "Bevestigd"), ("Wijkaanpak", "Wachtlijst")} <= enrolments
    assert [row["opleiding"] for row in export["Houd mij op de hoogte"]] == ["Omgevingswet"]
    assert [row["tekst"] for row in export["Reacties"]] == ["Goed stuk! Mail me gerust."]
    assert export["E-mails aan jou"] and export["Mislukte inlogpogingen"]
    assert export["Logboek van medewerkers (oude vrije tekst)"]
    assert holders(app) and mail_files(app)

    [received] = [m for m in outbox(ADDRESS) if m.subject.startswith("Bevestiging van je inschrijving")]
    manage = link_from(received.body_text, "/inschrijving/")
    assert client.get(manage).status_code == 200

    overview = client.get("/mijn-gegevens/overzicht").get_data(as_text=True)
    assert 'href="/mijn-gegevens/verwijderen"' in overview
    step = client.get("/mijn-gegevens/verwijderen")
    html = step.get_data(as_text=True)
    assert step.status_code == 200
    assert "Je inschrijving voor Crisisbeheersing" in html and "wordt geannuleerd: kosteloos." in html
    assert "Je plaats op de wachtlijst voor Wijkaanpak" in html
    assert "Je aanmelding „Houd mij op de hoogte” voor Omgevingswet wordt verwijderd." in html
    assert "Je collega&#39;s blijven ingeschreven voor Crisisbeheersing" in html
    assert "boeking voor Archiefwet" in html and "zeven jaar bewaren" in html
    assert 'name="comment_text"' in html  # the person chooses what happens to the text

    response = client.post("/mijn-gegevens/verwijderen",
                           data={"csrf_token": csrf_from(html), "comment_text": "keep"})
    assert response.status_code == 303 and response.headers["Location"] == "/mijn-gegevens/verwijderd"
    done = client.get("/mijn-gegevens/verwijderd").get_data(as_text=True)
    assert "Je gegevens zijn verwijderd" in done and "Geannuleerde inschrijvingen en wachtlijstplaatsen" in done
    assert "De factuurgegevens van 1 afgelopen boeking" in done

    # the link and the overview are spent, and so are the personal links in the mails
    assert client.get(link).status_code == 410
    assert client.get("/mijn-gegevens/overzicht").headers["Location"] == "/mijn-gegevens"
    assert client.get("/mijn-gegevens/verwijderen").headers["Location"] == "/mijn-gegevens"
    assert "Deze link klopt niet" in client.get(manage).get_data(as_text=True)
    with app.app_context():
        drain()  # what the erasure queued (the offer mail) goes out too

    assert holders(app) == {("booking", world["past_booking"])}
    assert mail_files(app) == []
    with app.app_context():
        past = db.session.get(Booking, world["past_booking"])
        assert (past.email, past.organisation, past.phone) == (ADDRESS, "Gemeente Testdorp", "")
        small = db.session.get(Edition, world["small"])
        people = {e.email: e.status for e in db.session.scalars(
            select(Enrolment).where(Enrolment.edition_id == small.id))}
        assert people["piet@gemeente.example"] == EnrolmentStatus.CONFIRMED
        assert people["wim@gemeente.example"] == EnrolmentStatus.OFFERED
        assert small.seats_taken == 2  # the freed seat is held for Wim, first on the waiting list
        [ria] = db.session.scalars(select(Enrolment).where(Enrolment.email == "ria@gemeente.example"))
        assert waiting_position(ria) == 1
        [comment] = db.session.scalars(select(Comment))
        assert (comment.author_name, comment.author_email, comment.author_url, comment.ip_address) == \
            ("Anoniem", "", None, None)
        assert comment.body == "Goed stuk! Mail me gerust."
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data.erased"))
        assert entry.data["via"] == "link" and entry.data["counts"]["enrolment_cancelled"] == 2
        assert entry.data["counts"]["interest_deleted"] == 1 and entry.data["counts"]["comment_anonymised"] == 1
        assert entry.data["counts"]["link_revoked"] >= 2
        [old] = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "enrolment",
                                                            AuditEntry.object_id == 1))
        assert (old.action, old.data) == ("enrolment.cancelled", {})  # the action stays, the text goes

    # the kept invoice data goes when its period is over (the daily retention command)
    with app.app_context():
        later = clock.utcnow() + timedelta(days=int(app.config["RETENTION_DAYS"]["enrolment_invoice"]))
        personal_data.purge(later)
        db.session.commit()
    assert holders(app) == set()


def test_every_provider_erases_and_labels_what_it_counts(app):
    """A new domain cannot forget to join: each provider implements erase(), and every kind it
    counts has a Dutch label for the page after the erasure."""
    with app.app_context():
        for provider in personal_data.load():
            assert type(provider).erase is not personal_data.Provider.erase, provider.name
            counts = provider.erase("niemand@voorbeeld.nl", keep_comment_text=True)
            assert set(counts) <= set(provider.erased), provider.name
        db.session.rollback()


def test_the_comment_text_can_be_replaced_and_a_typed_address_goes(app, setup_data, client, outbox):
    from tests.factories import make_comment
    with setup_data():
        article = make_article()
        make_comment(article, author_email=ADDRESS, body="Eerste.")
        make_comment(article, author_email="ander@voorbeeld.nl", body=f"Vraag het {ADDRESS.upper()}!")
    open_overview(app, client, outbox)
    html = client.get("/mijn-gegevens/verwijderen").get_data(as_text=True)
    response = client.post("/mijn-gegevens/verwijderen",
                           data={"csrf_token": csrf_from(html), "comment_text": "replace"})
    assert response.status_code == 303
    with app.app_context():
        bodies = db.session.scalars(select(Comment.body).order_by(Comment.id)).all()
    assert bodies == [ERASED_TEXT, "Vraag het [e-mailadres verwijderd]!"]
    assert holders(app) == set()


def test_the_erase_step_needs_the_overview_and_csrf(app, client):
    assert client.get("/mijn-gegevens/verwijderen").headers["Location"] == "/mijn-gegevens"
    assert client.post("/mijn-gegevens/verwijderen", data={"comment_text": "keep"}).status_code in (303, 400)
    assert client.get("/mijn-gegevens/verwijderd").headers["Location"] == "/mijn-gegevens"
