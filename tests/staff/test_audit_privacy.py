"""Issue 14 item 5: every audited staff action, run through the test client, writes an entry
with the object's id and structured data, and no audit_entry row holds an e-mail address or the
name of a participant, a commenter or a staff member (every column is scanned)."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import select, text

from sbo.audit import LABELS, AuditEntry
from sbo.clock import utcnow
from sbo.extensions import db
from sbo.mail import deliver_pending, queue_mail
from sbo.enrolment.models import InterestRegistration
from sbo.incompany.models import IncompanyRequest
from sbo.staff.models import StaffUser
from tests.factories import STAFF_PASSWORD, make_article, make_comment, make_edition, make_enrolment, make_offering, make_staff
from tests.helpers import csrf_from
from tests.staff.helpers import login
from tests.staff.test_content import _form as article_form
from tests.staff.test_content_documents import PDF
from tests.staff.test_editions import _form as edition_form
from tests.staff.test_offer import _offering_form as offering_form

NEW_PASSWORD = "een-heel-nieuw-wachtwoord"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Names of people in the data below; none may reach the log.
PEOPLE = ("Jan", "Jansen", "Wim", "Wachter", "Anna", "Goed", "Bea", "Belang", "Medewerker", "Nina",
          "Redactie")


def _setup(app):
    with app.app_context():
        offering = make_offering(title="Omgevingswet", slug="omgevingswet")
        cancelled = make_edition(offering, capacity=2, start_date=date(2027, 4, 7), city="Utrecht")
        make_enrolment(cancelled, first_name="Jan", last_name="Jansen", email="jan@voorbeeld.nl")
        full = make_edition(offering, capacity=1, start_date=date(2027, 5, 12), city="Zwolle")
        seated = make_enrolment(full, first_name="Jan", last_name="Jansen", email="jan.j@voorbeeld.nl")
        make_enrolment(full, "waiting", first_name="Wim", last_name="Wachter", email="wim@voorbeeld.nl")
        wil = make_enrolment(full, "waiting", first_name="Wil", last_name="Wachter", email="wil@voorbeeld.nl")
        db.session.add(InterestRegistration(offering=offering, name="Bea Belang", email="bea@voorbeeld.nl",
                                            status="active", preferred_city="Utrecht"))
        article = make_article(title="Wijkaanpak", slug="wijkaanpak")
        comment = make_comment(article, "pending", author_name="Anna Goed", author_email="anna@voorbeeld.nl")
        to_delete = make_comment(article, "approved", author_name="Anna Goed", author_email="anna@voorbeeld.nl")
        make_comment(article, "approved", parent=to_delete, author_name="Wim Wachter", author_email="wim@voorbeeld.nl")
        to_reply = make_comment(article, "pending", author_name="Anna Goed", author_email="anna@voorbeeld.nl")
        make_comment(article, "spam", now=utcnow() - timedelta(days=60), author_name="Wim Wachter")
        admin = make_staff("admin")
        incompany = IncompanyRequest(offering=offering, organisation="Gemeente Utrecht", contact_name="Jan Jansen",
                                     email="jan@voorbeeld.nl", participants=12, question="Voor Wim Wachter en Bea")
        db.session.add(incompany)
        other = make_staff("moderator", name="Nina Nieuw", email="nina@sbo.example")
        forgetful = make_staff("editor")
        broken = queue_mail("jan@voorbeeld.nl", "Nieuwe datum", "Inhoud")
        broken.subject = "Nieuwe datum\r\nBcc: iedereen@example.org"  # cannot be sent: fails
        db.session.commit()
        deliver_pending()
        return {"offering": offering.id, "cancelled": cancelled.id, "full": full.id, "seated": seated.id,
                "wil_booking": wil.booking_id,
                "article": article.id, "comment": comment.id, "to_delete": to_delete.id,
                "to_reply": to_reply.id, "admin": admin.email, "other": other.id,
                "forgetful": forgetful.email, "broken": broken.id, "incompany": incompany.id,
                "admin_id": admin.id}


def _post(client, url, data=None, page=None, expect=(302, 303)):
    html = client.get(page or url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_from(html), **(data or {})})
    assert response.status_code in expect, (url, response.status_code)
    return response


def _run_every_audited_action(app, runner, ids, outbox):
    client = app.test_client()
    assert login(client, ids["admin"]).status_code == 302                                  # staff.logged_in
    # the offer
    response = _post(client, "/beheer/aanbod/nieuw", offering_form())                     # offering.created
    offering = int(response.location.rsplit("/", 1)[1])
    _post(client, f"/beheer/aanbod/{offering}", offering_form(price="99"))                 # offering.updated
    _post(client, f"/beheer/aanbod/{offering}/publicatie", {"publiceren": "0"},             # offering.unpublished
          page=f"/beheer/aanbod/{offering}")
    _post(client, f"/beheer/aanbod/{offering}/publicatie", {"publiceren": "1"},             # offering.republished
          page=f"/beheer/aanbod/{offering}")
    _post(client, f"/beheer/aanbod/{ids['offering']}/edities/nieuw", edition_form())        # edition.created
    _post(client, f"/beheer/edities/{ids['cancelled']}/annuleren",                          # edition.cancelled
          page=f"/beheer/aanbod/{ids['offering']}")
    _post(client, "/beheer/themas/nieuw", {"name": "Veiligheid", "description": ""})         # theme.created
    with app.app_context():
        theme = db.session.scalar(text("SELECT id FROM theme WHERE name = 'Veiligheid'"))
    _post(client, f"/beheer/themas/{theme}", {"name": "Veiligheid en zorg", "description": ""})  # theme.updated
    venue_form = {"name": "Evoluon", "street_address": "Noord Brabantlaan 1a", "postal_code": "5652 LA",
                  "city": "Eindhoven"}
    _post(client, "/beheer/locaties/nieuw", venue_form)                                     # venue.created
    with app.app_context():
        venue = db.session.scalar(text("SELECT id FROM venue WHERE name = 'Evoluon'"))
    _post(client, f"/beheer/locaties/{venue}", {**venue_form, "step_free": "y"})            # venue.updated
    _post(client, f"/beheer/locaties/{venue}/verwijderen", page=f"/beheer/locaties/{venue}")  # venue.deleted
    contact_form = {"name": "Eva Jansen", "role": "Opleidingsadviseur", "phone": "030 123 45 67"}
    _post(client, "/beheer/contactpersonen/nieuw", contact_form)                            # contact.created
    with app.app_context():
        contact = db.session.scalar(text("SELECT id FROM contact_person"))
    _post(client, f"/beheer/contactpersonen/{contact}", {**contact_form, "email": "eva@sbo.example"})  # contact.updated
    _post(client, f"/beheer/contactpersonen/{contact}/verwijderen",                         # contact.deleted
          page=f"/beheer/contactpersonen/{contact}")
    discounts = f"/beheer/aanbod/{ids['offering']}/kortingen"
    _post(client, discounts, {"kind": "group", "percent": "10", "min_participants": "3"})  # discount.created
    with app.app_context():
        discount = db.session.scalar(text("SELECT id FROM discount"))
    _post(client, f"{discounts}/{discount}/verwijderen", page=discounts)                    # discount.deleted
    register_form = {"name": "Register Integriteit", "short_name": "RI"}
    _post(client, "/beheer/registers/nieuw", register_form)                                # register.created
    with app.app_context():
        register = db.session.scalar(text("SELECT id FROM register WHERE short_name = 'RI'"))
    _post(client, f"/beheer/registers/{register}", {**register_form, "number_hint": "vijf cijfers"})  # register.updated
    accreditations = f"/beheer/aanbod/{ids['offering']}/accreditaties"
    for points in ("6", "6,5"):                                              # accreditation.added, .updated
        _post(client, accreditations, {"register_id": register, "points": points, "net_hours": "6"})
    _post(client, f"{accreditations}/{register}/verwijderen", page=accreditations)        # accreditation.removed
    # trainers and the programme of an offering
    _post(client, "/beheer/trainers/nieuw", {"name": "Bas Vermeulen", "role": "trainer"})   # trainer.created
    with app.app_context():
        trainer = db.session.scalar(text("SELECT id FROM trainer"))
    _post(client, f"/beheer/trainers/{trainer}", {"name": "Bas Vermeulen", "role": "adviseur"})  # trainer.updated
    programme = f"/beheer/aanbod/{offering}/programma"
    for title in ("Crowd management", "Evaluatie"):
        _post(client, programme, {"day": "1", "title": title})                               # programme.item_added
    with app.app_context():
        first, second = db.session.scalars(text("SELECT id FROM programme_item ORDER BY id")).all()
    _post(client, f"/beheer/programma/{second}/verplaatsen", {"richting": "omhoog"},         # programme.item_moved
          page=programme)
    _post(client, f"/beheer/programma/{first}", {"day": "2", "title": "Crowd management"})  # programme.item_changed
    _post(client, f"/beheer/programma/{first}/verwijderen", page=programme)                 # programme.item_removed
    token = csrf_from(client.get(programme).get_data(as_text=True))
    assert client.post(f"{programme}/trainers", data={"team-csrf_token": token,              # offering.trainers_changed
                                                      "team-trainers": str(trainer)}).status_code == 302
    _post(client, f"/beheer/trainers/{trainer}/verwijderen", page=f"/beheer/trainers/{trainer}")  # trainer.deleted
    # enrolments (first the presence list, while the seated participant still has a seat)
    presence = f"/beheer/edities/{ids['full']}/presentie"
    with app.app_context():
        day = db.session.scalar(text(f"SELECT min(id) FROM session_date WHERE edition_id = {ids['full']}"))
    for action in ("aanwezig", "weg", "terug"):              # attendance.arrived, .left_early, .removed
        _post(client, f"{presence}/{day}", {"deelnemer": ids["seated"], "actie": action}, page=presence)
    _post(client, f"/beheer/inschrijvingen/{ids['seated']}/annuleren")                     # enrolment.cancelled
    _post(client, f"/beheer/edities/{ids['full']}", edition_form(capacity="3"))             # edition.updated
    offers = f"/beheer/edities/{ids['full']}/aanbiedingen"
    _post(client, f"{offers}/{ids['wil_booking']}", page=offers)                          # offer.made
    assert client.get(f"/beheer/edities/{ids['full']}/inschrijvingen.csv").status_code == 200  # enrolments.exported
    assert client.get(f"/beheer/aanbod/{ids['offering']}/belangstelling.csv").status_code == 200  # interest.exported
    # in-company requests
    incompany = f"/beheer/maatwerk/{ids['incompany']}"
    _post(client, incompany, {"status": "in_progress", "owner": str(ids["admin_id"])})      # incompany.status_changed,
    #                                                                                          incompany.owner_changed
    _post(client, f"{incompany}/notitie", {"body": "Jan Jansen belt terug"}, page=incompany)  # incompany.note_added
    assert client.get("/beheer/maatwerk.csv").status_code == 200                            # incompany.exported
    # news
    response = _post(client, "/beheer/artikelen/nieuw", article_form(title="Nieuw beleid"))  # article.created
    article = int(response.location.split("/")[-2])
    _post(client, f"/beheer/artikelen/{article}", article_form(title="Nieuw beleid 2027"))  # article.updated
    _post(client, f"/beheer/artikelen/{ids['article']}/offline",                            # article.unpublished
          page=f"/beheer/artikelen/{ids['article']}")
    documents = f"/beheer/artikelen/{article}/documenten"
    _post(client, f"{documents}/bestand", {"bestand-title": "Rapport",                     # document.added
                                           "bestand-file": (io.BytesIO(PDF), "rapport.pdf")}, page=documents)
    _post(client, f"{documents}/link", {"link-title": "Kamerbrief",                        # document.added
                                        "link-url": "https://example.org/brief.pdf"}, page=documents)
    with app.app_context():
        document = db.session.scalar(text("SELECT min(id) FROM article_document"))
    _post(client, f"/beheer/documenten/{document}/verwijderen", page=documents)            # document.removed
    # comments
    queue = "/beheer/reacties"
    for slug in ("goedkeuren", "afkeuren", "spam", "geen-spam", "prullenbak", "terugzetten"):
        _post(client, f"/beheer/reacties/{ids['comment']}/{slug}", page=queue)              # comment.<each>
    detail = f"/beheer/reacties/{ids['comment']}"
    _post(client, f"{detail}/bewerken", {"body": "Andere tekst.", "author_name": "Anna Goed-Beter",  # comment.edited
                                         "author_email": "anna.goed@voorbeeld.nl", "author_url": ""},
          page=detail)
    _post(client, f"/beheer/reacties/{ids['to_reply']}/antwoorden", {"reply": "Dank, Anna!"},  # comment.replied
          page=f"/beheer/reacties/{ids['to_reply']}")
    _post(client, f"/beheer/reacties/{ids['to_delete']}/verwijderen", page=queue)           # comment.deleted
    result = runner.invoke(args=["purge-comments"])                                         # comment.purged
    assert result.exit_code == 0, result.output
    # a privacy request by letter or phone
    bea = {"email": "bea@voorbeeld.nl"}
    _post(client, "/beheer/privacy", bea, expect=(200,))                                     # personal_data.viewed
    _post(client, "/beheer/privacy/gegevens.json", bea, page="/beheer/privacy", expect=(200,))  # personal_data.exported
    _post(client, "/beheer/privacy/verwijderen", {**bea, "comment_text": "keep"},            # personal_data.erased
          page="/beheer/privacy")
    # mail and accounts
    _post(client, f"/beheer/mail/{ids['broken']}/opnieuw", page="/beheer/mail")              # mail.resent
    _post(client, "/beheer/accounts/nieuw", {"email": "nieuw@sbo.example", "name": "Nina Nieuwer",  # staff.created
                                             "role": "editor", "password": "lang-genoeg-1"})
    accounts = "/beheer/accounts"
    _post(client, f"/beheer/accounts/{ids['other']}/rol", {"role": "editor"}, page=accounts)   # staff.role_changed
    _post(client, f"/beheer/accounts/{ids['other']}/actief", {"actief": "0"}, page=accounts)   # staff.deactivated
    _post(client, f"/beheer/accounts/{ids['other']}/actief", {"actief": "1"}, page=accounts)   # staff.activated
    _post(client, f"/beheer/accounts/{ids['other']}/uitloggen", page=accounts)           # staff.logged_out_everywhere
    _post(client, f"/beheer/accounts/{ids['other']}/herstellink", page=accounts, expect=(200,))  # staff.reset_link_made
    forgot = app.test_client()
    _post(forgot, "/beheer/wachtwoord-vergeten", {"email": ids["forgetful"]})              # staff.reset_link_mailed
    [mail] = outbox(ids["forgetful"])
    path = re.search(r"(/beheer/wachtwoord-herstellen/[A-Za-z0-9_-]+)", mail.body_text).group(1)
    _post(forgot, path, {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})    # staff.password_reset
    _post(client, "/beheer/wachtwoord", {"current_password": STAFF_PASSWORD,      # staff.password_changed
                                         "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})


def test_every_audited_action_writes_ids_and_data_and_no_personal_data(app, runner, outbox):
    ids = _setup(app)
    _run_every_audited_action(app, runner, ids, outbox)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert {e.action for e in entries} == set(LABELS)  # every audited action ran
        staff_names = [name for name in db.session.scalars(select(StaffUser.name)) if name]
        rows = db.session.execute(text("SELECT * FROM audit_entry")).mappings().all()
        assert len(rows) == len(entries)
        for row in rows:
            for column, value in row.items():
                shown = str(value)
                assert not EMAIL.search(shown), (row["action"], column, shown)
                for name in (*PEOPLE, *staff_names):
                    assert name not in shown, (row["action"], column, name)
        for entry in entries:
            assert isinstance(entry.data, dict) and "text" not in entry.data, entry.action
            if entry.action.startswith("personal_data."):  # a privacy request: an id would point at the person
                assert entry.object_id is None and entry.data["via"] == "staff", entry.action
            elif entry.action == "comment.purged":  # the purge is about many comments, by id none
                assert entry.data["deleted"] >= 1
            elif entry.action == "incompany.exported":  # the export is of the whole queue
                assert entry.data["rows"] >= 1
            else:
                assert entry.object_id is not None, entry.action
        # what staff read is made from the data, as informative as before
        described = {e.action: e.description for e in entries}
        assert described["edition.cancelled"] == "Editie van 07-04-2027 geannuleerd; 1 deelnemer bericht"
        assert described["edition.created"].endswith("; 1 geïnteresseerde gemaild")
        assert described["edition.updated"].startswith("07-04-2027, 14-04-2027; Utrecht; 3 plaatsen; gewijzigd: ")
        assert described["comment.edited"] == "Gewijzigd: tekst, naam, e-mailadres"
        assert described["comment.deleted"].endswith("(met 1 directe reactie eronder)")
        assert described["enrolment.cancelled"].startswith("plaats aangeboden aan de wachtlijst: inschrijving #")
        assert described["enrolments.exported"] == "3 regels"
        assert described["personal_data.exported"] == "op verzoek per brief of telefoon; JSON; 2 onderdelen"
        assert described["personal_data.erased"].startswith("op verzoek per brief of telefoon; ")
        assert described["incompany.status_changed"] == "Nieuw → In behandeling"
        assert described["incompany.exported"] == "1 regel"
        assert described["incompany.owner_changed"] == f"niemand → account #{ids['admin_id']}"
        assert described["staff.role_changed"] == "Moderator → Redacteur"
        assert described["contact.updated"] == "gewijzigd: e-mailadres"
        assert described["discount.created"] == "Groepskorting vanaf 3 deelnemers (10 %)"
        assert "gewijzigd: prijs" in described["offering.updated"]
    page = app.test_client()
    assert login(page, ids["admin"], NEW_PASSWORD).status_code == 302
    # the log pages hold 50 entries, newest first; the run writes more than that
    html = "".join(page.get(f"/beheer/logboek?page={n}").get_data(as_text=True) for n in (1, 2, 3))
    assert "Editie van 07-04-2027 geannuleerd" in html and "Anna Goed" not in html


def test_old_free_text_is_in_my_data_and_dropped_after_its_period(app):
    """Entries from before audit_0001 keep their text, which may hold a name and address: it is
    listed for that address (/mijn-gegevens) and dropped after RETENTION_DAYS["audit_text"]."""
    from sbo import personal_data
    from sbo.audit import log_action

    with app.app_context():
        old = log_action("enrolment.cancelled", "enrolment", 7, data={"text": "Jan Jansen <Jan@Voorbeeld.nl>"})
        new = log_action("enrolment.cancelled", "enrolment", 8, data={"edition_id": 3, "promoted": []})
        db.session.commit()
        [row] = personal_data.export("jan@voorbeeld.nl")["Logboek van medewerkers (oude vrije tekst)"]
        assert row["tekst"] == "Jan Jansen <Jan@Voorbeeld.nl>" and row["wat"] == "Inschrijving geannuleerd"
        assert personal_data.export("bea@voorbeeld.nl").get("Logboek van medewerkers (oude vrije tekst)") is None
        later = utcnow() + timedelta(days=app.config["RETENTION_DAYS"]["audit_text"] + 1)
        assert personal_data.purge(later)["audit_text"] == 1
        db.session.commit()
        assert db.session.get(AuditEntry, old.id).data == {}
        assert db.session.get(AuditEntry, new.id).data == {"edition_id": 3, "promoted": []}
