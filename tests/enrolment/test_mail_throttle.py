"""Issue 12.6: a form that mails an address typed by a visitor sends that address at most one
mail of its kind per period (MAIL_THROTTLE_SECONDS), however often it is posted, across workers
(the record is a database row)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sbo.enrolment.mails import manage_url
from sbo.extensions import db
from sbo.mail_throttle import MailThrottle, may_mail
from sbo.news import services as news_services
from tests.enrolment.helpers import VALID, confirm_by_mail, counts, enrol_url
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering

VICTIM = "victim@example.org"


def test_may_mail_once_per_period_and_again_after_it(app, app_ctx):
    assert may_mail("test", "Victim@Example.org")
    assert may_mail("test", VICTIM)  # the same transaction may ask again
    db.session.commit()
    assert not may_mail("test", VICTIM)
    assert not may_mail("test", " VICTIM@example.org ")
    assert may_mail("other-kind", VICTIM)
    db.session.commit()
    row = db.session.get(MailThrottle, ("test", VICTIM))
    row.last_sent_at -= timedelta(seconds=app.config["MAIL_THROTTLE_SECONDS"] + 1)
    db.session.commit()
    assert may_mail("test", VICTIM)
    db.session.rollback()  # a rolled back send claims nothing
    assert may_mail("test", VICTIM)


def test_throttle_can_be_turned_off(make_app):
    app = make_app(MAIL_THROTTLE_SECONDS=0)
    with app.app_context():
        assert may_mail("test", VICTIM) and may_mail("test", VICTIM)
        db.session.commit()
        assert may_mail("test", VICTIM)
        assert db.session.scalars(select(MailThrottle)).all() == []


def test_forty_enrolment_posts_naming_a_stranger_send_one_mail(app, setup_data, client, post_form, outbox):
    """Enrolling the same stranger as a colleague in edition after edition mailed them each time."""
    with setup_data():
        offering = make_offering()
        urls = [enrol_url(make_edition(offering, capacity=100)) for _ in range(40)]
    for number, url in enumerate(urls):
        booker = f"booker{number}@example.org"
        response = post_form(client, url, {
            **VALID, "email": booker,
            "participants-0-first_name": "Vic", "participants-0-last_name": "Tim",
            "participants-0-email": VICTIM})
        assert response.status_code == 303
        confirm_by_mail(client, outbox, booker)  # the attacker controls every booker address
    assert counts(app) == (40, 80)
    assert len(outbox(VICTIM)) == 1
    # every booker got the confirmation request and, once confirmed, their own confirmation
    assert len(outbox()) == 40 * 2 + 1


def test_a_booker_who_enrols_in_two_editions_gets_both_confirmations(setup_data, client, post_form, outbox):
    """The throttle is for addresses typed by someone else: a booker who confirmed their own
    address is mailed for every booking, however close together."""
    with setup_data():
        offering = make_offering()
        urls = [enrol_url(make_edition(offering, capacity=10)) for _ in range(2)]
    for url in urls:
        post_form(client, url, VALID)
        confirm_by_mail(client, outbox, latest=True)
    received = [m for m in outbox(VALID["email"]) if not m.subject.startswith("Bevestig je")]
    assert len(received) == 2


def test_waiting_list_mails_are_throttled_too(setup_data, client, post_form, outbox):
    with setup_data():
        offering = make_offering()
        urls = [enrol_url(make_edition(offering, capacity=1)) for _ in range(5)]
    for number, url in enumerate(urls):
        post_form(client, url, {**VALID, "email": f"booker{number}@example.org",
                                "participants-0-first_name": "Vic", "participants-0-last_name": "Tim",
                                "participants-0-email": VICTIM})
        confirm_by_mail(client, outbox, f"booker{number}@example.org")
    [mail] = outbox(VICTIM)
    assert mail.subject.startswith("Je staat op de wachtlijst")


def test_substitute_mails_a_typed_address_once_per_period(setup_data, client, post_form, outbox):
    with setup_data():
        offering = make_offering()
        paths = []
        for number in range(3):
            enrolment = make_enrolment(make_edition(offering), email=f"self{number}@example.org")
            paths.append("/" + manage_url(enrolment).split("/", 3)[3])
    for path in paths:
        response = post_form(client, path + "/vervanger", {
            "first_name": "Vic", "last_name": "Tim", "email": VICTIM}, page=path)
        assert response.status_code == 303
    assert len(outbox(VICTIM)) == 1
    assert all(outbox(f"self{number}@example.org") for number in range(3))


def test_comment_mails_to_a_typed_address_once_per_period(app, outbox):
    with app.app_context():
        article = make_article()
        parent = make_comment(article, author_email=VICTIM, notify_replies=True)
        for number in range(10):  # ten comments under the stranger's address
            news_services.approve_comment(make_comment(article, status="pending",
                                                       author_email=VICTIM))
            db.session.commit()
        for number in range(10):  # ten replies to the comment that asked for notifications
            news_services.approve_comment(make_comment(article, status="pending", parent=parent,
                                                       author_email=f"other{number}@example.org"))
            db.session.commit()
    subjects = sorted(m.subject.split(" bij")[0] for m in outbox(VICTIM))
    assert subjects == ["Je reactie", "Nieuwe reactie op je reactie"]


def test_two_workers_at_the_same_moment_send_one_mail(app):
    """The claim is a database row: two requests in different processes (here: threads with
    their own connections) that ask at the same time get one yes between them."""
    import threading
    import time

    results, barrier = [], threading.Barrier(2)

    def worker(hold: float) -> None:
        with app.app_context():
            barrier.wait()
            answer = may_mail("interest-confirm", VICTIM)
            time.sleep(hold)  # keep the transaction open while the other one asks
            db.session.commit()
            results.append(answer)

    threads = [threading.Thread(target=worker, args=(hold,)) for hold in (0.3, 0.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == [False, True]
