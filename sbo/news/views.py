"""news views."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("news", __name__)
