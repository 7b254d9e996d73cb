"""A real gunicorn serving the test's database: `with serve(app, tmp_path, workers=2) as url:`.
For the attacks that only show over HTTP: headers gunicorn maps into the environ, limits that
must hold across worker processes."""
from __future__ import annotations

import http.client
import json
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.server import CONFIG, Gunicorn


@contextmanager
def serve(app, tmp_path: Path, workers: int = 2, config: Path | None = CONFIG, **settings):
    """Serve the same database and instance folder as `app` (made by make_app) with gunicorn.
    config=None runs gunicorn with its own defaults; settings go to the app as config."""
    env = {"SBO_TEST_INSTANCE": app.instance_path,
           "SBO_TEST_DATABASE": app.config["SQLALCHEMY_DATABASE_URI"],
           "SBO_TEST_CONFIG": json.dumps(settings)}
    log = tmp_path / "gunicorn.log"
    with Gunicorn("tests.served_app:create_app()", env, workers=workers, log=log, config=config) as server:
        yield server.url


def raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, str]:
    """GET with exactly these headers (http.client sends a header named SCRIPT_NAME as is)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        conn.close()


class Browser:
    """One visitor over plain HTTP, keeping the session cookie like a browser."""

    def __init__(self, url: str):
        self.cookie = ""
        self.at(url)

    def at(self, url: str) -> "Browser":
        """Go on with the same cookie at another server (another host of the same site)."""
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        return self

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                match = re.match(r"(session=[^;]*)", header)
                if match:
                    self.cookie = match.group(1)
            return response.status, response.read().decode()
        finally:
            conn.close()
