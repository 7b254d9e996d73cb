"""A consistent copy of the database while the site keeps running.

SQLite: the online backup API of sqlite3 copies one committed state (a read snapshot in WAL
mode, so writers are not held up). PostgreSQL: pg_dump (a single
repeatable-read snapshot) in its custom format, restorable with pg_restore.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from .extensions import db


class BackupError(Exception):
    """The backup could not be made; the message says what to do."""


def backup_database(destination: Path) -> str:
    """Copy the database of the current app to `destination`; returns a one-line summary."""
    url = make_url(db.engine.url)
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    # the copy holds personal data: readable by its owner only, from the moment it exists
    destination.touch(mode=0o600)
    try:
        if url.get_backend_name() == "sqlite":
            return _backup_sqlite(destination)
        if url.get_backend_name() == "postgresql":
            return _backup_postgres(url, destination)
        raise BackupError(f"Backup of a {url.get_backend_name()} database is not supported.")
    except BaseException:
        destination.unlink(missing_ok=True)
        raise


def _backup_sqlite(destination: Path) -> str:
    raw = db.engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection
        target = sqlite3.connect(destination)
        try:
            # One step: in WAL mode (extensions.py) the copy reads one snapshot while writers
            # carry on; a copy in small steps would restart at every write and might never end.
            source.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    return f"SQLite database copied to {destination}."


def _backup_postgres(url, destination: Path) -> str:
    pg_dump = shutil.which("pg_dump")
    target = url.set(drivername="postgresql", password=None)
    if not pg_dump:
        raise BackupError(
            "pg_dump was not found. Install the PostgreSQL client (apt-get install "
            "postgresql-client) and run:\n"
            f"  pg_dump --format=custom --file {destination} "
            f"'{target.render_as_string(hide_password=True)}'"
        )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps shows it
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={destination}",
         f"--dbname={target.render_as_string(hide_password=False)}"],
        env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return f"PostgreSQL database dumped to {destination} (restore with pg_restore)."
