"""The page cache's fast path: stored pages served to cookie-less GETs before Flask's request
machinery. `sbo.pagecache.init_app(app)` installs it."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Callable

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.http import dump_cookie

from ..extensions import csrf_signer
from ..tokens import quick_signer
from .keys import page_key
from .per_request import CSRF_TOKEN, placeholder
from .store import page_store


class CookielessPageServer:
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
            with self.app.app_context():  # one context for both steps (its teardown is not free)
                entry = self._stored_entry(environ)
                if entry is not None and entry.get("per_request"):
                    response = self._form_page(environ, entry)
                    if response is not None:
                        return response(environ, start_response)
            if entry is not None and not entry.get("per_request"):
                body = entry["body"]
                start_response("200 OK", [*entry["final_headers"], ("Content-Length", str(len(body))),
                                          ("X-Cache", "hit")])
                return [body]
        return self.wsgi_app(environ, start_response)

    def _form_page(self, environ: dict, entry: dict):
        """A page with a form: this visitor's own new session and CSRF token, made as Flask and
        Flask-WTF make them (see `form_page_for_new_visitor`), without a request context."""
        try:
            made = form_page_for_new_visitor(self.app, environ, entry["body"], entry["per_request"])
        except Exception as error:  # noqa: BLE001
            self.app.logger.warning("page cache fast path skipped: %s", error)
            return None
        if made is None:
            return None
        body, cookie = made

        def respond(environ, start_response):
            start_response("200 OK", [*entry["final_headers"], ("Content-Length", str(len(body))),
                                      ("X-Cache", "hit"), ("Set-Cookie", cookie)])
            return [body]
        return respond

    def _stored_entry(self, environ: dict) -> dict | None:
        """The stored page for this request, if the full path left the headers it sent."""
        try:
            if not self.app.config["CACHE_ENABLED"]:
                return None
            store = page_store()
            entry = store.get(page_key(environ, store.generation()))
        except Exception as error:  # noqa: BLE001  (the app will answer, and report, instead)
            self.app.logger.warning("page cache fast path skipped: %s", error)
            return None
        return entry if entry is not None and "final_headers" in entry else None


def install(app: Flask) -> None:
    """Put the fast path in front of the app, behind RequestOrigin when that is there (so it
    sees the scheme, host and path RequestOrigin cleaned)."""
    from ..security import RequestOrigin
    if isinstance(app.wsgi_app, RequestOrigin):
        app.wsgi_app.app = CookielessPageServer(app, app.wsgi_app.app)
    else:
        app.wsgi_app = CookielessPageServer(app, app.wsgi_app)


@lru_cache(maxsize=64)
def _pieces(body: bytes, mark: bytes) -> tuple[bytes, ...]:
    """A stored body cut at its token placeholders. Cut once per stored page (a bytes object
    keeps its hash), then each visitor's page is one join instead of a replace over the body."""
    return tuple(body.split(mark))


def form_page_for_new_visitor(app: Flask, environ: dict, body: bytes,
                              names: list[str]) -> tuple[bytes, str] | None:
    """A stored form page filled in for a visitor who has no session yet: a new CSRF secret in
    a new session and the signed token for it. The token is what flask_wtf.csrf.generate_csrf
    makes (the same serializer, salt and secret); the session cookie is what the app's session
    interface writes in save_session (its serializer and cookie settings), so a POST validates
    as usual. Returns the body and the Set-Cookie header, or None to let Flask answer."""
    kit = _new_visitor_kit(app, environ.get("wsgi.url_scheme") == "https")
    return kit.page(body, names) if kit is not None else None


# what NewVisitorKit is made from: when one of these changes (a test, a key rotation) it is made anew
KIT_CONFIG = ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "WTF_CSRF_SECRET_KEY", "WTF_CSRF_FIELD_NAME",
              "SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "APPLICATION_ROOT",
              "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_SAMESITE",
              "SESSION_COOKIE_PARTITIONED", "SITE_URL", "MAX_COOKIE_SIZE", "PERMANENT_SESSION_LIFETIME")
KIT_EXTENSION = "sbo_cache_new_visitor"


def _new_visitor_kit(app: Flask, is_secure: bool) -> "NewVisitorKit | None":
    """The app's kit for this scheme, made again when the configuration it was made from changed."""
    kits = app.extensions.get(KIT_EXTENSION)
    config = (app.session_interface, *map(app.config.get, KIT_CONFIG))
    if kits is None or kits[0] != config:
        kits = app.extensions[KIT_EXTENSION] = (config, {})
    if is_secure not in kits[1]:
        kits[1][is_secure] = NewVisitorKit.make(app, is_secure)
    return kits[1][is_secure]


class NewVisitorKit:
    """Everything about a new visitor's session cookie and CSRF token that is the same for
    every visitor, worked out once per configuration: the signing keys (derived once, not per
    token), the session's JSON around the CSRF secret, the cookie's attributes. What differs
    per visitor is the random CSRF secret and the time in the signatures."""

    def __init__(self, csrf, session, session_json: tuple[bytes, bytes], cookie: tuple[str, str]):
        self.csrf, self.session = csrf, session
        self.session_json = session_json
        self.cookie = cookie
        self.mark = placeholder(CSRF_TOKEN)  # the secret key it depends on is in KIT_CONFIG

    @classmethod
    def make(cls, app: Flask, is_secure: bool) -> "NewVisitorKit | None":
        """None when the app makes sessions in a way only Flask itself can follow."""
        interface = app.session_interface
        if not isinstance(interface, SecureCookieSessionInterface):
            return None  # another session store: only Flask knows how to make one
        if hasattr(interface, "secure_for"):
            secure = interface.secure_for(app, is_secure)
        elif type(interface).get_cookie_secure is SecureCookieSessionInterface.get_cookie_secure:
            secure = interface.get_cookie_secure(app)  # Flask's own: the configuration only
        else:
            return None
        field = app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
        session = interface.session_class()
        sample = "0" * 40  # a CSRF secret: 40 hex digits, the same in JSON as in the session
        session[field] = sample
        if interface.get_expiration_time(app, session) is not None:
            return None  # a permanent session: its expiry is per visitor
        serializer = interface.get_signing_serializer(app)
        if serializer is None:
            return None  # no secret key: Flask will say so
        signer = quick_signer(serializer)
        whole = signer.json(dict(session))
        before, found, after = whole.partition(sample.encode())
        if not found or signer.json({field: "f" * 40}) != before + b"f" * 40 + after:
            return None
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        csrf = csrf_signer(secret)
        mark = "sbo-cookie-value"
        cookie = dump_cookie(
            interface.get_cookie_name(app), mark, expires=None,
            httponly=interface.get_cookie_httponly(app), domain=interface.get_cookie_domain(app),
            path=interface.get_cookie_path(app), secure=secure,
            partitioned=interface.get_cookie_partitioned(app),
            samesite=interface.get_cookie_samesite(app), max_size=app.config["MAX_COOKIE_SIZE"])
        cookie_before, found, cookie_after = cookie.partition(mark)
        if not found:
            return None
        return cls(csrf, signer, (before, after), (cookie_before, cookie_after))

    def page(self, body: bytes, names: list[str]) -> tuple[bytes, str] | None:
        """This visitor's page and Set-Cookie header (None: a value only Flask can make)."""
        if names != [CSRF_TOKEN]:
            return None  # no CSRF token on this page (so no session to start), or an unknown value
        # what Flask-WTF puts in the session (it writes sha1(os.urandom(64)).hexdigest(): 40 hex
        # digits, 160 random bits, as these are), and the token it signs from it
        secret = os.urandom(20).hex()
        token = self.csrf.dumps(secret).encode()
        body = token.join(_pieces(body, self.mark))
        # base64 and dots: a cookie value that needs no quoting
        value = self.session.sign_json(self.session_json[0] + secret.encode() + self.session_json[1])
        return body, self.cookie[0] + value + self.cookie[1]
