"""sbo.tokens: opaque secrets stored hashed, the lifetimes of personal links, signed cookie
values, and the signed links of mails sent before tokens_0001 (read until LEGACY_LINKS_UNTIL)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from itsdangerous import URLSafeTimedSerializer

from sbo import clock
from sbo.tokens import (DAY, LEGACY_SALTS, MAX_AGE_KEYS, ExpiredToken, InvalidToken, link_expired,
                        read_legacy_token)

T0 = datetime(2027, 3, 1, 12, 0)


def legacy_token(app, purpose: str, record_id: int, email: str) -> str:
    """A link as the site made them before tokens_0001."""
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=LEGACY_SALTS[purpose]).dumps(
        [record_id, email])


@pytest.mark.parametrize("purpose, days", [("enrolment", 400), ("booking-confirm", 7),
                                           ("interest-confirm", 14),
                                           ("interest-unsubscribe", 3 * 365)])
def test_a_link_expires_after_its_configured_lifetime(app, purpose, days):
    with app.app_context():
        assert app.config[MAX_AGE_KEYS[purpose]] == days
        assert not link_expired(purpose, T0, now=T0 + timedelta(days=days) - timedelta(seconds=1))
        assert link_expired(purpose, T0, now=T0 + timedelta(days=days, seconds=1))


def test_the_lifetime_comes_from_the_config(make_app):
    with make_app(INTEREST_CONFIRM_MAX_AGE_DAYS=1).app_context():
        assert link_expired("interest-confirm", T0, now=T0 + timedelta(days=2))


def test_a_legacy_link_reads_back_for_its_own_purpose_until_the_configured_date(app, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(clock, "today", lambda now=None: date(2027, 1, 1))
        for purpose in LEGACY_SALTS:
            token = legacy_token(app, purpose, 42, "mila@example.org")
            assert read_legacy_token(purpose, token) == (42, "mila@example.org")
            for other in set(LEGACY_SALTS) - {purpose}:
                with pytest.raises(InvalidToken):
                    read_legacy_token(other, token)
        token = legacy_token(app, "enrolment", 42, "mila@example.org")
        with pytest.raises(InvalidToken):
            read_legacy_token("enrolment", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
        monkeypatch.setattr(clock, "today", lambda now=None: date.fromisoformat(
            app.config["LEGACY_LINKS_UNTIL"]) + timedelta(days=1))
        with pytest.raises(InvalidToken):
            read_legacy_token("enrolment", token)


def test_a_legacy_link_keeps_its_own_lifetime_and_key(app, make_app, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda now=None: date(2027, 1, 1))
    with app.app_context():
        with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000):
            token = legacy_token(app, "interest-confirm", 3, "mila@example.org")
        with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000 + 15 * DAY):
            with pytest.raises(ExpiredToken):
                read_legacy_token("interest-confirm", token)
        fresh = legacy_token(app, "enrolment", 1, "mila@example.org")
    with make_app(SECRET_KEY="another-secret").app_context(), pytest.raises(InvalidToken):
        read_legacy_token("enrolment", fresh)
    with make_app(LEGACY_LINKS_UNTIL=None).app_context(), pytest.raises(InvalidToken):
        read_legacy_token("enrolment", fresh)


def test_opaque_tokens_are_random_and_stored_hashed():
    from sbo.tokens import opaque_token, token_hash
    tokens = {opaque_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) == 43 for t in tokens)  # 32 bytes, URL-safe base64
    assert len(opaque_token(24)) == 32
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_a_signed_value_reads_back_only_with_its_salt_and_key(app, make_app):
    from itsdangerous import BadSignature
    from sbo.tokens import signer
    with app.app_context():
        value = signer("sbo.test.one").dumps({"u": 1, "d": "abc"})
        assert signer("sbo.test.one").loads(value) == {"u": 1, "d": "abc"}
        with pytest.raises(BadSignature):
            signer("sbo.test.two").loads(value)
    with make_app(SECRET_KEY="another-secret").app_context(), pytest.raises(BadSignature):
        signer("sbo.test.one").loads(value)


def test_quick_dumps_is_read_by_the_serializer_and_signed_with_its_key():
    from itsdangerous import BadSignature, URLSafeSerializer

    from sbo.tokens import quick_dumps
    timed = URLSafeTimedSerializer("geheim", salt="wtf-csrf-token")
    for value in ("3f" * 20, {"csrf_token": "ab" * 20}, [1767225600, "c0ffee" * 5]):
        assert timed.loads(quick_dumps(timed, value)) == value
        assert timed.loads(quick_dumps(timed, value)) == value  # the kept signer, second time
    plain = URLSafeSerializer("geheim", salt="sbo")
    assert plain.loads(quick_dumps(plain, ["x"])) == ["x"]
    with pytest.raises(BadSignature):
        URLSafeTimedSerializer("ander", salt="wtf-csrf-token").loads(quick_dumps(timed, "x"))
    with pytest.raises(BadSignature):
        URLSafeTimedSerializer("geheim", salt="andere-salt").loads(quick_dumps(timed, "x"))


def test_quick_dumps_writes_what_the_serializer_writes(monkeypatch):
    """Byte for byte itsdangerous's own dumps (for values zlib does not shrink): the JSON
    serializer, Flask's session serializer (HMAC key derivation, tagged JSON), non-ASCII text."""
    import hashlib
    import time

    from flask import Flask
    from itsdangerous import URLSafeSerializer

    from sbo.tokens import quick_dumps
    monkeypatch.setattr(time, "time", lambda: 1767225600.5)
    token = hashlib.sha1(b"bezoeker").hexdigest()  # random-looking: zlib does not shrink it
    flask_app = Flask(__name__)
    flask_app.secret_key = "geheim"
    serializers = [URLSafeTimedSerializer("geheim", salt="wtf-csrf-token"), URLSafeSerializer("geheim", salt="sbo"),
                   flask_app.session_interface.get_signing_serializer(flask_app)]
    for serializer in serializers:
        for value in ({"csrf_token": token}, token, {"naam": "Zoë"}, [1767225600, token[:32]]):
            assert quick_dumps(serializer, value) == serializer.dumps(value)
            assert quick_dumps(serializer, value) == serializer.dumps(value)  # the kept signer


def test_quick_dumps_uses_another_signer_as_it_is():
    """A serializer with its own signer (here a different digest) gets that signer's signature."""
    import hashlib

    from itsdangerous import URLSafeSerializer

    from sbo.tokens import quick_dumps
    sha256 = URLSafeSerializer("geheim", salt="sbo", signer_kwargs={"digest_method": hashlib.sha256})
    assert quick_dumps(sha256, ["x"]) == sha256.dumps(["x"])
    assert URLSafeSerializer("geheim", salt="sbo").loads(quick_dumps(URLSafeSerializer("geheim", salt="sbo"), ["x"])) == ["x"]
    with pytest.raises(Exception):
        URLSafeSerializer("geheim", salt="sbo").loads(quick_dumps(sha256, ["x"]))
