"""`flask --app sbo seed-demo` loads every domain's demo content, and a second run changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from sbo.extensions import db


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name != "cache_generation"}


def test_seed_demo_twice_changes_nothing(app, runner):
    first_run = runner.invoke(args=["seed-demo"])
    assert first_run.exit_code == 0, first_run.output
    with app.app_context():
        first = _row_counts()
    assert first["offering"] == 18 and first["article"] >= 6 and first["comment"] > 0
    assert first["enrolment"] > 0
    second_run = runner.invoke(args=["seed-demo"])
    assert second_run.exit_code == 0, second_run.output
    with app.app_context():
        assert _row_counts() == first
