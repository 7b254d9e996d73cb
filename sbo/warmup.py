"""Work a new gunicorn worker does before its first visitor: compile every template and open a
database connection. Without it the first requests of each worker paid 70–500 ms, which is
the p99 of a short burst after a deploy (bench/gunicorn.conf.py calls it in post_worker_init).
Then what the app built is moved out of the garbage collector's sight (gc.freeze): a full
collection walked its ~200,000 objects again and again, rare pauses of several ms in the
tail of ordinary requests."""
from __future__ import annotations

import gc

from flask import Flask
from sqlalchemy import text


def warm_up(app: Flask) -> int:
    """Compile every template into the Jinja cache, check out one pooled connection and
    freeze what exists by then; returns the number of templates compiled."""
    env = app.jinja_env
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    if "sqlalchemy" in app.extensions:  # (not in the benchmark's hello world)
        from .extensions import db
        with app.app_context():
            db.session.execute(text("SELECT 1"))
            db.session.remove()
    gc.collect()
    gc.freeze()
    return len(names)
