"""A new worker compiles every template before its first visitor (sbo/warmup.py)."""
from __future__ import annotations

import gc
from pathlib import Path

from sbo.warmup import warm_up

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_template_is_compiled_before_the_first_request(app, monkeypatch):
    files = [path for path in TEMPLATES.rglob("*") if path.is_file()]
    assert warm_up(app) == len(files)
    assert gc.get_freeze_count() > 10_000  # the app's own objects, out of the collector's walks
    gc.unfreeze()

    def no_reading(*args, **kwargs):
        raise AssertionError("a template was read from disk after the warm-up")
    monkeypatch.setattr(app.jinja_env.loader, "get_source", no_reading)
    client = app.test_client()
    for path in ("/", "/aanbod", "/nieuws", "/beheer/login"):
        assert client.get(path).status_code == 200, path


def test_the_benchmark_and_production_config_warm_each_worker_up():
    config = (TEMPLATES.parent / "bench" / "gunicorn.conf.py").read_text()
    assert "def post_worker_init" in config and "warm_up(worker.wsgi)" in config
