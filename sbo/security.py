"""Security on every request and response: a strict CSP and friends, secure cookies behind
HTTPS, a guard against control characters in input (PostgreSQL refuses NUL: stripped from
query strings, a form holding one is refused with a Dutch 400), a safe-redirect check, and
`RequestOrigin`: what a request says about where it came from is believed only from a proxy
the configuration trusts."""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from typing import Callable

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

# Sent with every response that does not set its own (one pass over the response's headers
# instead of a look-up per header: Werkzeug raises and catches an exception for each miss).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)

# C0 control characters (NUL included) and DEL; tab, line feed and carriage return are fine
# in a textarea. PostgreSQL refuses NUL in text outright, so it must never reach a query.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BAD_INPUT_MESSAGE = ("Je invoer bevat tekens die we niet kunnen verwerken, zoals onzichtbare "
                     "stuurtekens. Pas je invoer aan en probeer het opnieuw.")


def is_safe_redirect(target: str | None) -> bool:
    """True only for a relative path on this site: "/aanbod?q=x". Rejects absolute and
    protocol-relative URLs ("https://…", "//evil", "/\\evil"), schemes ("javascript:") and
    anything with control characters or backslashes a browser might reinterpret."""
    if not target or not isinstance(target, str):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or CONTROL_CHARS.search(target) or any(c.isspace() for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def redirect_target(default: str = "/") -> str:
    """Where to go after a form (e.g. a login): the `next` of the form or query string when it
    is one of our own paths, otherwise `default`."""
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_redirect(target) else default


INT_MAX = 2_147_483_647  # the largest id or number an INTEGER column holds (PostgreSQL refuses more)


def id_number(raw: object) -> int | None:
    """A row id or a page number as a visitor may send one (a query string, a form, a link):
    ASCII digits only ("²" and "٣" are digits to str.isdigit but not to int() or the database),
    no more than an INTEGER column holds. None for anything else."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    number = int(raw)
    return number if number <= INT_MAX else None


class RowIdConverter(IntegerConverter):
    """`<int:…>` in every route, read as id_number() reads a number: ASCII digits, at most
    INT_MAX. A larger number names no row, so the route does not match (404). Werkzeug's own
    converter took any size: PostgreSQL then refused the value (a 400 on 45 routes, among them
    an edition's enrolment form and a news document) and SQLite cannot bind more than 2**63 - 1."""

    regex = r"[0-9]+"  # Werkzeug's \d+ also takes other scripts' digits ("٣" read as 3)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = INT_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def int_arg(name: str, default: int = 1, minimum: int = 1, maximum: int = 10_000) -> int:
    """An integer from the query string (e.g. ?pagina=3), clamped to [minimum, maximum];
    `default` when it is missing or not a number. Keeps 10**30 away from OFFSET."""
    raw = request.args.get(name, "").strip()
    if not (raw.isascii() and raw.isdigit()):  # missing, "-1", "1.5", "abc", "²"
        return default
    if len(raw) > 9:
        return maximum
    return max(minimum, min(maximum, int(raw)))


def has_control_chars(value: str) -> bool:
    return bool(CONTROL_CHARS.search(value))


def _clean_query_string() -> None:
    """Strip control characters from the query string (a search for "a<NUL>b" becomes "ab"):
    a link is forgiven, nothing is stored from it."""
    if any(has_control_chars(k) or has_control_chars(v) for k, v in request.args.items(multi=True)):
        request.args = ImmutableMultiDict(
            (CONTROL_CHARS.sub("", k), CONTROL_CHARS.sub("", v)) for k, v in request.args.items(multi=True))


def _form_is_clean() -> bool:
    """Form fields (names and values) hold no control characters. A form is refused rather than
    changed behind the back of the person who sent it."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or request.mimetype not in (
        "application/x-www-form-urlencoded", "multipart/form-data"
    ):
        return True
    return not any(has_control_chars(k) or has_control_chars(v)
                   for k, v in request.form.items(multi=True))


# Headers through which a client (or a proxy) tells the server about the original request.
# gunicorn itself turns the scheme headers into wsgi.url_scheme for a "trusted" peer, which
# by default is any client on 127.0.0.1.
SCHEME_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PROTOCOL", "HTTP_X_FORWARDED_SSL")
FORWARDED_PREFIXES = ("HTTP_X_FORWARDED_", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


class RequestOrigin:
    """The outermost WSGI layer: the scheme, host, client address and path prefix the app
    sees come from the server's own socket, or from as many proxies as TRUSTED_PROXIES says
    (werkzeug's ProxyFix, X-Forwarded-For/-Proto/-Host/-Port/-Prefix), never from a client.

    - SCRIPT_NAME is not trusted: gunicorn takes it from a request header ("SCRIPT_NAME:
      /aanbod") for a client on 127.0.0.1. The app routes the whole path; a prefix can only
      come from a trusted proxy's X-Forwarded-Prefix.
    - Without trusted proxies every X-Forwarded-*/Forwarded header is removed, and a request
      that carried a scheme header is taken as plain http (gunicorn may have believed it).
    Everything behind this layer (the page cache's fast path, Flask) sees the cleaned environ.
    """

    def __init__(self, app: Callable, proxies: int = 0):
        self.app = app  # the next layer; pagecache.init_app puts the page cache's fast path here
        self.proxies = max(0, int(proxies or 0))
        self._proxy_fix = (ProxyFix(self._inner, x_for=self.proxies, x_proto=self.proxies,
                                    x_host=self.proxies, x_port=self.proxies, x_prefix=self.proxies)
                           if self.proxies else None)

    def _inner(self, environ: dict, start_response: Callable):
        return self.app(environ, start_response)

    def __call__(self, environ: dict, start_response: Callable):
        script_name = environ.get("SCRIPT_NAME", "")
        if script_name:
            environ["PATH_INFO"] = script_name + environ.get("PATH_INFO", "")
            environ["SCRIPT_NAME"] = ""
        if self._proxy_fix is not None:
            return self._proxy_fix(environ, start_response)
        if any(name in environ for name in SCHEME_HEADERS):
            environ["wsgi.url_scheme"] = "http"
        for name in [key for key in environ if key.startswith(FORWARDED_PREFIXES)]:
            del environ[name]
        return self.app(environ, start_response)


def trusted_proxies(app: Flask) -> int:
    """TRUSTED_PROXIES (SBO_TRUSTED_PROXIES=1 behind one nginx); PROXY_FIX=1 is the old name."""
    value = app.config["TRUSTED_PROXIES"]
    if value in (None, ""):
        value = 1 if app.config["PROXY_FIX"] else 0
    return int(value)


PLAIN_VALUES = frozenset({str, int, bool, float, type(None)})


def add_vary_cookie(response) -> None:
    """response.vary.add("Cookie"), without parsing a Vary header the response does not have."""
    if any(name.lower() == "vary" for name, _ in response.headers):
        response.vary.add("Cookie")
    else:
        response.headers.add("Vary", "Cookie")


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came in over HTTPS (also behind a
    trusted proxy, SBO_TRUSTED_PROXIES=1), or when configured so (SITE_URL https).

    Cheaper than Flask's own on the requests most visitors make (issue 18): the signing
    serializer is built once per secret key instead of on every request, a request without a
    session cookie gets an empty session without one, and an empty session nobody changed is
    not saved (Flask only adds "Vary: Cookie" for it, as here)."""

    _serializer: tuple[tuple, object, dict] | None = None
    VERIFIED_MAX = 1024

    def _signing(self, app: Flask):
        """(serializer, verified cookies) for the app's current secret keys."""
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._serializer
        if cached is None or cached[0] != key:
            cached = self._serializer = (key, super().get_signing_serializer(app), {})
        return cached[1], cached[2]

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        return self._signing(app)[0]

    def open_session(self, app: Flask, request):
        """As Flask's, remembering the cookies whose signature it has checked (the exact cookie
        value, with the moment it was signed): the next request with the same cookie, a staff
        member's or a visitor's with a form token, skips the HMAC check and the JSON decoding
        (~60 µs). Its age is checked every time; only sessions of plain values (no lists, such
        as flashed messages) are remembered, so that no request can change another's session."""
        if not app.secret_key:
            return None
        if "HTTP_COOKIE" not in request.environ:  # no cookie to parse
            return self.session_class()
        value = request.cookies.get(app.config["SESSION_COOKIE_NAME"])
        if not value:
            return self.session_class()
        serializer, verified = self._signing(app)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = verified.get(value)
        if known is not None:
            signed_at, data = known
            if 0 <= int(time.time()) - signed_at <= max_age:
                return self.session_class(data)
            verified.pop(value, None)
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(type(v) in PLAIN_VALUES for v in data.values()):
            if len(verified) >= self.VERIFIED_MAX:
                verified.clear()
            verified[value] = (int(signed.timestamp()), data)
        return self.session_class(data)

    def save_session(self, app: Flask, session, response) -> None:
        if not session and not session.modified:
            if session.accessed:
                add_vary_cookie(response)
            return
        super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        return self.secure_for(app, request.is_secure)

    def secure_for(self, app: Flask, is_secure: bool) -> bool:
        """The Secure flag for a request that is (or is not) over HTTPS; the page cache's fast
        path, which has no request context, asks this too."""
        # (Flask's own default SESSION_COOKIE_SECURE=False defeats a config setdefault.)
        return (bool(app.config.get("SESSION_COOKIE_SECURE")) or is_secure
                or str(app.config["SITE_URL"]).startswith("https://"))


def dutch_form_messages(app: Flask) -> None:
    """WTForms' own messages ("Not a valid choice.", "Not a valid integer value.", shown for a
    tampered select or "abc" in a number field) come out in Dutch: WTForms ships a Dutch
    catalogue; Flask-WTF would look for Flask-Babel, which the site does not use."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.locales = ["nl"]


def register(app: Flask) -> None:
    """Before the blueprints: their routes take the converter when they are added."""
    app.url_map.converters["int"] = RowIdConverter
    app.session_interface = SessionInterface()
    dutch_form_messages(app)
    app.wsgi_app = RequestOrigin(app.wsgi_app, trusted_proxies(app))

    @app.before_request
    def guard_against_control_characters():
        environ = request.environ
        if has_control_chars(environ.get("PATH_INFO", "")) or not _form_is_clean():
            abort(400, description=BAD_INPUT_MESSAGE)
        if environ.get("QUERY_STRING"):
            _clean_query_string()

    @app.after_request
    def set_headers(response):
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        for name, value in SECURITY_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
        if request.is_secure and "strict-transport-security" not in present:
            # never over plain http (RequestOrigin decides what is https)
            headers.add("Strict-Transport-Security", "max-age=31536000")
        return response
