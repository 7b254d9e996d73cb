"""The staff enrolment list shows seats held for an unconfirmed booking in Dutch, and its
figures agree with the public page (held seats are taken seats)."""
from __future__ import annotations

from sbo.extensions import db
from tests.enrolment.helpers import enrol_url
from tests.factories import make_edition, make_enrolment, make_offering


def test_held_seats_are_listed_and_counted_like_the_public_page(setup_data, client, logged_in):
    with setup_data():
        edition = make_edition(make_offering(), capacity=10)
        make_enrolment(edition, first_name="Bevestigd", last_name="Een")
        make_enrolment(edition, "held", first_name="Vastgehouden", last_name="Twee")
        make_enrolment(edition, "waiting", first_name="Wachtend", last_name="Drie")
        edition_id, url = edition.id, enrol_url(edition)
    staff, _ = logged_in("editor")
    page = staff.get(f"/beheer/edities/{edition_id}/inschrijvingen").get_data(as_text=True)
    assert "Onbevestigd (vastgehouden tot " in page
    assert page.index("Bevestigd Een") < page.index("Vastgehouden Twee") < page.index("Wachtend Drie")
    assert '<span class="staff-stat-number">2</span> van 10 plaatsen bezet' in page
    assert "(1 bevestigd, 1 onbevestigd; nog 8 vrij)" in page
    assert "nog 8 vrij" in client.get(url).get_data(as_text=True)


def test_demo_full_edition_reads_full_for_staff_and_public(app, client, runner, logged_in):
    """Before: the demo set seats_taken without enrolments, so staff read "0 bevestigd van 18"
    where the public page said "Vol"."""
    from sqlalchemy import select

    from sbo.catalogue.models import Edition, Offering
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        edition = db.session.scalars(
            select(Edition).join(Offering).where(Offering.slug == "aanpak-complexe-woonoverlast")
            .order_by(Edition.start_date)).first()
        edition_id, capacity = edition.id, edition.capacity
    staff, _ = logged_in("editor")
    page = staff.get(f"/beheer/edities/{edition_id}/inschrijvingen").get_data(as_text=True)
    assert f'<span class="staff-stat-number">{capacity}</span> van {capacity} plaatsen bezet' in page
    assert f"({capacity} bevestigd; vol)" in page
    assert '<span class="staff-stat-number">2</span> op de wachtlijst' in page
    assert "Vol" in client.get("/aanbod/aanpak-complexe-woonoverlast").get_data(as_text=True)
