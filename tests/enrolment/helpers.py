"""Shared bits for the enrolment tests."""
from __future__ import annotations

from sqlalchemy import func, select

from sbo.enrolment.models import Booking, Enrolment
from sbo.extensions import db

VALID = {
    "first_name": "Sanne", "last_name": "de Vries", "email": "sanne@gemeente.example",
    "organisation": "Gemeente Utrecht", "terms": "y", "join_waiting_list": "y",
}


def enrol_url(edition) -> str:
    return f"/aanbod/{edition.offering.slug}/inschrijven/{edition.id}"


def counts(app) -> tuple[int, int]:
    """(bookings, enrolments) in the database."""
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Booking)),
                db.session.scalar(select(func.count()).select_from(Enrolment)))


def link_from(text: str, marker: str) -> str:
    """The path of the first URL in a mail body that contains `marker`."""
    for word in text.split():
        if marker in word and word.startswith("http"):
            return "/" + word.split("/", 3)[3]
    raise AssertionError(f"no link with {marker!r} in:\n{text}")


def confirm_by_mail(client, outbox, booker: str = "sanne@gemeente.example", latest: bool = False):
    """The booker opens the link in their "Bevestig je inschrijving" mail and presses the
    button. Returns the page after the POST (followed). With `latest`, the booker may have
    several such mails (several bookings) and the newest is used."""
    requests = [m for m in outbox(booker) if m.subject.startswith("Bevestig je")]
    if latest:
        request = requests[-1]
    else:
        [request] = requests
    path = link_from(request.body_text, "/bevestigen/")
    page = client.get(path)
    assert page.status_code == 200 and "Bevestigen</button>" in page.get_data(as_text=True)
    from tests.helpers import csrf_from
    response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"])
