"""The page cache (sbo/pagecache/), on a small blueprint of its own."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest
from flask import Blueprint, flash, make_response, redirect, render_template_string, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import insert, select, update

from sbo.pagecache import cache_page, track_content
from sbo.pagecache.store import CacheGeneration, PageStore
from sbo.catalogue.models import Theme, offering_theme
from sbo.extensions import db
from tests.factories import make_offering, make_theme

track_content(Theme, offering_theme)


def cached_app(make_app, **config):
    """An app with a /proef blueprint; `app.renders` counts how often each view really ran."""
    app = make_app(**config)
    renders = Counter()
    bp = Blueprint("proef", __name__, url_prefix="/proef")

    @bp.get("/themas")
    @cache_page()
    def themes():
        renders["themes"] += 1
        names = db.session.scalars(select(Theme.name).order_by(Theme.name)).all()
        return render_template_string(
            "{% for m in get_flashed_messages() %}<p>{{ m }}</p>{% endfor %}"
            "<p>{{ names|join(', ') }}</p>", names=names)

    @bp.get("/formulier")
    @cache_page()
    def form():
        renders["form"] += 1
        return f'<form method="post"><input name="csrf_token" value="{generate_csrf()}"></form>'

    @bp.get("/koekje")
    @cache_page()
    def cookie():
        renders["cookie"] += 1
        response = make_response("<p>koekje</p>")
        response.set_cookie("voorkeur", "ja")
        return response

    @bp.get("/sessie")
    @cache_page()
    def session_write():
        renders["session"] += 1
        session["gezien"] = True
        return "<p>sessie</p>"

    @bp.get("/melding")
    def add_flash():
        flash("Je reactie is ontvangen.")
        return redirect("/proef/themas")

    app.register_blueprint(bp)
    app.renders = renders
    return app


@pytest.fixture
def app(make_app):
    return cached_app(make_app)


def add_theme(app, name):
    with app.app_context():
        make_theme(name=name)
        db.session.commit()


def test_anonymous_visitors_get_the_stored_page(app, client):
    add_theme(app, "Veiligheid")
    first = client.get("/proef/themas")
    second = client.get("/proef/themas")
    assert first.status_code == second.status_code == 200
    assert "Veiligheid" in second.get_data(as_text=True)
    assert second.data == first.data
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert app.renders["themes"] == 1
    assert "Content-Security-Policy" in second.headers  # after_request hooks still run on a hit


def test_query_string_is_part_of_the_key(app, client):
    client.get("/proef/themas?pagina=1")
    client.get("/proef/themas?pagina=2")
    client.get("/proef/themas?pagina=1")
    assert app.renders["themes"] == 2


def test_logged_in_staff_never_get_a_stored_page(app, client):
    client.get("/proef/themas")
    with client.session_transaction() as sess:
        sess["_user_id"] = "1"
    response = client.get("/proef/themas")
    assert "X-Cache" not in response.headers
    assert app.renders["themes"] == 2


def test_a_waiting_flash_bypasses_the_cache(app, client):
    client.get("/proef/themas")
    response = client.get("/proef/melding", follow_redirects=True)
    assert "Je reactie is ontvangen." in response.get_data(as_text=True)
    assert app.renders["themes"] == 2
    assert client.get("/proef/themas").headers["X-Cache"] == "hit"  # flash consumed: anonymous again


def test_bypass_cookie_skips_the_cache(app, client):
    client.get("/proef/themas")
    client.set_cookie("remember_token", "1|abc")
    assert "X-Cache" not in client.get("/proef/themas").headers
    assert app.renders["themes"] == 2


def test_content_change_invalidates(app, client):
    add_theme(app, "Veiligheid")
    client.get("/proef/themas")
    add_theme(app, "Zorg")
    response = client.get("/proef/themas")
    assert "Zorg" in response.get_data(as_text=True)
    assert app.renders["themes"] == 2


def test_update_and_delete_invalidate(app, client):
    add_theme(app, "Veiligheid")
    client.get("/proef/themas")
    with app.app_context():
        theme = db.session.scalars(select(Theme)).one()
        theme.name = "Openbare orde"
        db.session.commit()
    assert "Openbare orde" in client.get("/proef/themas").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Theme).values(name="Handhaving"))
        db.session.commit()
    assert "Handhaving" in client.get("/proef/themas").get_data(as_text=True)
    with app.app_context():
        db.session.delete(db.session.scalars(select(Theme)).one())
        db.session.commit()
    assert "Handhaving" not in client.get("/proef/themas").get_data(as_text=True)
    assert app.renders["themes"] == 4


def test_untracked_changes_and_rollbacks_keep_the_generation(app_ctx):
    before = db.session.scalar(select(CacheGeneration.value))
    make_theme(name="Weg")
    db.session.rollback()
    from sbo.mail import queue_mail
    queue_mail("a@example.org", "Hallo", "Tekst")
    db.session.commit()
    assert db.session.scalar(select(CacheGeneration.value)) == before


def test_bulk_insert_into_a_tracked_table_bumps_the_generation(app_ctx):
    theme, offering = make_theme(), make_offering()
    db.session.commit()
    before = db.session.scalar(select(CacheGeneration.value))
    db.session.execute(insert(offering_theme), [{"offering_id": offering.id, "theme_id": theme.id}])
    db.session.commit()
    assert db.session.scalar(select(CacheGeneration.value)) == before + 1


def test_missing_generation_row_is_created(app, client):
    """A database made by a migration has the table but not the row."""
    with app.app_context():
        db.session.execute(CacheGeneration.__table__.delete())
        db.session.commit()
    client.get("/proef/themas")
    add_theme(app, "Zorg")
    assert "Zorg" in client.get("/proef/themas").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CacheGeneration.value)) == 1


def test_change_in_one_instance_reaches_another(make_app):
    """Two app instances (two workers or hosts) on one database, each with its own LRU."""
    first = cached_app(make_app, CACHE_GENERATION_TTL=0)
    second = cached_app(make_app, CACHE_GENERATION_TTL=0)
    add_theme(first, "Veiligheid")
    for app in (first, second):
        app.test_client().get("/proef/themas")
        assert app.test_client().get("/proef/themas").headers["X-Cache"] == "hit"
    add_theme(second, "Zorg")
    response = first.test_client().get("/proef/themas")
    assert "Zorg" in response.get_data(as_text=True)
    assert response.headers["X-Cache"] == "miss"


def test_committing_instance_forgets_its_memo(app, client):
    """With the default 1 s memo, the worker that made the change sees it at once."""
    client.get("/proef/themas")
    add_theme(app, "Zorg")
    assert "Zorg" in client.get("/proef/themas").get_data(as_text=True)


def test_etag_and_last_modified_give_304(app, client):
    first = client.get("/proef/themas")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/proef/themas", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/proef/themas", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    add_theme(app, "Zorg")
    changed = client.get("/proef/themas", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Zorg" in changed.get_data(as_text=True)


def test_pages_with_a_csrf_token_are_not_stored(app, client):
    client.get("/proef/formulier")
    client.get("/proef/formulier")
    assert app.renders["form"] == 2


def test_responses_setting_cookies_are_not_stored(app, client):
    for _ in range(2):
        assert "voorkeur=ja" in client.get("/proef/koekje").headers["Set-Cookie"]
    assert app.renders["cookie"] == 2
    fresh = app.test_client()
    for _ in range(2):
        assert "session=" in fresh.get("/proef/sessie").headers.get("Set-Cookie", "")
        fresh.delete_cookie("session")
    assert app.renders["session"] == 2


def test_cache_can_be_switched_off(make_app):
    app = cached_app(make_app, CACHE_ENABLED=False)
    client = app.test_client()
    client.get("/proef/themas")
    client.get("/proef/themas")
    assert app.renders["themes"] == 2


def test_lru_is_bounded(app):
    store = PageStore(max_entries=2, generation_ttl=0)
    for key in ("a", "b", "c"):
        store.set(key, {"body": key.encode(), "headers": []}, timeout=60)
    assert store.get("a") is None
    assert store.get("b")["body"] == b"b" and store.get("c")["body"] == b"c"


@pytest.fixture
def redis_url():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(5)


def test_redis_store_shared_and_invalidated(make_app, redis_url):
    first = cached_app(make_app, CACHE_REDIS_URL=redis_url, CACHE_GENERATION_TTL=0)
    second = cached_app(make_app, CACHE_REDIS_URL=redis_url, CACHE_GENERATION_TTL=0)
    add_theme(first, "Veiligheid")
    assert first.test_client().get("/proef/themas").headers["X-Cache"] == "miss"
    hit = second.test_client().get("/proef/themas")
    assert hit.headers["X-Cache"] == "hit" and "Veiligheid" in hit.get_data(as_text=True)
    add_theme(second, "Zorg")
    response = first.test_client().get("/proef/themas")
    assert response.headers["X-Cache"] == "miss" and "Zorg" in response.get_data(as_text=True)
