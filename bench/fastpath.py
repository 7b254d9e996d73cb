"""The page cache's hit path against hello world, in-process: the WSGI call gunicorn makes for
a cookie-less GET (a first visit, wrk), best of N, for each of the benchmark's stored pages.

    python bench/fastpath.py [--repeat 2000] [--profile article]
    python bench/fastpath.py --posts 30 [--rate-limits]   # the form POSTs, in-process

Uses the data set `bench/run.py --build-only` built (its facts file; SQLite by default, or
DATABASE_URL). Each page is requested once first, through Flask, which stores it; then the
stored page is timed as gunicorn calls the app: `app(environ, start_response)` with a minimal
environ (no cookie, no conditional header), the body iterated and closed. The generation memo
is left at the site's default (CACHE_GENERATION_TTL), as in production.

--posts N: the POST bursts' forms (bench/pages.py FORMS) instead, one visitor at a time through
Flask's test client: GET the form, POST it; the POST's best and median wall time and CPU time
of this thread (on a shared machine the CPU time says more), after 3 untimed visitors (the
first POST compiles the mail's templates). As bench/run.py runs the site: no rate limits, no
flood or minimum-time check, unless --rate-limits. Writes to the data set (new enrolments).
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402
from bench.run import database_url, load_facts  # noqa: E402

PAGES = ("home", "catalogue", "offering", "article, 2,000 comments")


def environ_for(path: str) -> dict:
    """What gunicorn's sync worker hands the app for `GET path` from wrk (no cookie)."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
        "RAW_URI": path + ("?" + query if query else ""), "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "40000", "HTTP_USER_AGENT": "wrk",
        "HTTP_ACCEPT": "*/*", "wsgi.url_scheme": "http", "wsgi.version": (1, 0),
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.file_wrapper": None,
    }


def call(app, environ: dict) -> tuple[str, dict, int]:
    """One WSGI call as a server makes it: status, headers, body length."""
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers
        return lambda data: None
    result = app(dict(environ), start_response)
    try:
        size = sum(len(chunk) for chunk in result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return seen["status"], dict(seen["headers"]), size


def best_of(app, environ: dict, repeat: int) -> float:
    best = float("inf")
    clock = time.perf_counter
    for _ in range(repeat):
        started = clock()
        call(app, environ)
        best = min(best, clock() - started)
    return best


def form_posts(site, facts: dict, count: int) -> None:
    """Time `count` GET-then-POST visitors of each form in pages.FORMS (see the docstring)."""
    import secrets

    from bench.burst import _action, form_values
    facts = {**facts, "run_id": secrets.token_hex(4)}
    print(f"best/median of {count} POSTs, after 3 untimed")
    print("| form | POST ms (wall) best | median | POST ms (CPU) best | median |\n|---|---|---|---|---|")
    for target in pages.FORMS:
        path = target.form_path(facts)
        if path is None:
            continue
        walls, cpus = [], []
        for i in range(count + 3):
            client = site.test_client()
            html = client.get(path).get_data(as_text=True)

            def fetch(url, client=client):
                response = client.get(url)
                return response.status_code, response.data
            values = form_values(html, target.hidden_fields, fetch)
            action = _action(html, "http://localhost" + path).removeprefix("http://localhost")
            data = {**values, **target.fields(i, facts)}
            wall, cpu = time.perf_counter(), time.thread_time()
            response = client.post(action, data=data)
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            if response.status_code not in target.expect:
                raise SystemExit(f"{target.name}: POST answered {response.status_code}")
            if i >= 3:
                walls.append(wall)
                cpus.append(cpu)
        walls.sort()
        cpus.sort()
        print(f"| {target.name} | {walls[0] * 1e3:.2f} | {walls[len(walls) // 2] * 1e3:.2f} "
              f"| {cpus[0] * 1e3:.2f} | {cpus[len(cpus) // 2] * 1e3:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2000, help="calls per page; the best counts")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile 20,000 calls of this page (name contains)")
    parser.add_argument("--posts", type=int, metavar="N", help="time N POSTs of each form instead (see above)")
    parser.add_argument("--rate-limits", action="store_true", help="with --posts: rate limits on (counters cleared first)")
    args = parser.parse_args(argv)
    from bench.hello import app as hello
    from sbo import create_app

    url = database_url()
    facts = load_facts(url)
    site = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-fastpath",
                       "CACHE_ENABLED": True, "RATELIMIT_ENABLED": bool(args.rate_limits),
                       "COMMENT_FLOOD_SECONDS": 0, "COMMENT_MIN_SECONDS": 0})
    if args.posts:
        if args.rate_limits:
            from sqlalchemy import delete

            from sbo.extensions import db
            from sbo.ratelimit import RateLimitCounter
            with site.app_context():
                db.session.execute(delete(RateLimitCounter))
                db.session.commit()
        form_posts(site, facts, args.posts)
        return 0
    todo = [(page.name, page.resolve(facts)) for page in pages.PAGES if page.name in PAGES]
    hello_env = environ_for("/")
    for _ in range(50):
        call(hello, hello_env)
    rows = [("hello world", "/", best_of(hello, hello_env, args.repeat), call(hello, hello_env))]
    for name, path in todo:
        if path is None:
            continue
        environ = environ_for(path)
        call(site, environ)  # the full path renders and stores it
        status, headers, size = call(site, environ)
        if not status.startswith("200") or headers.get("X-Cache") != "hit":
            raise SystemExit(f"{path}: {status}, X-Cache {headers.get('X-Cache')}: not served from the cache")
        if args.profile and args.profile in name:
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(20000):
                call(site, environ)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        rows.append((name, path, best_of(site, environ, args.repeat), (status, headers, size)))
    hello_time = rows[0][2]
    print(f"best of {args.repeat} WSGI calls, cookie-less GET")
    print("| page | µs | × hello world's time | body bytes |\n|---|---|---|---|")
    for name, _path, best, (_status, _headers, size) in rows:
        print(f"| {name} | {best * 1e6:.1f} | {best / hello_time:.2f} | {size} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
