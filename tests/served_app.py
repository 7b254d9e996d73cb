"""The site as a real gunicorn serves it in the tests that need one (proxy headers, rate limits
across workers): `gunicorn 'tests.served_app:create_app()'`, configured from the environment
(SBO_TEST_INSTANCE, SBO_TEST_DATABASE, SBO_TEST_CONFIG as JSON) like the test's own app."""
from __future__ import annotations

import json
import os

from flask import Flask

from sbo import create_app as create_site
from tests.helpers import pin_run_date


def create_app() -> Flask:
    pin_run_date()  # the date of the test run that started this server
    config = {
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": os.environ["SBO_TEST_INSTANCE"],
        "SQLALCHEMY_DATABASE_URI": os.environ["SBO_TEST_DATABASE"],
        "SITE_URL": "http://localhost",
        **json.loads(os.environ.get("SBO_TEST_CONFIG", "{}")),
    }
    return create_site(config)
