"""The application foundation: configuration, error pages, security headers."""
from __future__ import annotations

import pytest

from sbo import create_app


def test_unknown_page_is_dutch_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Pagina niet gevonden" in html
    assert 'lang="nl"' in html


def test_security_headers_on_every_response(client):
    for url in ("/", "/bestaat-niet", "/static/css/site.css"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SBO_SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_dev_secret_key_refused_outside_debug(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "dev",
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('SITE_NAME = "Uit instance"\nMAIL_FROM = "a@b.nl"\n')
    monkeypatch.setenv("SBO_SITE_NAME", "Uit omgeving")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "TESTING": True})
    assert app.config["SITE_NAME"] == "Uit omgeving"
    assert app.config["MAIL_FROM"] == "a@b.nl"


def test_database_url_selects_postgres_driver(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/x")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/x"


def test_redis_url_shares_the_page_cache_and_the_rate_limits(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://10.0.0.5:6379/0")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    assert app.config["CACHE_REDIS_URL"] == app.config["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.5:6379/0"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://10.0.0.6:6379/1")  # a store of its own wins
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.6:6379/1"


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'sbo.sqlite'}"
