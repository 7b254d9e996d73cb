"""What adding or cancelling an edition in /beheer means for people: interested people hear
about a new edition (once), participants of a cancelled edition are told and cancelled."""
from __future__ import annotations

from sqlalchemy import select

from sbo import clock
from sbo.catalogue.models import Edition
from sbo.enrolment.models import Enrolment, InterestNotification, InterestRegistration
from sbo.extensions import db
from tests.factories import make_edition, make_enrolment, make_offering
from tests.staff.conftest import audit_actions

FORM = {"dates": "07-04-2027", "start_time": "10:00", "end_time": "17:00", "venue": "Jaarbeurs",
        "city": "Utrecht", "capacity": "16", "price_override": ""}


def test_a_new_edition_notifies_active_interested_people_once(app, logged_in, post_form, outbox):
    with app.app_context():
        offering = make_offering(title="Bestuursrecht", slug="bestuursrecht")
        other = make_offering(title="Iets anders")
        for email, status, target in [("actief@example.org", "active", offering),
                                      ("onbevestigd@example.org", "pending", offering),
                                      ("afgemeld@example.org", "unsubscribed", offering),
                                      ("ander@example.org", "active", other)]:
            db.session.add(InterestRegistration(offering=target, name="Iemand", email=email, status=status))
        db.session.commit()
        offering_id = offering.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", FORM)
    assert response.status_code == 302
    assert "1 geïnteresseerde krijgt een bericht." in client.get(response.location).get_data(as_text=True)
    mails = outbox()
    assert [(m.to_addr, m.subject) for m in mails] == [("actief@example.org", "Nieuwe datum: Bestuursrecht")]
    assert "List-Unsubscribe" in mails[0].headers
    # a second edition is news too, but the first is never announced twice
    post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", {**FORM, "dates": "12-05-2027"})
    with app.app_context():
        notifications = db.session.execute(
            select(InterestNotification.edition_id, Edition.start_date)
            .join(Edition, Edition.id == InterestNotification.edition_id)).all()
        edition_ids = db.session.scalars(select(Edition.id).where(Edition.offering_id == offering_id)).all()
    assert len(notifications) == 2 and len({n.edition_id for n in notifications}) == 2
    assert [m.to_addr for m in outbox()] == ["actief@example.org"] * 2
    assert audit_actions(app, "edition", edition_ids[0]) == ["edition.created"]


def test_bad_edition_input_notifies_nobody(app, logged_in, post_form, outbox):
    with app.app_context():
        offering = make_offering()
        db.session.add(InterestRegistration(offering=offering, name="Iemand", email="a@example.org", status="active"))
        db.session.commit()
        offering_id = offering.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", {**FORM, "dates": "31-02-2027"})
    assert response.status_code == 422
    assert outbox() == []


def test_an_edition_with_zero_places_is_refused_and_announced_to_nobody(app, logged_in, post_form, outbox):
    """Issue 11: staff could add an edition with 0 places, and interested people were mailed."""
    with app.app_context():
        offering = make_offering()
        db.session.add(InterestRegistration(offering=offering, name="Iemand", email="a@example.org",
                                            status="active"))
        db.session.commit()
        offering_id = offering.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", {**FORM, "capacity": "0"})
    assert response.status_code == 422
    assert "Een editie heeft minstens 1 en hoogstens 10.000 plaatsen." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Edition)).all() == []
        assert db.session.scalars(select(InterestNotification)).all() == []
    assert outbox() == []


def test_only_an_edition_people_can_enrol_in_is_announced(app, outbox):
    from datetime import date, timedelta
    from sbo.enrolment.interest import notify_interested
    with app.app_context():
        offering = make_offering()
        db.session.add(InterestRegistration(offering=offering, name="Iemand", email="a@example.org",
                                            status="active"))
        hidden = make_offering(published=False)
        db.session.add(InterestRegistration(offering=hidden, name="Iemand", email="a@example.org",
                                            status="active"))
        editions = [make_edition(offering, capacity=0), make_edition(offering, status="geannuleerd"),
                    make_edition(offering, status="vol"),
                    make_edition(offering, start_date=clock.today() - timedelta(days=1)),
                    make_edition(hidden)]
        assert [notify_interested(edition) for edition in editions] == [0, 0, 0, 0, 0]
        assert notify_interested(make_edition(offering)) == 1
        db.session.commit()
    assert len(outbox()) == 1


def test_one_mail_per_address_per_new_edition(app, logged_in, post_form, outbox):
    """Issue 11: the same person got two mails for one new edition (registered twice, in two
    spellings of their address)."""
    with app.app_context():
        offering = make_offering(title="Bestuursrecht")
        for email in ["Piet@Example.org", "piet@example.org", "PIET@example.org", "ander@example.org"]:
            db.session.add(InterestRegistration(offering=offering, name="Piet", email=email, status="active"))
        db.session.commit()
        offering_id = offering.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/aanbod/{offering_id}/edities/nieuw", FORM)
    assert "2 geïnteresseerden krijgen een bericht." in client.get(response.location).get_data(as_text=True)
    assert sorted(m.to_addr.lower() for m in outbox()) == ["ander@example.org", "piet@example.org"]
    with app.app_context():  # a second run (or a later batch) adds nobody
        from sbo.enrolment.interest import notify_interested
        edition = db.session.scalars(select(Edition)).one()
        db.session.add(InterestRegistration(offering_id=offering_id, name="Piet", email="piet@EXAMPLE.org",
                                            status="active"))
        assert notify_interested(edition) == 0
        db.session.commit()
    assert len(outbox()) == 2


def test_cancelling_an_edition_tells_confirmed_and_waiting_people(app, setup_data, logged_in, post_form, outbox):
    with setup_data():
        offering = make_offering(title="Crisiscommunicatie")
        edition = make_edition(offering, capacity=2)
        confirmed = [make_enrolment(edition, "confirmed", email=f"zit{n}@example.org").id for n in range(2)]
        waiting = make_enrolment(edition, "waiting", email="wacht@example.org").id
        gone = make_enrolment(edition, "cancelled", email="weg@example.org").id
        other = make_edition(offering, capacity=5)
        untouched = make_enrolment(other, "confirmed", email="ander@example.org").id
        edition_id, offering_id, other_id = edition.id, offering.id, other.id
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/edities/{edition_id}/annuleren", {},
                         page=f"/beheer/aanbod/{offering_id}")
    assert response.status_code == 302
    assert "3 deelnemers krijgen een bericht." in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        statuses = {e.id: (e.status, e.cancelled_by_staff) for e in db.session.scalars(select(Enrolment))}
        edition = db.session.get(Edition, edition_id)
        assert (edition.status, edition.seats_taken) == ("geannuleerd", 0)
        assert db.session.get(Edition, other_id).seats_taken == 1
    for enrolment_id in confirmed + [waiting]:
        assert statuses[enrolment_id] == ("cancelled", True)
    assert statuses[gone][0] == "cancelled" and statuses[untouched] == ("confirmed", False)
    mails = outbox()
    assert sorted(m.to_addr for m in mails) == ["wacht@example.org", "zit0@example.org", "zit1@example.org"]
    assert all(m.subject.startswith("Geannuleerd: Crisiscommunicatie op ") for m in mails)
    assert "wachtlijst" in next(m.body_text for m in mails if m.to_addr == "wacht@example.org")
    assert audit_actions(app, "edition", edition_id) == ["edition.cancelled"]

    # cancelling again does nothing and mails nobody
    post_form(client, f"/beheer/edities/{edition_id}/annuleren", {}, page=f"/beheer/aanbod/{offering_id}")
    assert len(outbox()) == 3
    assert audit_actions(app, "edition", edition_id) == ["edition.cancelled"]
