"""The fixed cost of an uncached page (issue 18): what every request pays before and around its
own work, in-process through app.test_client(), page cache off. Best of N batches, µs a request.

    python bench/floor.py [--batches 15] [--size 200] [--profile NAME]

(a) hello      a plain Flask hello world (bench/hello.py's app)
(b) string     a trivial route added to the site's app, returning a string
(c) layout     a route added to the site's app rendering templates/base.html alone
(d) about      /over-sbo, the cheapest real page (the layout and a few paragraphs)
(e) about, staff        the same, logged in as staff (session, user loaded)
(f) /beheer/... staff   the staff layout: /beheer/ (dashboard) and two staff list pages

Prints wall-clock and CPU time (time.process_time) a request: on a shared machine the CPU
time of the best batch is the steadier figure.
Uses the SQLite (or DATABASE_URL) data set `bench/run.py --build-only` made for the staff pages.
--profile NAME runs that case under cProfile and prints where the time goes.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import database_url, load_facts  # noqa: E402

STAFF_PAGES = ["/beheer/", "/beheer/aanbod", "/beheer/artikelen"]


def build_site():
    from flask import render_template

    from sbo import create_app
    from bench.inprocess import staff_client

    url = database_url()
    load_facts(url)  # the data set must be there
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-floor",
                      "CACHE_ENABLED": False, "RATELIMIT_ENABLED": False, "CACHE_GENERATION_TTL": 0})
    app.add_url_rule("/_floor/string", "floor_string", lambda: "Hello, world!")
    app.add_url_rule("/_floor/layout", "floor_layout", lambda: render_template("base.html"))
    return app, app.test_client(), staff_client(app)


def cases():
    from bench.hello import app as hello

    app, visitor, staff = build_site()
    yield "(a) hello world", hello.test_client(), "/"
    yield "(b) site, string", visitor, "/_floor/string"
    yield "(c) site, base.html", visitor, "/_floor/layout"
    yield "(d) /over-sbo", visitor, "/over-sbo"
    yield "(e) /over-sbo, staff", staff, "/over-sbo"
    for path in STAFF_PAGES:
        yield f"(f) {path}, staff", staff, path


def best_of(client, path: str, batches: int, size: int) -> tuple[float, float]:
    """µs a request, wall clock and this process's CPU time: the best batch of `size` requests
    each (the CPU time is the steadier figure on a machine shared with other work)."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    wall = cpu = float("inf")
    for _ in range(batches):
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(size):
            client.get(path)
        wall = min(wall, (time.perf_counter() - started) / size)
        cpu = min(cpu, (time.process_time() - started_cpu) / size)
    return wall * 1e6, cpu * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--size", type=int, default=200, help="requests a batch (staff pages: a tenth)")
    parser.add_argument("--profile", metavar="NAME", help="profile the case whose name contains NAME")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    print(f"| case | µs a request, wall | µs CPU (best of {args.batches} batches) |\n|---|---|---|")
    for name, client, path in cases():
        if args.profile:
            if args.profile not in name:
                continue
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.size):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
            return 0
        size = args.size if not path.startswith("/beheer") else max(1, args.size // 10)
        wall, cpu = best_of(client, path, args.batches, size)
        print(f"| {name} | {wall:.0f} | {cpu:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
