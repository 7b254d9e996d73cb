"""The benchmark machinery (bench/), proven on throwaway apps before the real routes exist."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.request import urlopen

import pytest
from flask import Flask, redirect, render_template_string, request, session
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import func, select
from werkzeug.serving import make_server
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from bench import dataset
from bench.burst import FormTarget, log_in, post_burst
from bench.cpu import CpuMeter
from bench.load import check_status, measure, parse_wrk
from bench.report import render_table
from bench.proxy import RoundRobin
from bench.server import Gunicorn, free_port
from bench.weight import page_weight
from sbo.catalogue.models import Edition, Offering, OfferingType, SessionDate
from sbo.enrolment.consent import seat_count_mismatches
from sbo.enrolment.models import Enrolment
from sbo.extensions import db
from sbo.news import queries as news_queries, services
from sbo.news.models import Article, Comment
from sbo.staff.models import Role, StaffUser

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.48ms    5.01ms  48.12ms   80.11%
    Req/Sec     1.07k   120.31     1.30k    71.67%
  Latency Distribution
     50%    7.03ms
     75%    9.20ms
     90%   13.48ms
     99%  812.50us
  6391 requests in 3.01s, 1.06MB read
Requests/sec:   2123.17
Transfer/sec:    359.70KB
"""


def test_wrk_output_is_parsed():
    parsed = parse_wrk(WRK_OUTPUT)
    assert parsed == {"errors": [], "rps": 2123.17, "p50_ms": 7.03, "p99_ms": 0.8125, "requests": 6391}


def test_wrk_errors_are_reported():
    output = WRK_OUTPUT.replace("Requests/sec", "  Socket errors: connect 0, read 3, write 0, timeout 2\n"
                                "  Non-2xx or 3xx responses: 40\nRequests/sec")
    errors = parse_wrk(output)["errors"]
    assert errors == ["40 non-2xx/3xx responses", "socket errors: connect 0, read 3, write 0, timeout 2"]
    assert parse_wrk("connection refused")["errors"] == ["could not read wrk's output"]


class NameForm(FlaskForm):
    name = StringField("Naam", validators=[DataRequired("Vul je naam in."), Length(max=40)])


def throwaway_app() -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config.update(SECRET_KEY="throwaway")
    CSRFProtect(app)
    app.received = []
    lock = threading.Lock()

    @app.route("/aanmelden", methods=["GET", "POST"])
    def sign_up():
        form = NameForm()
        if form.validate_on_submit():
            with lock:
                app.received.append(form.name.data)
            session["name"] = form.name.data
            return redirect("/bedankt", 303)
        status = 422 if request.method == "POST" else 200
        return render_template_string(
            '<form method="post" action="/aanmelden">{{ form.csrf_token }}{{ form.name }}</form>', form=form), status

    @app.get("/binnen")
    def inside():  # a staff page: only with the session the form started (403: wrk counts it)
        return f"Welkom {session['name']}" if "name" in session else ("Log eerst in.", 403)

    @app.get("/bedankt-redirect")
    def moved():
        return redirect("/aanmelden")

    @app.get("/zonder-token")
    def no_token():
        return "<form method='post'><input name='name'></form>"

    @app.get("/pagina")
    def page():
        return ('<!doctype html><link rel="stylesheet" href="/s/site.css"><script src="/s/app.js"></script>'
                '<script src="https://cdn.example.com/lib.js"></script><a href="https://elders.example/">x</a>'
                '<img srcset="/s/a.png 1x, /s/a.png 2x">')

    @app.get("/s/site.css")
    def css():
        return "body{background:url(/s/bg.png)} @import 'https://fonts.example/x.css';", {"Content-Type": "text/css"}

    @app.get("/s/<name>")
    def asset(name):
        return "x" * 100
    return app


@pytest.fixture
def served():
    app = throwaway_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_logged_in_page_is_measured_with_the_session_cookie(served):
    app, base = served
    assert log_in(base, "/aanmelden", {"name": ""}) == ""  # refused form: no session
    cookie = log_in(base, "/aanmelden", {"name": "Beheer"})
    assert cookie.startswith("session=")
    assert check_status(base + "/binnen") == (403, "HTTP 403")
    assert check_status(base + "/aanmelden?x", cookie=cookie)[0] == 200
    assert check_status(base + "/bedankt-redirect") == (302, "HTTP 302")  # a redirect is not followed
    assert check_status(base + "/binnen", cookie=cookie) == (200, "")
    result = measure(base + "/binnen", duration=1, warmup=0, connections=2, cookie=cookie)
    assert result.ok and result.requests > 0, result.errors
    assert result.cpu_us is None  # not asked for


# burns `seconds` of CPU when it reads a line, says so, then waits `wait` seconds
BURN = ("import sys, time\nsys.stdin.readline()\nstart = time.process_time()\n"
        "while time.process_time() - start < {seconds}: pass\nprint('done', flush=True)\ntime.sleep({wait})")


def test_cpu_meter_splits_the_cpu_of_a_run_between_the_app_and_wrk():
    app = subprocess.Popen([sys.executable, "-c", BURN.format(seconds=0.3, wait=60)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    try:
        meter = CpuMeter(lambda: [app.pid])
        meter.start()
        app.stdin.write("go\n")
        app.stdin.flush()
        assert app.stdout.readline() == "done\n"
        # what wrk is in a real run: a child process that has ended before the meter reads
        subprocess.run([sys.executable, "-c", BURN.format(seconds=0.2, wait=0)], input="go\n", text=True,
                       capture_output=True, timeout=30, check=True)
        per = meter.per_request(100)
    finally:
        app.kill()
        app.wait()
    # 0.3 s over 100 requests is 3,000 µs each; the kernel counts in ticks (10 ms)
    assert 2_800 <= per["app"] <= 4_000, per
    assert 1_900 <= per["wrk"] <= 6_000, per  # 0.2 s and Python's start-up
    assert per["database"] is None
    assert meter.per_request(100) == {"app": None, "database": None, "wrk": None}  # one reading a start


def test_a_measured_page_reports_its_cpu_per_request(served):
    _, base = served
    # the served fixture runs the app in this process's threads
    result = measure(base + "/pagina", duration=1, warmup=0, connections=2, cpu=CpuMeter(lambda: [os.getpid()]))
    assert result.ok and result.requests > 0, result.errors
    assert result.cpu_us["app"] > 0 and result.cpu_us["wrk"] > 0 and result.cpu_us["database"] is None


def test_post_burst_gets_the_token_then_posts(served):
    app, base = served
    target = FormTarget("aanmelden", form_path=lambda facts: "/aanmelden",
                        fields=lambda i, facts: {"name": f"{facts['prefix']} {i}"})
    result = post_burst(base, target, {"prefix": "Deelnemer"}, count=24, concurrency=6)
    assert result.errors == []
    assert (result.ok, result.statuses, result.warmup) == (24, {303: 24}, 6)
    # first six untimed visitors (numbered after the timed ones), as many as run at once
    assert sorted(app.received) == sorted(f"Deelnemer {i}" for i in range(24 + 6))
    cold = post_burst(base, target, {"prefix": "Koud"}, count=3, concurrency=2, warmup=0)
    assert (cold.ok, cold.warmup) == (3, 0) and len(app.received) == 30 + 3
    assert 0 < result.p50_ms <= result.p99_ms


def test_post_burst_reports_rejected_posts(served):
    app, base = served
    target = FormTarget("te lang", form_path=lambda facts: "/aanmelden", fields=lambda i, facts: {"name": "x" * 41})
    result = post_burst(base, target, {}, count=4, concurrency=2)
    assert result.ok == 0 and result.statuses == {422: 4}
    assert result.errors == ["unexpected statuses: 422×4"]
    assert app.received == []


def test_post_burst_without_token_or_page(served):
    _, base = served
    no_token = FormTarget("geen token", form_path=lambda f: "/zonder-token", fields=lambda i, f: {})
    assert "no CSRF token" in post_burst(base, no_token, {}, count=2, concurrency=1).errors[-1]
    absent = FormTarget("nog niet", form_path=lambda f: None, fields=lambda i, f: {})
    assert post_burst(base, absent, {}, count=2).errors == ["not in this data set"]


def test_missing_page_is_an_error_not_a_fast_page(served):
    _, base = served
    result = measure(base + "/bestaat-niet", duration=1)
    assert result.errors == ["HTTP 404"] and result.rps is None


def test_page_weight_counts_same_origin_assets_and_other_origins(served):
    _, base = served
    weight = page_weight(base + "/pagina")
    assert sorted(a.removeprefix(base) for a in weight.assets) == ["/s/a.png", "/s/app.js", "/s/bg.png", "/s/site.css"]
    css_size = len("body{background:url(/s/bg.png)} @import 'https://fonts.example/x.css';")
    assert weight.asset_bytes == 300 + css_size
    assert sorted(weight.foreign) == ["https://cdn.example.com/lib.js", "https://elders.example/",
                                      "https://fonts.example/x.css"]


def test_dataset_builds_through_the_models(app, monkeypatch):
    monkeypatch.setattr(dataset, "COMMENTS", 3_000)  # the full 200,000 take seconds
    monkeypatch.setattr(dataset, "BUSY_COMMENTS", 500)
    with app.app_context():
        facts, timings = dataset.build(db.session)
        assert db.session.scalar(select(func.count()).select_from(Offering)) == 2000
        assert db.session.scalar(select(func.count()).select_from(Edition)) == 8000 + dataset.ENROLMENT_EDITIONS + 1
        assert db.session.scalar(select(func.count()).select_from(SessionDate)) == facts["counts"]["session_dates"]
        offering = db.session.scalars(select(Offering).where(Offering.slug == facts["offering_slug"])).one()
        assert offering.themes and len(offering.editions) == 4
        assert set(timings) == {"build_catalogue", "build_news", "build_enrolment", "build_staff", "analyze"}
        busy = db.session.scalars(select(Article).where(Article.slug == facts["busy_article_slug"])).one()
        assert services.approved_count(busy) == 500
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 3_000
        counted = dict(db.session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all())
        assert {status.value: n for status, n in news_queries.comment_counts().items()} == counted
        assert db.session.scalar(select(func.count()).select_from(Comment).where(
            Comment.article_id == busy.id, Comment.parent_id.is_not(None))) == 100
        assert busy.comments_open(60) and db.session.scalar(select(func.count()).select_from(Article)) == 1000
        for edition_id in facts["enrolment_editions"]:
            edition = db.session.get(Edition, edition_id)
            assert edition.offering.slug == facts["enrolment_slug"] and edition.capacity >= 10_000
        listed = db.session.get(Edition, facts["participant_edition"])  # the staff participant list's
        by_status = dict(db.session.execute(select(Enrolment.status, func.count()).where(
            Enrolment.edition_id == listed.id).group_by(Enrolment.status)).all())
        assert by_status == {"confirmed": 250, "waiting": 40, "cancelled": 20}
        assert listed.seats_taken == listed.capacity == 250
        # every seat the catalogue's editions have taken is a confirmed enrolment
        assert seat_count_mismatches() == [] and facts["counts"]["seated_enrolments"] > 10_000
        assert db.session.scalar(select(func.count(func.distinct(Enrolment.edition_id)))) > 2_000
        staff = db.session.scalars(select(StaffUser).where(StaffUser.email == facts["staff_email"])).one()
        assert staff.role == Role.ADMIN and staff.check_password(facts["staff_password"])
        db.session.add(Comment(article_id=busy.id, author_name="n", author_email="n@x.nl", body="b"))
        # ids continue after the bulk rows (PostgreSQL sequences are moved on)
        db.session.add(Offering(slug="nieuw", title="Nieuw", type=OfferingType.CURSUS, teaser="t"))
        db.session.commit()


@pytest.mark.slow
def test_gunicorn_serves_reports_memory_and_stops(tmp_path):
    server = Gunicorn("bench.hello:app", {}, workers=2, log=tmp_path / "gunicorn.log")
    with server:
        assert check_status(server.url + "/") == (200, "")
        workers = server.worker_pids()
        assert len(workers) == 2
        peaks = server.peak_rss_kb()
        assert set(peaks) == set(workers) and all(kb > 1000 for kb in peaks.values())
    assert server.proc.poll() is not None
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_report_marks_errors_and_skips():
    report = {
        "settings": {"workers": 2, "worker_class": "sync", "threads": 1, "cores": 2, "connections": 16,
                     "load_average": (0.5, 0.4, 0.3), "software": {"python": "3.11.7", "gunicorn": "27.0.1",
                                                                   "psycopg": None},
                     "duration_s": 3, "database": "sqlite"},
        "counts": {}, "build_s": {}, "rss": {"each_mb": [70.0]},
        "hello": {"rps": 2000.0, "p50_ms": 7.0, "p99_ms": 20.0, "errors": [], "rss": {"each_mb": [30.0]},
                  "cpu_us": {"app": 175.2, "database": None, "wrk": 110.4}},
        "pages": [{"name": "home", "path": "/", "rps": 800.0, "p50_ms": 18.0, "p99_ms": 40.0, "ratio": 0.4,
                   "errors": [], "cpu_us": {"app": 1973.4, "database": 457.0, "wrk": 27.2}},
                  {"name": "search", "path": "/aanbod?q=x", "rps": 900.0, "p50_ms": 17.0, "p99_ms": 30.0,
                   "ratio": 0.45, "errors": [], "cpu_us": {"app": 1900.0, "database": None, "wrk": 20.0}},
                  {"name": "catalogue", "path": "/aanbod", "errors": ["HTTP 404"]},
                  {"name": "article", "path": None, "skipped": "not in this data set"}],
        "forms": [], "weights": [],
    }
    table = render_table(report)
    assert "ERROR: HTTP 404" in table and "skipped: not in this data set" in table
    assert "800.0" in table and "0.40" in table
    assert "1,973 · 457 · 27" in table and "1,900 · – · 20" in table and "175 · – · 110" in table
    assert "software: python 3.11.7, gunicorn 27.0.1\n" in table  # what is not installed is left out


def test_the_report_names_the_installed_software():
    from importlib import metadata

    from bench.run import software_versions
    versions = software_versions()
    assert versions["gunicorn"] == metadata.version("gunicorn")
    assert versions["python"] == ".".join(map(str, sys.version_info[:3]))


def test_round_robin_proxy_alternates_and_skips_a_backend_that_is_down():
    servers = []
    for name in ("a", "b"):
        app = Flask(name)
        app.add_url_rule("/", name, lambda name=name: name)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    down = f"http://127.0.0.1:{free_port()}"
    urls = [f"http://127.0.0.1:{s.server_port}" for s in servers]
    try:
        with RoundRobin(urls) as proxy:
            answers = [urlopen(proxy.url + "/", timeout=5).read().decode() for _ in range(4)]
        with RoundRobin([down, urls[0]]) as proxy:
            skipped = [urlopen(proxy.url + "/", timeout=5).read().decode() for _ in range(2)]
    finally:
        for server in servers:
            server.shutdown()
    assert answers in (["a", "b", "a", "b"], ["b", "a", "b", "a"])
    assert skipped == ["a", "a"]


def test_form_values_fetch_what_the_comment_form_script_fetches():
    """The comment form holds no token: its script fetches it (data-form-keys), and so does the
    burst; another form's token comes from the page."""
    from bench.burst import form_values
    fetched = []

    def fetch(path):
        fetched.append(path)
        return 200, b'{"csrf_token": "T1", "started": "S1"}'
    comment = ('<form method="post" action="/nieuws/a/reageren" data-form-keys="/nieuws/reactieformulier.json">'
               '<input id="csrf_token" name="csrf_token" type="hidden" value="">'
               '<input id="parent_id" name="parent_id" type="hidden" value="7">'
               '<input id="started" name="started" type="hidden" value=""></form>')
    assert form_values(comment, ("started", "parent_id"), fetch) == {
        "csrf_token": "T1", "started": "S1", "parent_id": "7"}
    assert fetched == ["/nieuws/reactieformulier.json"]
    other = '<form method="post"><input type="hidden" name="csrf_token" value="P&amp;1"></form>'
    assert form_values(other, (), fetch) == {"csrf_token": "P&1"} and len(fetched) == 1
    assert form_values(comment, (), lambda path: (429, b"")) is None
    assert form_values("<p>geen formulier</p>", (), fetch) is None
