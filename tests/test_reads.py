"""sbo/reads.py: reads of columns outside the ORM session (issue 18). The rows are what
SQLAlchemy's own execution gives, on both databases; on PostgreSQL a read before any write
opens no transaction and holds no pooled connection past its request; a read after a write in
the same request sees that write; a database error is SQLAlchemy's."""
from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import bindparam, exc, literal, select

from sbo import reads
from sbo.enrolment.models import Enrolment, EnrolmentStatus
from sbo.extensions import db
from sbo.news import queries as news_queries
from sbo.staff import enrolments as staff_enrolments
from sbo.staff.models import StaffUser
from tests.factories import make_article, make_comment, make_edition, make_enrolment, make_offering, make_staff
from tests.helpers import PG_URL

ON_POSTGRES = pytest.mark.skipif(not PG_URL, reason="needs DATABASE_URL=postgresql://…")


def through_sqlalchemy(statement, params) -> list[tuple]:
    with db.engine.connect() as connection:
        result = connection.execute(statement, params)
        return list(result.keys()), [tuple(row) for row in result]


def test_rows_are_what_sqlalchemy_gives(app_ctx):
    edition = make_edition(make_offering(), capacity=2)
    for n, status in enumerate([EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING, EnrolmentStatus.CANCELLED]):
        make_enrolment(edition, status=status.value, email=f"deelnemer{n}@example.org")
    article = make_article()
    make_comment(article, status="pending", author_name="Anna <b>")
    db.session.commit()
    cases = [
        (staff_enrolments._participants_statement(), {"edition_id": edition.id, "limit": 2, "offset": 1}),
        (news_queries._moderation_page_statement(), {"status": "pending", "limit": 25, "offset": 0}),
        (select(Enrolment.id, Enrolment.status, Enrolment.created_at).where(Enrolment.status == bindparam("s"))
         .order_by(Enrolment.id), {"s": EnrolmentStatus.WAITING}),
    ]
    for statement, params in cases:
        keys, expected = through_sqlalchemy(statement, params)
        got = reads.rows(statement, params)
        assert expected, statement
        assert [tuple(row) for row in got] == expected
        assert [list(row._fields) for row in got] == [keys] * len(got)
        assert reads.first(statement, params) == got[0]
    waiting = reads.first(cases[2][0], cases[2][1])
    assert waiting.status == EnrolmentStatus.WAITING and type(waiting.status) is type(
        db.session.execute(cases[2][0], cases[2][1]).first().status)
    assert reads.first(cases[2][0], {"s": "held"}) is None


@ON_POSTGRES
def test_a_read_before_any_write_opens_no_transaction_and_gives_its_connection_back(app):
    with app.app_context():
        make_staff("admin", email="beheer@example.org")
        db.session.commit()
    with app.app_context():
        pool = db.engine.pool
        before = pool.checkedout()
        row = reads.first(select(StaffUser.email).where(StaffUser.email == bindparam("e")), {"e": "beheer@example.org"})
        assert row.email == "beheer@example.org"
        assert not db.session().in_transaction()  # the session was not begun
        assert pool.checkedout() == before + 1  # the reader connection, for this app context
    assert pool.checkedout() == before


@ON_POSTGRES
def test_the_reader_connection_goes_back_to_the_pool_out_of_autocommit(app):
    """The pool's next user is a Session, which expects transactions: a write it rolls back
    is gone, on the very connection the reader had in autocommit."""
    with app.app_context():
        make_staff("admin", email="beheer@example.org")
        db.session.commit()
        db.engine.dispose()  # an empty pool: the reader's connection is the only one after it
    by_email = select(StaffUser.id).where(StaffUser.email == bindparam("e"))
    with app.app_context():
        assert reads.first(by_email, {"e": "beheer@example.org"}) is not None
        reader = g.get(reads._READER).connection.dbapi_connection
        assert reader.autocommit is True
    with app.app_context():
        session_connection = db.session.connection().connection.dbapi_connection
        assert session_connection.info.backend_pid == reader.info.backend_pid
        assert session_connection.autocommit is False
        make_staff("editor", email="teruggedraaid@example.org")
        db.session.flush()
        db.session.rollback()
    with app.app_context():
        assert db.session.scalar(by_email, {"e": "teruggedraaid@example.org"}) is None


def test_a_read_after_a_write_in_the_same_request_sees_it(app_ctx):
    make_staff("admin", email="eerst@example.org")
    db.session.flush()  # written, not committed: only this session's transaction sees it
    statement = select(StaffUser.email).order_by(StaffUser.id)
    assert [row.email for row in reads.rows(statement)] == ["eerst@example.org"]
    db.session.rollback()
    assert reads.rows(statement) == []


@ON_POSTGRES
def test_a_database_error_is_sqlalchemys(app_ctx):
    with pytest.raises(exc.DataError):
        reads.rows(select((literal(1) / literal(0)).label("n")))
    assert reads.first(select(literal(2).label("n"))).n == 2  # the next read works


def test_a_statement_that_writes_is_not_taken(app_ctx):
    from sqlalchemy import insert
    with pytest.raises(ValueError):
        reads.Prepared(insert(StaffUser).values(email="x@example.org"), db.engine.dialect)


@ON_POSTGRES
def test_a_reader_connection_lost_mid_request_gives_the_503_page_and_is_not_reused(make_app):
    """The server ends the reader connection between two reads of one request (a restart, an
    administrator): the second read raises SQLAlchemy's OperationalError, the visitor gets the
    Dutch 503 page, and the dead connection does not go back to the pool."""
    from flask import g
    from sqlalchemy import create_engine, text

    from tests.quality.test_database import assert_dutch_503

    app = make_app(TESTING=False)
    statement = select(literal(1).label("n"))

    @app.get("/_test/twee-lezingen", endpoint="_test_two_reads")
    def two_reads():
        reads.first(statement)
        pid = g.get(reads._READER).connection.dbapi_connection.info.backend_pid
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()
        admin.dispose()
        return str(reads.first(statement).n)

    @app.get("/_test/lezing", endpoint="_test_read")
    def one_read():
        return str(reads.first(statement).n)

    client = app.test_client()
    assert client.get("/_test/lezing").get_data(as_text=True) == "1"
    assert_dutch_503(client.get("/_test/twee-lezingen"))
    for _ in range(3):  # every pooled connection is alive: the dead one was dropped
        assert client.get("/_test/lezing").get_data(as_text=True) == "1"


def test_a_list_in_an_in_clause_goes_through_sqlalchemy(app_ctx):
    """SQLAlchemy writes a list bound in IN (…) into the SQL on each call: such a statement is not
    Prepared, and runs through the session with the same rows."""
    staff = [make_staff("editor", email=f"lijst{n}@example.org") for n in range(3)]
    db.session.flush()
    ids = [user.id for user in staff]
    db.session.commit()  # and no attribute read after it: the session stays without a transaction
    assert not db.session().in_transaction()  # so a statement Prepared takes would run outside it
    statement = select(StaffUser.email).where(StaffUser.id.in_(bindparam("ids", expanding=True))).order_by(StaffUser.id)
    assert [row.email for row in reads.rows(statement, {"ids": [ids[0], ids[2]]})] == [
        "lijst0@example.org", "lijst2@example.org"]
    literal_list = select(StaffUser.email).where(StaffUser.id.in_([ids[1]]))
    assert [row.email for row in reads.rows(literal_list)] == ["lijst1@example.org"]
    with pytest.raises(ValueError):
        reads.Prepared(statement, db.engine.dialect)


def test_statements_built_per_call_share_their_shape_and_keep_their_own_values(app_ctx):
    """A search builds its statement anew on every call, with the searched text in it: each
    call reads its own rows, and on PostgreSQL one Prepared serves the shape (compiled once, as
    SQLAlchemy's compiled cache would)."""
    for n in range(3):
        make_staff("editor", email=f"vorm{n}@example.org")
    db.session.commit()

    def search(text: str):
        return select(StaffUser.email).where(StaffUser.email.contains(text)).order_by(StaffUser.email)

    before = dict(reads._by_shape)
    assert [row.email for row in reads.rows(search("vorm1"))] == ["vorm1@example.org"]
    assert [row.email for row in reads.rows(search("vorm2"))] == ["vorm2@example.org"]
    assert [row.email for row in reads.rows(search("vorm"))] == [f"vorm{n}@example.org" for n in range(3)]
    if PG_URL:
        assert len(set(reads._by_shape) - set(before)) == 1
