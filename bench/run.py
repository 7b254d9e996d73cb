"""The SBO benchmark: build a large data set, serve the site and a hello-world Flask app with
gunicorn on 127.0.0.1, drive both with wrk, burst the forms, and report.

    python bench/run.py [--quick] [--duration S] [--workers N] [--worker-class sync|gthread]

See bench/README.md. Results: bench/results/latest.json and latest.md.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dataset, pages  # noqa: E402
from bench.burst import log_in, post_burst  # noqa: E402
from bench.cpu import CpuMeter  # noqa: E402
from bench.load import measure  # noqa: E402
from bench.report import render_markdown, render_table  # noqa: E402
from bench.proxy import RoundRobin  # noqa: E402
from bench.server import Gunicorn  # noqa: E402
from bench.weight import page_weight  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 s per page and smaller POST bursts")
    parser.add_argument("--duration", type=float, help="seconds of load per page (default 10, quick 3)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: cores)")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"),
                        help="default sync: a worker takes a connection only when it is free, which "
                             "keeps the POST tails short (gthread keeps connections alive)")
    parser.add_argument("--threads", type=int, default=None, help="threads per gthread worker (default 4)")
    parser.add_argument("--cache", metavar="ENDPOINTS",
                        help="experiment: serve these endpoints (comma-separated, e.g. site.home) "
                             "through sbo.pagecache.cache_page without touching their code")
    parser.add_argument("--no-cache", action="store_true",
                        help="serve the site with the page cache off (SBO_CACHE_ENABLED=false): "
                             "the render path itself, as after a content change or for staff")
    parser.add_argument("--servers", type=int, default=1,
                        help="app servers (each with --workers workers) behind one round-robin "
                             "address (bench/proxy.py), standing in for several hosts; hello world too")
    parser.add_argument("--redis", metavar="URL",
                        help="share the page cache and the rate-limit counters in this Redis "
                             "(SBO_CACHE_REDIS_URL, RATELIMIT_STORAGE_URI), as several hosts must")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--posts", type=int, default=None, help="POSTs per form burst (default 200, quick 48)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each page N times and keep the median run (for a busy machine)")
    parser.add_argument("--reuse-db", action="store_true", help="keep the data set of the previous run")
    parser.add_argument("--scale", type=float, default=1,
                        help="data set size: 1 is 2,000 offerings and 200,000 comments, 10 the "
                             "hundred-times-the-provider set of issue 18 (20,000 and 2,000,000)")
    parser.add_argument("--build-only", action="store_true", help="build the data set and stop")
    parser.add_argument("--wipe-database", action="store_true",
                        help="allow DATABASE_URL to name a database without 'bench' in its name")
    parser.add_argument("--only", action="append", default=[], help="measure only pages and forms whose name contains this")
    args = parser.parse_args(argv)
    args.duration = args.duration or (3 if args.quick else 10)
    args.posts = args.posts or (48 if args.quick else 200)
    args.threads = args.threads or (4 if args.worker_class == "gthread" else 1)
    return args


# what the figures depend on besides the code: since April 2026 (gunicorn PR 3590) gunicorn's
# sync worker waits for the client's FIN after each response (RFC 9112 9.6); with a plain close
# instead, hello world served 13-30 % more req/s here (2026-12-07, gunicorn 27.0.1)
SOFTWARE = ("gunicorn", "flask", "werkzeug", "jinja2", "sqlalchemy", "psycopg")


def software_versions() -> dict[str, str | None]:
    """Python's version and the installed versions of SOFTWARE (None: not installed)."""
    from importlib import metadata
    versions: dict[str, str | None] = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in SOFTWARE:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{RESULTS / 'bench.sqlite'}"


def guard(url: str, allowed: bool) -> None:
    """The build drops every table: refuse a DATABASE_URL that does not look like a bench database."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if os.environ.get("DATABASE_URL") and "bench" not in name and not allowed:
        sys.exit(f"DATABASE_URL names '{name}': the benchmark drops every table in it. "
                 "Use a database with 'bench' in its name, or pass --wipe-database.")


def facts_path(url: str) -> Path:
    """Where the facts of the data set in the database `url` are kept (one file per database)."""
    return RESULTS / f"facts-{url.rsplit('/', 1)[-1].split('?')[0]}.json"


def load_facts(url: str) -> dict:
    """The facts of the data set `bench/run.py` built in `url` (the in-process scripts)."""
    path = facts_path(url)
    if not path.is_file():
        raise SystemExit(f"no bench data set ({path}): run bench/run.py --build-only first")
    return json.loads(path.read_text())


def build_data(url: str, reuse: bool, scale: float = 1) -> tuple[dict, dict]:
    """A fresh database (SQLite file removed; DATABASE_URL: every table of the app dropped).
    The facts are kept per database, so --reuse-db works for several data sets side by side."""
    facts_file = facts_path(url)
    if reuse and facts_file.exists():
        facts = json.loads(facts_file.read_text())
        if facts.get("scale", 1) == scale:  # statistics brought up to date, as on a live database
            from sqlalchemy import create_engine

            from sbo.config import _normalise_db_url
            engine = create_engine(_normalise_db_url(url))
            try:
                return facts, {"reused": True, "analyze": dataset.refresh_statistics(engine)}
            finally:
                engine.dispose()
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    from sbo import create_app
    from sbo.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-build",
                      "INSTANCE_PATH": str(RESULTS / "instance")})
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        schema = time.perf_counter() - started
        facts, timings = dataset.build(db.session, scale=scale)
        timings["disk_mb"] = database_mb(db.session)
        db.session.remove()
        db.engine.dispose()
    timings = {"schema": round(schema, 2), **timings, "total": round(time.perf_counter() - started, 2)}
    facts_file.write_text(json.dumps(facts, default=str))
    return facts, timings


def database_mb(session) -> float:
    """The size of the database on disk after the build (PostgreSQL; SQLite: the file)."""
    from sqlalchemy import text
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        size = session.execute(text("SELECT pg_database_size(current_database())")).scalar()
    else:
        size = Path(bind.url.database).stat().st_size
    return round(size / 2**20, 1)


def measure_against_hello(url: str, hello_url: str, args: argparse.Namespace, hello_runs: list,
                          cookie: str = "", cpu: CpuMeter | None = None,
                          hello_cpu: CpuMeter | None = None) -> dict:
    """Each of the --repeat runs measures hello world right before the page, so both see the
    same load on the machine; the ratio is the median of the runs' page/hello ratios, the
    figures those of the median run."""
    runs = []
    for _ in range(max(args.repeat, 1)):
        hello = measure(hello_url, args.duration, connections=args.connections, cpu=hello_cpu)
        page = measure(url, args.duration, connections=args.connections, cookie=cookie, cpu=cpu)
        if page.errors:
            return asdict(page)
        hello_runs.append(hello)
        if hello.rps:
            runs.append((page.rps / hello.rps, page, hello))
    if not runs:
        return {"errors": ["hello world gave no figures"]}
    runs.sort(key=lambda run: run[0])
    ratio, page, hello = runs[len(runs) // 2]
    return {**asdict(page), "ratio": round(ratio, 3), "hello_rps": hello.rps, "hello_p99_ms": hello.p99_ms,
            "runs": [round(r[0], 3) for r in runs]}


@contextmanager
def serving(app_spec: str, env: dict, name: str, args: argparse.Namespace, server_args: dict):
    """args.servers gunicorns; with more than one, a round-robin proxy in front. Yields (url,
    servers)."""
    with ExitStack() as stack:
        servers = [stack.enter_context(Gunicorn(app_spec, env, log=RESULTS / f"gunicorn-{name}-{n}.log",
                                                **server_args))
                   for n in range(args.servers)]
        if len(servers) == 1:
            yield servers[0].url, servers
        else:
            proxy = stack.enter_context(RoundRobin([s.url for s in servers], log=RESULTS / f"proxy-{name}.log"))
            yield proxy.url, servers


def _rss(servers: list[Gunicorn]) -> dict:
    peaks = {pid: kb for server in servers for pid, kb in server.peak_rss_kb().items()}
    return {"workers": len(peaks), "max_mb": round(max(peaks.values(), default=0) / 1024, 1),
            "each_mb": [round(kb / 1024, 1) for kb in peaks.values()]}


def run(args: argparse.Namespace) -> dict | None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = database_url()
    guard(url, args.wipe_database)
    print(f"database: {url.split('@')[-1]}")
    facts, build_times = build_data(url, args.reuse_db, args.scale)
    print(f"data set: {facts.get('counts')} built in {build_times}")
    if args.build_only:
        return None

    facts["run_id"] = secrets.token_hex(4)  # unique e-mail addresses per run (--reuse-db)
    env = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
           # all load comes from one address: no rate limits, no flood check; and the POST
           # follows the GET at once, which the comment form would hold as "too fast"
           "SBO_RATELIMIT_ENABLED": "false", "SBO_COMMENT_FLOOD_SECONDS": "0",
           "SBO_COMMENT_MIN_SECONDS": "0"}
    if args.redis:
        env.update(SBO_CACHE_REDIS_URL=args.redis, RATELIMIT_STORAGE_URI=args.redis)
    server_args = dict(workers=args.workers, worker_class=args.worker_class, threads=args.threads)
    report: dict = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": {"duration_s": args.duration, "connections": args.connections, **server_args,
                     "repeat": args.repeat, "servers": args.servers, "redis": bool(args.redis),
                     "scale": args.scale, "cores": os.cpu_count(), "database": url.split("://")[0],
                     "cached_endpoints": args.cache or "", "page_cache": not args.no_cache,
                     "load_average": os.getloadavg(), "software": software_versions()},
        "build_s": build_times, "counts": facts.get("counts", {}), "pages": [], "forms": [], "weights": [],
    }

    site_app = "sbo:create_app()"
    if args.cache:
        site_env = {**env, "BENCH_CACHE_ENDPOINTS": args.cache}
        site_app = "bench.cached_app:create_app()"
    else:
        site_env = env
    if args.no_cache:
        site_env = {**site_env, "SBO_CACHE_ENABLED": "false"}
    print("hello world and site ...", flush=True)
    hello_runs: list = []
    with serving("bench.hello:app", env, "hello", args, server_args) as (hello_url, hellos), \
            serving(site_app, site_env, "site", args, server_args) as (site_url, sites):
        staff_cookie = None
        # the site's workers, and PostgreSQL's processes when it serves the site
        cpu = CpuMeter(lambda: [pid for server in sites for pid in server.worker_pids()],
                       database=not url.startswith("sqlite"))
        hello_cpu = CpuMeter(lambda: [pid for server in hellos for pid in server.worker_pids()])
        for page in pages.PAGES:
            if args.only and not any(part in page.name for part in args.only):
                continue
            path = page.resolve(facts)
            row = {"name": page.name, "path": path}
            if page.staff and path is not None and staff_cookie is None:
                staff_cookie = log_in(site_url, pages.STAFF_LOGIN, pages.staff_login_fields(facts))
            if path is None:
                row["skipped"] = "not in this data set"
            elif page.staff and not staff_cookie:
                row["errors"] = ["could not log in as the data set's staff account"]
            else:
                print(f"{page.name}: {path} ...", flush=True)
                row.update(measure_against_hello(site_url + path, hello_url + "/", args, hello_runs,
                                                 cookie=staff_cookie if page.staff else "", cpu=cpu,
                                                 hello_cpu=hello_cpu))
                if page.weigh and not row.get("errors"):
                    weight = page_weight(site_url + path)
                    report["weights"].append({
                        "name": page.name, "path": path, "total_kb": weight.total_kb,
                        "html_kb": round(weight.html_bytes / 1024, 1), "gzip_kb": weight.gzip_kb,
                        "assets": [a.removeprefix(site_url) for a in weight.assets],
                        "foreign": weight.foreign, "errors": weight.errors})
            report["pages"].append(row)
        for target in pages.FORMS:
            if args.only and not any(part in target.name for part in args.only):
                continue
            print(f"POST burst {target.name} ...", flush=True)
            burst = post_burst(site_url, target, facts, count=args.posts, concurrency=args.connections)
            report["forms"].append(asdict(burst))
        report["rss"] = _rss(sites)
        hello_runs.sort(key=lambda r: r.rps)
        middle = hello_runs[len(hello_runs) // 2] if hello_runs else None
        report["hello"] = {**(asdict(middle) if middle else {"errors": ["not measured"]}),
                           "runs": [r.rps for r in hello_runs], "rss": _rss(hellos)}
    report["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    try:
        report = run(args)
    except KeyboardInterrupt:
        print("interrupted: servers stopped", file=sys.stderr)
        return 130
    if report is None:  # --build-only
        return 0
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / "latest.md").write_text(render_markdown(report))
    print()
    print(render_table(report))
    print(f"\nwritten: {RESULTS / 'latest.json'} and latest.md")
    failed = [p["name"] for p in report["pages"] if p.get("errors")] + \
             [f["name"] for f in report["forms"] if f.get("errors")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
