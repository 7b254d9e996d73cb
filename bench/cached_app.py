"""For experiments only: the site with the page cache forced onto some endpoints, to measure
what cache_page would buy before a domain applies it in its own views.

    BENCH_CACHE_ENDPOINTS=site.home gunicorn 'bench.cached_app:create_app()'
"""
from __future__ import annotations

import os

from flask import Flask

from sbo import create_app as create_site
from sbo.pagecache import cache_page


def create_app() -> Flask:
    app = create_site()
    for endpoint in filter(None, os.environ.get("BENCH_CACHE_ENDPOINTS", "").split(",")):
        app.view_functions[endpoint] = cache_page()(app.view_functions[endpoint])
    return app
