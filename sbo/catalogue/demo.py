"""Demo content for the catalogue (filled in by the catalogue work)."""
from __future__ import annotations


def seed() -> int:
    return 0
