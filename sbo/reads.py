"""Reads of columns outside the ORM session, without a transaction (issue 18).

A staff list page reads two statements (the login check, then its rows) and changes nothing.
Through the ORM session each request paid for the session's transaction (a pooled connection
checked out by the session, `BEGIN`, and at its end `COMMIT`: two round trips) and for
SQLAlchemy's execution of each statement (its parameters, result set-up and rows): together
~0.5 ms of the participant list's 1.8 ms of CPU in-process on PostgreSQL, more than its template.

`rows()` and `first()` run a Core select of columns and give plain named tuples (attribute
access and unpacking, as a Row):

- On PostgreSQL, when the request's session has no transaction yet, on the request's reader
  connection: pooled, put in the driver's autocommit for the request (each statement sees what
  was committed when it ran, as in any transaction of READ COMMITTED), checked out on the first
  read and given back, out of autocommit, when the app context ends. Each shape of statement is
  compiled by SQLAlchemy once (`Prepared`), its bind and result processors applied, the
  engine's `before_cursor_execute` listeners told, and a database error raised as SQLAlchemy's
  (a lost connection invalidated), so the error pages and the statement counts see what they
  saw before.
- Otherwise (SQLite; a session that has begun, so a read after a write in the same request
  sees that write; a statement `Prepared` cannot take) on the session's connection, as before.

Only SELECTs run outside the session: anything else `Prepared` refuses, and it goes through the
session (where `sbo.postgres` sees what it writes).
"""
from __future__ import annotations

import re
from collections import namedtuple
from typing import Any

from flask import Flask, g
from sqlalchemy import exc
from sqlalchemy.sql import Select
from sqlalchemy.sql.selectable import CompoundSelect

from .extensions import db

_READER = "sbo_reader"  # the request's reader connection, in flask.g
_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")
# Each statement's Prepared, by the statement itself (held here, so its id is not reused) and
# by its shape: SQLAlchemy's cache key, as its compiled cache has it. A statement built per call,
# such as a search with its text, shares the Prepared of its shape and its values are read from
# it as SQLAlchemy does (extracted parameters); a kept one is found without hashing its key.
_KEPT = 256
_by_statement: dict[tuple[int, Any], tuple[Any, "Prepared | None"]] = {}
_by_shape: dict[tuple, "Prepared | None"] = {}


class Prepared:
    """A select compiled once for a dialect, run on a DBAPI cursor: its SQL, the bind values'
    processors, the values written into the text (literal_execute: LIMIT, OFFSET, the day) and
    the result's row type with the columns' processors."""

    def __init__(self, statement: Select | CompoundSelect, dialect, key=None):
        # with its cache key, the compiled statement takes the values of another of its shape
        compiled = statement.compile(dialect=dialect, cache_key=key)
        if not compiled.string.lstrip().upper().startswith("SELECT"):
            raise ValueError("only a SELECT can run outside a transaction")
        keys = list(statement.selected_columns.keys())
        if len(set(keys)) != len(keys) or not all(k.isidentifier() and not k.startswith("_") for k in keys):
            raise ValueError(f"columns a named tuple cannot carry: {keys}")
        if any(bind.expanding for bind in compiled.binds.values()):  # IN (…) of a list: its SQL is per call
            raise ValueError("a list bound in IN (…) is written into the SQL by SQLAlchemy on each call")
        self.statement, self.compiled, self.sql = statement, compiled, compiled.string
        self.binds = {name: processor for name, bind in compiled.binds.items()
                      if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        self.literal = {compiled.bind_names[bind]: bind.type for bind in compiled.literal_execute_params}
        self.row = namedtuple("Row", keys)
        self.dialect = dialect
        self.results: list | None = None  # the columns' processors, from the first result's types

    def learn_results(self, description) -> None:
        """The result processors of the columns, for the types the database sends (read once)."""
        types = [column[1] for column in description]
        self.results = [(i, processor) for i, (column, type_code) in enumerate(
                            zip(self.statement.selected_columns, types))
                        if (processor := column.type.dialect_impl(self.dialect).result_processor(
                            self.dialect, type_code))]

    def parameters(self, params: dict[str, Any], extracted: list | None) -> tuple[str, dict[str, Any]]:
        """The SQL text and the driver's parameters for these values, with the values bound in
        `extracted`, another statement of the shape's (its cache key's bindparams), if given."""
        values = self.compiled.construct_params(params, extracted_parameters=extracted)
        for name, processor in self.binds.items():
            if name in values:
                values[name] = processor(values[name])
        sql = self.sql
        if self.literal:
            literal, render = self.literal, self.compiled.render_literal_value
            sql = _POSTCOMPILE.sub(lambda m: render(values.pop(m[1]), literal[m[1]]), sql)
        return sql, values

    def make_rows(self, records: list[tuple]) -> list:
        make = self.row._make
        if not self.results:
            return [make(record) for record in records]
        out = []
        for record in records:
            record = list(record)
            for i, processor in self.results:
                record[i] = processor(record[i])
            out.append(make(record))
        return out


def rows(statement: Select | CompoundSelect, params: dict[str, Any] | None = None) -> list:
    """The statement's rows (see the module's text for where it runs)."""
    return _run(statement, params or {}, many=True)


def first(statement: Select | CompoundSelect, params: dict[str, Any] | None = None):
    """The statement's first row, or None."""
    return _run(statement, params or {}, many=False)


def _run(statement, params: dict[str, Any], many: bool):
    session = db.session()  # the request's Session (the scoped proxy has no in_transaction)
    engine = db.engine
    prepared = None
    if engine.dialect.name == "postgresql" and not session.in_transaction():
        prepared = _prepare(statement, engine.dialect)
    if prepared is None:
        result = session.connection().execute(statement, params)
        return result.all() if many else result.first()
    connection = g.get(_READER)
    if connection is None:
        connection = engine.connect()
        setattr(g, _READER, connection)
        # autocommit on the driver's connection itself (client-side: psycopg sends nothing), not
        # through execution_options: SQLAlchemy would set and reset its isolation level on the
        # way out and back (~25 µs a request)
        connection.connection.dbapi_connection.autocommit = True
    # the values of another statement of the shape (a search): read from it, as SQLAlchemy does
    extracted = None if statement is prepared.statement else statement._generate_cache_key().bindparams
    sql, values = prepared.parameters(params, extracted)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        engine.dispatch.before_cursor_execute(connection, cursor, sql, values, None, False)
        cursor.execute(sql, values)
        if prepared.results is None:
            prepared.learn_results(cursor.description)
        records = cursor.fetchall() if many else cursor.fetchmany(1)
    except engine.dialect.loaded_dbapi.Error as error:
        _raise_as_sqlalchemy(connection, engine.dialect, sql, values, error)
    finally:
        cursor.close()
    made = prepared.make_rows(records)
    return made if many else (made[0] if made else None)


def _prepare(statement, dialect) -> Prepared | None:
    kept = _by_statement.get((id(statement), dialect))
    if kept is not None:
        return kept[1]
    key = statement._generate_cache_key()  # SQLAlchemy keeps it on the statement
    prepared = None
    if key is not None:
        shape = (key.key, dialect)
        if shape not in _by_shape:
            if len(_by_shape) >= _KEPT:
                _by_shape.clear()
            try:
                _by_shape[shape] = Prepared(statement, dialect, key)
            except ValueError:
                _by_shape[shape] = None
        prepared = _by_shape[shape]
    if len(_by_statement) >= _KEPT:  # statements built per call would pile up
        _by_statement.clear()
    _by_statement[(id(statement), dialect)] = (statement, prepared)
    return prepared


def _raise_as_sqlalchemy(connection, dialect, sql: str, values: dict, error: Exception):
    """What SQLAlchemy raises for a DBAPI error: its wrapper (the error pages know it), and a
    connection the server dropped is not given back to the pool."""
    disconnected = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
    if disconnected:
        connection.invalidate(error)
        g.pop(_READER, None)
        connection.close()
    raise exc.DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error, dialect=dialect,
                                  connection_invalidated=disconnected) from error


def close_reader(_error: BaseException | None = None) -> None:
    """The end of the app context: the reader connection goes back to the pool, out of
    autocommit (the pool's next user, a Session, expects transactions)."""
    connection = g.pop(_READER, None)
    if connection is None:
        return
    # (a connection lost mid-request was invalidated and taken out of g by _raise_as_sqlalchemy;
    # psycopg sets the flag client-side on any other)
    connection.connection.dbapi_connection.autocommit = False
    connection.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_reader)
