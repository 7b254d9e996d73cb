"""Configuration: defaults < instance/config.py < environment < the mapping given to create_app."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

DEV_SECRET = "dev"


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # PostgreSQL connections are pinged by sbo.postgres
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # as long as a remembered staff login lasts
    STAFF_REMEMBER_DAYS = 30       # a staff login with "Ingelogd blijven" (sbo/staff/sessions.py)
    STAFF_SESSION_HOURS = 12       # a staff login without it
    STAFF_RESET_MINUTES = 60       # a mailed "Wachtwoord vergeten?" link
    STAFF_RESET_ADMIN_HOURS = 24   # a reset link made by an admin
    STAFF_RESET_MAIL_INTERVAL = 5  # minutes: at most one reset mail per account
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    SITE_NAME = "SBO"
    SITE_URL = "http://127.0.0.1:5000"
    # mail: with no MAIL_SERVER, messages are written as .eml files to instance/mail/
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "SBO <info@sbo.example>"
    MAIL_MAX_ATTEMPTS = 8
    # at most one mail of a kind (interest confirmation, enrolment, …) per typed-in address per period
    MAIL_THROTTLE_SECONDS = 3600
    # counters every worker shares: the database (sbo/ratelimit.py), or redis://host:6379
    RATELIMIT_STORAGE_URI = "sbo+database://"
    RATELIMIT_HEADERS_ENABLED = False
    # the page cache (sbo/pagecache/): rendered pages for anonymous visitors, per worker at most
    # CACHE_MAX_ENTRIES, or shared in Redis (redis://host:6379/0); a worker may memo the content
    # generation for CACHE_GENERATION_TTL seconds (seat counts may show that late elsewhere)
    CACHE_ENABLED = True
    CACHE_MAX_ENTRIES = 500
    CACHE_GENERATION_TTL = 1.0
    CACHE_REDIS_URL = None
    # cookies that make a visitor's pages personal (never served from or stored in the cache);
    # None: the ones the domains register with sbo.pagecache.bypass_cookies()
    CACHE_BYPASS_COOKIES = None
    CATALOGUE_PER_PAGE = 12
    # the VAT rate (percent, a string read as an exact Decimal) for prices "excl. btw" and "incl. btw"
    VAT_RATE_PERCENT = "21"
    # a contact person's photo (sbo/catalogue/contacts.py): JPEG, PNG or WebP, at most this size
    CONTACT_PHOTO_MAX_BYTES = 2 * 1000 * 1000
    # enrolling closes N days before the start unless staff set an edition's own deadline
    ENROLMENT_DEADLINE_DAYS = 7
    ENROLMENT_CHANGE_CUTOFF_DAYS = 2  # cancel / send a substitute online until N days before the start
    # cancelling costs: (at least N days before the start, percentage of the price); see
    # sbo/enrolment/terms.py. Free until 4 weeks before, half until 1 week before, then all.
    ENROLMENT_CANCELLATION_TERMS = ((28, 0), (7, 50), (0, 100))
    REMINDER_DAYS_BEFORE = 7
    # lifetimes of the personal links in mails (sbo/tokens.py, sbo/enrolment/links.py), in days
    ENROLMENT_TOKEN_MAX_AGE_DAYS = 400
    ENROLMENT_CONFIRM_MAX_AGE_DAYS = 7
    INTEREST_CONFIRM_MAX_AGE_DAYS = 14
    INTEREST_UNSUBSCRIBE_MAX_AGE_DAYS = 3 * 365
    OFFER_LINK_MAX_AGE_DAYS = 60  # the offer itself lapses sooner; the link then says so
    # Mails sent before migration tokens_0001 carry signed links with the address in them; they
    # keep working (each within its own lifetime above) until this date, then the code reading
    # them (sbo/tokens.py read_legacy_token) goes. A date (ISO string) or None to refuse them all.
    # The default is the deploy (December 2026) plus the longest lifetime an enrolment link had
    # (400 days); unsubscribe links older than that fall back to the manual route (contact us).
    LEGACY_LINKS_UNTIL = "2028-01-31"
    # consent: a booking holds its seats this long until the booker confirms by mail
    ENROLMENT_HOLD_HOURS = 24
    # waiting-list offers (sbo/enrolment/offers.py): a freed seat is held for the first waiting
    # booking this many hours, but never past the start of the day before the edition starts,
    # and never less than OFFER_MIN_HOURS (no offer at all when even that would run into the
    # start day); a reminder goes OFFER_REMINDER_HOURS before it lapses
    OFFER_HOURS = 48
    OFFER_MIN_HOURS = 4
    OFFER_REMINDER_HOURS = 12
    # a waiting group is offered seats as a whole; when too few seats are free for it, the next
    # booking that fits gets them (True), or everyone waits until the group fits (False)
    OFFER_SKIP_GROUPS_THAT_DO_NOT_FIT = True
    # colleagues one booking may enrol besides the booker (the form shows that many rows)
    ENROLMENT_MAX_GROUP = 3
    # attendance (sbo/attendance): a day someone left early counts "pro rata" (the share of the
    # day until they left) or "none" (not at all); a participant qualifies for points and a
    # certificate when present for at least this share of the edition's scheduled hours
    ATTENDANCE_PARTIAL_DAY = "pro rata"
    ATTENDANCE_MIN_SHARE = 1.0
    # participants may add or correct their registration numbers until this many days after
    # the edition's last day (until the certificates go out)
    REGISTRATION_NUMBERS_OPEN_DAYS = 14
    # certificates (sbo/certificates): `send-certificates` issues and mails them once the last
    # day of an edition has passed, for editions that ended at most this many days ago
    CERTIFICATE_SEND_WITHIN_DAYS = 60
    # /certificaat/<code>: how often one address may check a code (guessing codes is pointless)
    CERTIFICATE_VERIFY_LIMIT = "20 per minute;200 per day"
    # evaluations (sbo/evaluation): `send-evaluations` mails each participant who attended a
    # personal link once the last day has passed (for editions that ended at most
    # EVALUATION_SEND_WITHIN_DAYS ago), and one reminder this many days later if unanswered
    EVALUATION_SEND_WITHIN_DAYS = 30
    EVALUATION_REMINDER_DAYS = 7
    # the offering page shows the average score from this many evaluations on
    EVALUATION_MIN_COUNT = 5
    # news
    NEWS_PER_PAGE = 10
    NEWS_RELATED_OFFERINGS = 4
    NEWS_RELATED_ARTICLES = 3
    # an article document (PDF, DOCX, …) may be this large (sbo/news/documents.py)
    DOCUMENT_MAX_BYTES = 10 * 1000 * 1000
    # a trainer's photo (JPG, PNG or WEBP; sbo/catalogue/trainers.py)
    TRAINER_PHOTO_MAX_BYTES = 3 * 1000 * 1000
    # comments stay open; a number of days closes them that long after publication (as
    # WordPress's "close comments on older articles", which ships switched off)
    COMMENTS_CLOSE_AFTER_DAYS = None
    COMMENT_AUTO_APPROVE_KNOWN = True
    COMMENT_MIN_SECONDS = 3
    COMMENT_FLOOD_SECONDS = 15
    COMMENT_MAX_LINKS = 2
    COMMENT_MAX_DEPTH = 3
    COMMENT_THREADS_PER_PAGE = 20
    COMMENT_DISALLOWED_WORDS = ["viagra", "casino", "crypto-winst", "goedkope pillen"]
    COMMENT_RATE_LIMIT = "5 per minute;30 per hour"
    # names and address parts that read as the site's own staff: never approved on their own
    COMMENT_STAFF_WORDS = ["moderator", "moderatie", "redactie", "redacteur", "beheer", "beheerder",
                           "admin", "administrator", "webmaster", "postmaster", "helpdesk"]
    # moderators get at most one mail per this many minutes, listing the new waiting comments
    COMMENT_DIGEST_MINUTES = 15
    # proxies in front of the site whose X-Forwarded-* headers count (sbo/security.py);
    # None falls back to PROXY_FIX, the old name (PROXY_FIX=1 is one proxy)
    TRUSTED_PROXIES = None
    PROXY_FIX = False
    # WTForms' own messages in Dutch from its catalogue, not through Flask-Babel (sbo/security.py)
    WTF_I18N_ENABLED = False
    # How long each kind of personal data is kept, in days. `flask purge-personal-data` (daily,
    # from cron) enforces these periods and /privacy shows them, so the statement cannot drift
    # from the code. The kinds and who enforces them: sbo/personal_data.py and its providers.
    RETENTION_DAYS = {
        "ip_address": 30,              # IP addresses of comments (spam control)
        "login_attempt": 1,            # failed staff logins (e-mail, IP): the throttle looks back 24 h
        "rate_limit": 1,               # rate-limit counters (keyed by IP address), after they expire
        "mail_throttle": 1,            # "one mail per address per hour" marks
        "staff_session": 30,           # expired staff sessions and reset links
        "mail_body": 90,               # sent mail (outbox rows and instance/mail/*.eml files)
        "interest_unconfirmed": 30,    # "houd mij op de hoogte" never confirmed by mail
        "interest_unsubscribed": 30,   # "houd mij op de hoogte" after unsubscribing
        "comment_rejected": 30,        # comments in spam or trash are deleted
        "comment_anonymised": 0,       # e-mail and website of comments shown as "Anoniem"
        "enrolment_details": 365,      # phone, job title and remarks, after the edition's start
        "enrolment_invoice": 7 * 366,  # everything else of a booking: the fiscal period (7 years)
        "data_request": 1,             # a /mijn-gegevens request (its address), after the link expired
        "audit_text": 365,             # audit entries' free text from before audit_0001 (may name people)
        "incompany_request": 2 * 365,  # an in-company request and its notes, after its last change
        "attendance": 2 * 365,         # the days someone was marked present, after the edition's start
        "registration_number": 2 * 365,  # numbers in professional registers, after the edition's start
        "certificate": 5 * 366,        # a certificate (name, hours, points, code), after it was issued
        "evaluation": 2 * 365,         # an evaluation's link to the participant and its remark, after the invitation
    }
    MY_DATA_LINK_MINUTES = 60      # a mailed /mijn-gegevens link; it works once
    MY_DATA_SESSION_MINUTES = 30   # how long the overview stays open after following the link


def load(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    env = os.environ
    if env.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(env["DATABASE_URL"])
    for key in ("SECRET_KEY", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM",
                "SITE_URL", "RATELIMIT_STORAGE_URI"):
        if env.get(key):
            app.config[key] = env[key]
    if env.get("MAIL_PORT"):
        app.config["MAIL_PORT"] = int(env["MAIL_PORT"])
    if env.get("REDIS_URL"):  # what several hosts must share: stored pages and the rate limits
        app.config["CACHE_REDIS_URL"] = env["REDIS_URL"]
        app.config["RATELIMIT_STORAGE_URI"] = env.get("RATELIMIT_STORAGE_URI") or env["REDIS_URL"]
    app.config.from_prefixed_env("SBO")
    if overrides:
        app.config.update(overrides)

    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(app.instance_path) / 'sbo.sqlite'}"
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _queue_sqlite_writers(app)
    if str(app.config["SITE_URL"]).startswith("https://"):
        app.config.setdefault("SESSION_COOKIE_SECURE", True)
        app.config.setdefault("REMEMBER_COOKIE_SECURE", True)
    _ensure_secret_key(app)


def _normalise_db_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _queue_sqlite_writers(app: Flask) -> None:
    """SQLite writers wait in a queue rather than in the busy handler (see sqlite_writes.py)."""
    from .sqlite_writes import WriteLockedConnection

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["connect_args"] = {"factory": WriteLockedConnection, **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _ensure_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if key and key != DEV_SECRET:
        return
    if key == DEV_SECRET and (app.debug or app.testing):
        return
    if key == DEV_SECRET:
        raise RuntimeError("SECRET_KEY 'dev' is only allowed in debug or testing mode")
    if app.testing:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()
