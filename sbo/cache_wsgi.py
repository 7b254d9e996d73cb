"""The page cache's fast path: stored pages served before Flask's request machinery.
See sbo/cache.py for the rules; `cache.init_app(app)` installs it."""
from __future__ import annotations

from typing import Callable

from flask import Flask, current_app, session

from .cache import _fill_in, _page_key, _store


class FastHits:
    """WSGI middleware: a GET that carries no cookie at all (a first visit, a crawler, a proxy)
    and no conditional header gets a stored page without Flask's request machinery: the
    generation memo, one store lookup, the headers the full path sent the first time. It
    cannot be personal (no cookie means no session, no flash, no login); a page with a form
    gets a new session with its own CSRF token. Everything else, and any trouble, goes
    through the app as usual."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ: dict, start_response: Callable):
        if (environ.get("REQUEST_METHOD") == "GET" and "HTTP_COOKIE" not in environ
                and "HTTP_IF_NONE_MATCH" not in environ and "HTTP_IF_MODIFIED_SINCE" not in environ):
            entry = self._lookup(environ)
            if entry is not None and entry.get("per_request"):
                response = self._personal(environ, entry)
                if response is not None:
                    return response(environ, start_response)
            elif entry is not None:
                body = entry["body"]
                start_response("200 OK", [*entry["final_headers"], ("Content-Length", str(len(body))),
                                          ("X-Cache", "hit")])
                return [body]
        return self.wsgi_app(environ, start_response)

    def _personal(self, environ: dict, entry: dict):
        """A page with a form: this visitor's own new session, CSRF token and other values."""
        try:
            with self.app.request_context(environ):
                body = _fill_in(entry["body"], entry["per_request"])
                if body is None:
                    return None
                response = self.app.response_class(body, status=200, headers=entry["final_headers"])
                response.headers["X-Cache"] = "hit"
                self.app.session_interface.save_session(self.app, session, response)
                return response
        except Exception as error:  # noqa: BLE001
            self.app.logger.warning("page cache fast path skipped: %s", error)
            return None

    def _lookup(self, environ: dict) -> dict | None:
        try:
            with self.app.app_context():
                if not current_app.config.get("CACHE_ENABLED", True):
                    return None
                store = _store()
                entry = store.get(_page_key(environ, store.generation()))
        except Exception as error:  # noqa: BLE001  (the app will answer, and report, instead)
            self.app.logger.warning("page cache fast path skipped: %s", error)
            return None
        return entry if entry is not None and "final_headers" in entry else None

