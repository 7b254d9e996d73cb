"""enrolment views."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("enrolment", __name__)
