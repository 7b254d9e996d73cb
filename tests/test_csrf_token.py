"""sbo.extensions.csrf_token: Flask-WTF's token, signed by a signer made once (issue 18)."""
from __future__ import annotations

import time

from flask import g, session
from flask_wtf.csrf import generate_csrf, validate_csrf

from sbo.extensions import csrf_token


def test_the_token_is_flask_wtfs_and_validates(app, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    with app.test_request_context("/"):
        ours = csrf_token()
        assert len(session["csrf_token"]) == 40 and g.csrf_token == ours
        del g.csrf_token
        assert generate_csrf() == ours  # the same secret in the session, the same second
        validate_csrf(ours)  # raises when it is not valid
        assert csrf_token() == ours  # once per request

