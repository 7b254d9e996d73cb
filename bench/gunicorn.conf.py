"""gunicorn settings for the benchmark (bench/run.py passes bind, workers, worker class, threads).

Also a sensible start for production: `gunicorn -c bench/gunicorn.conf.py 'sbo:create_app()'`.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# sync: a worker accepts a connection only when it is free, so the kernel spreads a burst
# evenly over the workers. gthread (keep-alive) served 2-3x the req/s of tiny pages to wrk's
# keep-alive connections, but each worker took in connections it could not yet serve, and
# the slowest enrolment and comment POSTs of a burst waited 250-340 ms instead of 120-150 ms.
# Behind nginx (which keeps the browsers' connections alive) sync is gunicorn's own advice.
worker_class = "sync"
timeout = 30
graceful_timeout = 5     # the benchmark stops servers quickly
accesslog = None         # logging every request would be measured too
errorlog = "-"
loglevel = "warning"
preload_app = False      # each worker builds its own app and database pool after the fork


def post_worker_init(worker):
    """Compile the templates and open a database connection before the first visitor."""
    from flask import Flask
    from sbo.warmup import warm_up
    if isinstance(worker.wsgi, Flask):
        warm_up(worker.wsgi)

# Trust no client about the request's origin. gunicorn's default trusts any peer on 127.0.0.1:
# it would take wsgi.url_scheme from X-Forwarded-Proto and SCRIPT_NAME from a "SCRIPT_NAME:"
# request header, so anyone who can reach the port on loopback could pose as https or shift
# the path the app routes. The app believes X-Forwarded-* only from as many proxies as
# SBO_TRUSTED_PROXIES says (sbo/security.py, RequestOrigin).
forwarded_allow_ips = ""
forwarder_headers = ""
secure_scheme_headers = {}
