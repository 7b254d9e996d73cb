"""gunicorn settings for the benchmark (bench/run.py passes bind, workers, worker class, threads).

Also a sensible start for production: `gunicorn -c bench/gunicorn.conf.py 'sbo:create_app()'`.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"   # keep-alive; measured 2-4x the req/s of sync here
threads = 4

keepalive = 5            # gthread keeps wrk's connections open between requests
timeout = 30
graceful_timeout = 5     # the benchmark stops servers quickly
accesslog = None         # logging every request would be measured too
errorlog = "-"
loglevel = "warning"
preload_app = False      # each worker builds its own app and database pool after the fork
