"""sbo.tokens: signed, expiring links. A token reads back as it was made, only for its own
purpose, only with the key that made it, and not after its purpose's configured lifetime."""
from __future__ import annotations

from unittest import mock

import pytest

from sbo.tokens import DAY, SALTS, ExpiredToken, InvalidToken, make_token, read_token


def test_a_token_reads_back_as_made(app_ctx):
    for purpose in SALTS:
        assert read_token(purpose, make_token(purpose, 42, "Mila@Example.org")) == (
            42, "Mila@Example.org")


def test_a_token_is_only_good_for_its_own_purpose(app_ctx):
    token = make_token("interest-confirm", 7, "mila@example.org")
    for other in set(SALTS) - {"interest-confirm"}:
        with pytest.raises(InvalidToken):
            read_token(other, token)


def test_a_changed_token_or_another_key_is_refused(app, make_app):
    with app.app_context():
        token = make_token("enrolment", 1, "mila@example.org")
        with pytest.raises(InvalidToken):
            read_token("enrolment", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
        with pytest.raises(InvalidToken):
            read_token("enrolment", "not-a-token")
    other = make_app(SECRET_KEY="another-secret")
    with other.app_context(), pytest.raises(InvalidToken):
        read_token("enrolment", token)


@pytest.mark.parametrize("purpose, days", [("enrolment", 400), ("booking-confirm", 7),
                                           ("interest-confirm", 14),
                                           ("interest-unsubscribe", 3 * 365)])
def test_a_token_expires_after_its_configured_lifetime(app, app_ctx, purpose, days):
    assert app.config[SALTS[purpose][1]] == days
    with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000):
        token = make_token(purpose, 3, "mila@example.org")
    with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000 + days * DAY - 1):
        assert read_token(purpose, token) == (3, "mila@example.org")
    with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000 + days * DAY + 1):
        with pytest.raises(ExpiredToken):
            read_token(purpose, token)


def test_the_lifetime_comes_from_the_config(make_app):
    app = make_app(INTEREST_CONFIRM_MAX_AGE_DAYS=1)
    with app.app_context():
        with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000):
            token = make_token("interest-confirm", 3, "mila@example.org")
        with mock.patch("itsdangerous.timed.time.time", return_value=1_000_000_000 + 2 * DAY):
            with pytest.raises(ExpiredToken):
                read_token("interest-confirm", token)


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
