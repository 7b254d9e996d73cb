"""Enrolments per edition in /beheer: the list in order, cancelling (offers the seat and mails), the
CSV export for Dutch Excel; interest registrations per offering."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sbo.catalogue.models import Edition
from sbo.enrolment.models import Enrolment, InterestRegistration
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering
from tests.staff.helpers import audit_actions


def _edition(app, capacity=2, confirmed=2, waiting=2, cancelled=1):
    """An edition with (by creation order) confirmed, waiting and cancelled enrolments."""
    with app.app_context():
        offering = make_offering(title="Omgevingswet in de praktijk", slug="omgevingswet")
        edition = make_edition(offering, capacity=capacity, start_date=date(2027, 4, 7), city="Utrecht")
        people = {}
        for n in range(cancelled):
            people[f"c{n}"] = make_enrolment(edition, "cancelled", first_name="Geannuleerd", last_name=str(n),
                                             email=f"weg{n}@example.org").id
        for n in range(confirmed):
            people[f"b{n}"] = make_enrolment(edition, "confirmed", first_name="Bevestigd", last_name=str(n),
                                             email=f"bevestigd{n}@example.org").id
        for n in range(waiting):
            people[f"w{n}"] = make_enrolment(edition, "waiting", first_name="Wachtend", last_name=str(n),
                                             email=f"wacht{n}@example.org").id
        db.session.commit()
        return edition.id, offering.id, people


def _status(app, enrolment_id):
    with app.app_context():
        return db.session.get(Enrolment, enrolment_id).status


def test_the_list_shows_confirmed_then_waiting_in_order_then_cancelled(app, logged_in):
    edition_id, offering_id, _ = _edition(app)
    client, _ = logged_in("editor")
    response = client.get(f"/beheer/edities/{edition_id}/inschrijvingen")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    order = [page.index(name) for name in ("Bevestigd 0", "Bevestigd 1", "Wachtend 0", "Wachtend 1", "Geannuleerd 0")]
    assert order == sorted(order)
    assert "Wachtlijst, plaats 1" in page and "Wachtlijst, plaats 2" in page
    assert '<span class="staff-stat-number">2</span> van 2 plaatsen bezet' in page
    assert "(2 bevestigd; vol)" in page
    assert '<span class="staff-stat-number">1</span> geannuleerd' in page
    # linked from the offering page
    offering_page = client.get(f"/beheer/aanbod/{offering_id}").get_data(as_text=True)
    assert f'href="/beheer/edities/{edition_id}/inschrijvingen"' in offering_page
    assert f'href="/beheer/aanbod/{offering_id}/belangstelling"' in offering_page
    edition_page = client.get(f"/beheer/edities/{edition_id}").get_data(as_text=True)
    assert f'href="/beheer/edities/{edition_id}/inschrijvingen"' in edition_page


def test_cancelling_asks_first_then_offers_the_seat_to_the_first_waiting_and_mails(app, logged_in, post_form, outbox):
    edition_id, _, people = _edition(app)
    client, _ = logged_in("editor")
    url = f"/beheer/inschrijvingen/{people['b0']}/annuleren"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ja, annuleer deze inschrijving" in confirm.get_data(as_text=True)
    assert _status(app, people["b0"]) == "confirmed"  # the GET changed nothing

    response = post_form(client, url, {})
    assert response.status_code == 302
    assert response.location == f"/beheer/edities/{edition_id}/inschrijvingen"
    assert _status(app, people["b0"]) == "cancelled"
    assert _status(app, people["w0"]) == "offered" and _status(app, people["w1"]) == "waiting"
    with app.app_context():
        assert db.session.get(Edition, edition_id).seats_taken == 2
    assert [m.subject for m in outbox("bevestigd0@example.org")] == [
        "Je inschrijving is geannuleerd: Omgevingswet in de praktijk"]
    assert [m.subject for m in outbox("wacht0@example.org")] == [
        "Er is een plaats voor je vrij: Omgevingswet in de praktijk"]
    assert outbox("wacht1@example.org") == []
    page = client.get(response.location).get_data(as_text=True)
    assert "De vrijgekomen plaats is aangeboden aan Wachtend 0" in page
    assert audit_actions(app, "enrolment", people["b0"]) == ["enrolment.cancelled"]

    again = post_form(client, url, {}, page=f"/beheer/edities/{edition_id}/inschrijvingen")
    assert again.status_code == 302
    assert "was al geannuleerd" in client.get(again.location).get_data(as_text=True)
    assert audit_actions(app, "enrolment", people["b0"]) == ["enrolment.cancelled"]


def test_csv_export_opens_in_dutch_excel(app, logged_in):
    edition_id, _, people = _edition(app, cancelled=1)
    with app.app_context():
        booking = db.session.get(Enrolment, people["b0"]).booking
        booking.organisation = "=HYPERLINK(\"http://kwaad.example\")"
        booking.po_number, booking.cost_centre = "+31-PO", "@kosten"
        booking.invoice_address, booking.invoice_postcode, booking.invoice_city = "Postbus 1; afd. \"Inkoop\"", "3500 AA", "Utrecht"
        booking.remarks = "-lunch graag vegetarisch"
        db.session.get(Enrolment, people["b0"]).created_at = datetime(2027, 1, 5, 10, 0)
        db.session.commit()
    client, _ = logged_in("editor")
    response = client.get(f"/beheer/edities/{edition_id}/inschrijvingen.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="inschrijvingen-omgevingswet-2027-04-07.csv"'
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n") == 1 + 5 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    assert header[:5] == ["Status", "Wachtlijstpositie", "Voornaam", "Achternaam", "E-mailadres"]
    assert "Boeking: ordernummer" in header and "Boeking: kostenplaats" in header
    data = [dict(zip(header, row)) for row in rows[1:]]
    assert [(r["Status"], r["Voornaam"], r["Achternaam"], r["Wachtlijstpositie"]) for r in data] == [
        ("Bevestigd", "Bevestigd", "0", ""), ("Bevestigd", "Bevestigd", "1", ""),
        ("Wachtlijst", "Wachtend", "0", "1"), ("Wachtlijst", "Wachtend", "1", "2"),
        ("Geannuleerd", "Geannuleerd", "0", "")]
    first = data[0]
    assert first["Boeking: organisatie"] == "'=HYPERLINK(\"http://kwaad.example\")"
    assert first["Boeking: ordernummer"] == "'+31-PO" and first["Boeking: kostenplaats"] == "'@kosten"
    assert first["Boeking: opmerkingen"] == "'-lunch graag vegetarisch"
    assert first["Boeking: factuuradres"] == "Postbus 1; afd. \"Inkoop\"" and first["Boeking: postcode"] == "3500 AA"
    assert first["Ingeschreven op"] == "05-01-2027"
    assert '"Postbus 1; afd. ""Inkoop"""' in text  # quoted because of the ; and the quotes
    assert audit_actions(app, "edition", edition_id) == ["enrolments.exported"]


def test_interest_list_and_csv(app, logged_in):
    with app.app_context():
        offering = make_offering(title="Wet open overheid", slug="woo")
        for n, (name, status) in enumerate([("Ans", "active"), ("=Bert", "pending"), ("Cor", "unsubscribed")]):
            db.session.add(InterestRegistration(offering=offering, name=name, email=f"i{n}@example.org",
                                                status=status, preferred_city="Zwolle" if n == 0 else "",
                                                preferred_month="2027-03" if n == 0 else "",
                                                created_at=datetime(2027, 1, 10 + n)))
        db.session.commit()
        offering_id = offering.id
    client, _ = logged_in("editor")
    page = client.get(f"/beheer/aanbod/{offering_id}/belangstelling").get_data(as_text=True)
    assert "Ans" in page and "Zwolle, 03-2027" in page and "Nog niet bevestigd" in page and "Afgemeld" in page
    response = client.get(f"/beheer/aanbod/{offering_id}/belangstelling.csv")
    assert response.status_code == 200
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["Naam", "E-mailadres", "Status"]
    assert [row[:3] for row in rows[1:]] == [["Cor", "i2@example.org", "Afgemeld"],
                                            ["'=Bert", "i1@example.org", "Nog niet bevestigd"],
                                            ["Ans", "i0@example.org", "Actief"]]
    assert rows[3][3:6] == ["Zwolle", "03-2027", "10-01-2027"]
    assert audit_actions(app, "offering", offering_id) == ["interest.exported"]


def test_unknown_edition_is_404(logged_in):
    client, _ = logged_in("editor")
    assert client.get("/beheer/edities/999/inschrijvingen").status_code == 404
    assert client.get("/beheer/edities/999/inschrijvingen.csv").status_code == 404
    assert client.get("/beheer/inschrijvingen/999/annuleren").status_code == 404


def test_no_enrolments_yet(app, logged_in):
    edition_id, _, _ = _edition(app, confirmed=0, waiting=0, cancelled=0)
    client, _ = logged_in("editor")
    response = client.get(f"/beheer/edities/{edition_id}/inschrijvingen")
    assert response.status_code == 200
    assert "Voor deze editie heeft nog niemand zich ingeschreven." in response.get_data(as_text=True)


def test_csv_gives_each_participant_their_own_data_and_the_booking_in_booking_columns(
        setup_data, client, post_form, logged_in):
    """Issue 11: the booker's phone, job title and remarks were copied onto every colleague's row."""
    from sbo.enrolment.models import Booking
    from tests.enrolment.helpers import enrol_url
    with setup_data():
        edition = make_edition(make_offering(slug="omgevingswet"), capacity=10)
        url, edition_id = enrol_url(edition), edition.id
    response = post_form(client, url, {
        "first_name": "Sanne", "last_name": "de Vries", "email": "sanne@gemeente.example",
        "phone": "030 123 45 67", "organisation": "Gemeente Utrecht", "job_title": "Beleidsadviseur",
        "invoice_address": "Postbus 16200", "invoice_postcode": "3500 CE", "invoice_city": "Utrecht",
        "po_number": "PO-77", "cost_centre": "KP-12", "remarks": "Vegetarische lunch voor Sanne",
        "participants-0-first_name": "Kees", "participants-0-last_name": "Collega",
        "participants-0-email": "kees@gemeente.example", "terms": "y", "join_waiting_list": "y"})
    assert response.status_code == 303
    staff, _ = logged_in("editor")
    text = staff.get(f"/beheer/edities/{edition_id}/inschrijvingen.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, data = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]
    assert len(data) == 2  # one row per participant
    sanne, kees = data
    assert (sanne["Voornaam"], sanne["E-mailadres"], sanne["Telefoon"], sanne["Functie"]) == (
        "Sanne", "sanne@gemeente.example", "030 123 45 67", "Beleidsadviseur")
    assert (kees["Voornaam"], kees["E-mailadres"], kees["Telefoon"], kees["Functie"]) == (
        "Kees", "kees@gemeente.example", "", "")
    for row in (sanne, kees):  # the booking's data, in columns that say so
        assert row["Boeking: geboekt door"] == "Sanne de Vries"
        assert row["Boeking: e-mailadres boeker"] == "sanne@gemeente.example"
        assert row["Boeking: organisatie"] == "Gemeente Utrecht"
        assert (row["Boeking: factuuradres"], row["Boeking: postcode"], row["Boeking: plaats"]) == (
            "Postbus 16200", "3500 CE", "Utrecht")
        assert (row["Boeking: ordernummer"], row["Boeking: kostenplaats"]) == ("PO-77", "KP-12")
        assert row["Boeking: opmerkingen"] == "Vegetarische lunch voor Sanne"
    assert sanne["Boeking: nummer"] == kees["Boeking: nummer"] != ""
    booking_columns = [name for name in header if name.startswith("Boeking: ")]
    own_columns = [name for name in header if not name.startswith("Boeking: ")]
    assert not {"Organisatie", "Opmerkingen", "Kostenplaats"} & set(own_columns)
    assert len(booking_columns) == 10
