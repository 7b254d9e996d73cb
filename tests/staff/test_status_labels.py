"""Issue 14 item 7: one way to label statuses. Every status enum has a Dutch `.label`, templates
show them with the one `|label` filter, and the staff pages show exactly the enum's wording (before,
the comment tabs said "In afwachting" where the comment itself said "Wacht op goedkeuring")."""
from __future__ import annotations

import enum
import re
from datetime import timedelta

import pytest

from sbo.catalogue.models import EditionStatus, OfferingType
from sbo.enrolment.models import EnrolmentStatus, InterestRegistration, InterestStatus
from sbo.extensions import db
from sbo.labels import LABELLED, label
from sbo.clock import utcnow
from sbo.mail import MailStatus
from sbo.news.models import ArticleStatus, CommentStatus
from sbo.staff.models import Role
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering


def _status_enums(app) -> list[type[enum.StrEnum]]:
    """Every StrEnum the application defines (create_app has imported all of its modules)."""
    found, todo = [], list(enum.StrEnum.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("sbo."):
            found.append(cls)
    return found


def test_every_status_enum_is_registered_and_every_member_has_a_dutch_label(app):
    enums = _status_enums(app)
    assert {e.__name__ for e in enums} >= {"CommentStatus", "EnrolmentStatus", "EditionStatus",
                                          "InterestStatus", "MailStatus", "Role", "OfferingType",
                                          "ArticleStatus"}
    for cls in enums:
        assert LABELLED.get(cls.__name__) is cls, f"{cls.__name__} lacks @labelled"
        labels = [member.label for member in cls]
        for member, text in zip(cls, labels):
            assert isinstance(text, str) and text.strip() == text and text, (cls, member)
            assert text[0].isupper() and text != member.value, (cls, member, text)
        assert len(set(labels)) == len(labels), f"{cls.__name__}: two members share a label"


def test_the_label_filter_takes_a_member_or_a_stored_value_with_its_enum(app):
    assert label(CommentStatus.PENDING) == label("pending", "CommentStatus") == "Wacht op goedkeuring"
    assert label("held", "EnrolmentStatus") == EnrolmentStatus.HELD.label == "Onbevestigd"
    assert label(None, "CommentStatus") == "" and label("", "Role") == ""
    with pytest.raises(TypeError):
        label("pending")  # a plain string needs its enum: "pending" is a comment, a mail and an interest
    with app.app_context():
        render = app.jinja_env.from_string('{{ s|label("MailStatus") }} / {{ m|label }}').render
        assert render(s="failed", m=Role.EDITOR) == "Mislukt / Redacteur"


def test_staff_pages_show_the_enum_labels(app, logged_in):
    with app.app_context():
        article = make_article(title="Nieuwe aanpak")
        for status in CommentStatus:
            make_comment(article, status.value, body=f"Reactie {status.value}")
        offering = make_offering(title="Wet open overheid")
        edition = make_edition(offering, capacity=10)
        full = make_edition(offering, status="vol")
        for n, status in enumerate(EnrolmentStatus):
            make_enrolment(edition, status.value, email=f"p{n}@example.org")
        for n, status in enumerate(InterestStatus):
            db.session.add(InterestRegistration(offering=offering, name=f"Naam {n}", email=f"i{n}@example.org",
                                                status=status.value, created_at=utcnow() - timedelta(days=n)))
        db.session.commit()
        edition_id, offering_id, full_id = edition.id, offering.id, full.id
    client, _ = logged_in("admin")

    comments = client.get("/beheer/reacties").get_data(as_text=True)
    for status in CommentStatus:
        assert re.search(rf'>{status.label} <span class="staff-tab-count">1</span>', comments), status
    assert "In afwachting" not in comments
    comment_page = client.get("/beheer/reacties?status=approved").get_data(as_text=True)
    assert 'aria-current="page">Goedgekeurd' in comment_page

    enrolments = client.get(f"/beheer/edities/{edition_id}/inschrijvingen").get_data(as_text=True)
    for status in EnrolmentStatus:
        assert f">{status.label}" in enrolments, status
    assert "Onbevestigd (vastgehouden tot " in enrolments and "Wachtlijst, plaats 1" in enrolments

    interest = client.get(f"/beheer/aanbod/{offering_id}/belangstelling").get_data(as_text=True)
    for status in InterestStatus:
        assert f"<td data-label=\"Status\">{status.label}</td>" in interest, status
        assert f"</span> {status.label.lower()}</li>" in interest, status

    offer = client.get(f"/beheer/aanbod/{offering_id}").get_data(as_text=True)
    assert f">{EditionStatus.OPEN.label}</span>" in offer and f">{EditionStatus.VOL.label}</span>" in offer
    edition_form = client.get(f"/beheer/edities/{full_id}").get_data(as_text=True)
    assert f'<span class="status status-vol">{EditionStatus.VOL.label}</span>' in edition_form
    offerings = client.get("/beheer/aanbod").get_data(as_text=True)
    assert f'<td data-label="Soort">{OfferingType(offering_type(app, offering_id)).label}</td>' in offerings

    articles = client.get("/beheer/artikelen").get_data(as_text=True)
    for status in ArticleStatus:
        assert f'<option value="{status.value}">{status.label}</option>' in articles, status

    accounts = client.get("/beheer/accounts").get_data(as_text=True)
    assert f"{Role.ADMIN.label} <span class=\"muted\">(jij)</span>" in accounts

    outbox = client.get("/beheer/mail").get_data(as_text=True)
    for status in (MailStatus.FAILED, MailStatus.PENDING):
        assert f"<h2>{status.label} <span" in outbox, status


def offering_type(app, offering_id: int) -> str:
    from sbo.catalogue.models import Offering
    with app.app_context():
        return db.session.get(Offering, offering_id).type
