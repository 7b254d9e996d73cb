"""Fixtures of the quality checks: `site` (app, client, staff_client, samples)."""
from __future__ import annotations

import pytest

from .testapp import build_site


@pytest.fixture
def site(make_app):
    return build_site(make_app)
