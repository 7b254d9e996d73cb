"""Personal data: one small interface through which every domain answers for its own tables
(after pretix's shredder). It lives in the shared layer, below the domains: a domain registers a
provider in its own `personal_data.py`; nothing here knows the domains.

    from sbo.personal_data import Provider, register

    @register
    class NewsData(Provider):
        name = "news"
        tables = ("comment",)                       # the tables holding personal data it answers for
        kinds = ("ip_address", "comment_rejected")  # keys of RETENTION_DAYS it enforces

        def purge(self, now):                       # enforce each period; never commit
            return {"ip_address": forget_ips(now - retention("ip_address")), ...}

`load()` imports every `sbo/<package>/personal_data.py` and `sbo/*_personal_data.py`, so a new
domain joins by adding that file; tests/privacy checks that every table with personal columns
is answered for and every configured kind is enforced by exactly one provider.
`export(email)` gives what a provider holds for an address (for /mijn-gegevens, AVG art. 15
and 20): {section title: [row, …]}, each row a flat dict of Dutch field names to text.
(Later: `erase(email)` on the same providers.)
"""
from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from flask import current_app

from .email_address import normalise_email

PACKAGE = __name__.rpartition(".")[0]
_providers: dict[str, "Provider"] = {}


class Provider:
    """A domain's part: which tables and retention kinds it answers for, and how to purge."""
    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]] = ()
    kinds: ClassVar[tuple[str, ...]] = ()

    def purge(self, now: datetime) -> dict[str, int]:
        """Remove or anonymise what has outlived its period (`retention(kind)`) at `now`
        (naive UTC). Returns {kind: rows or files affected}. Flushes, never commits."""
        raise NotImplementedError

    def export(self, email: str) -> dict[str, list[dict[str, str]]]:
        """Everything held for `email` (lower case), {section title: rows}; empty sections left out."""
        return {}


Rows = dict[str, list[dict[str, str]]]


def text(value: Any) -> str:
    """A value as it goes into an export: dates ISO 8601, enums their label, None empty."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()
    return str(getattr(value, "label", value))


def register(cls: type[Provider]) -> type[Provider]:
    """Class decorator: make a provider known (once per name; a re-import replaces it)."""
    _providers[cls.name] = cls()
    return cls


def load() -> list[Provider]:
    """Import every provider module of the package; returns the providers, by name."""
    root = Path(importlib.import_module(PACKAGE).__file__).parent
    for module in pkgutil.iter_modules([str(root)]):
        if module.ispkg and (root / module.name / "personal_data.py").is_file():
            importlib.import_module(f"{PACKAGE}.{module.name}.personal_data")
        elif module.name.endswith("_personal_data"):
            importlib.import_module(f"{PACKAGE}.{module.name}")
    return providers()


def providers() -> list[Provider]:
    return [_providers[name] for name in sorted(_providers)]


def retention_days() -> dict[str, int]:
    return dict(current_app.config["RETENTION_DAYS"])


def retention(kind: str) -> timedelta:
    """How long `kind` is kept (RETENTION_DAYS, in days)."""
    return timedelta(days=int(current_app.config["RETENTION_DAYS"][kind]))


def export(email: str) -> Rows:
    """What every provider holds for `email`, sections in provider order."""
    email = normalise_email(email)
    sections: Rows = {}
    for provider in load():
        for title, rows in provider.export(email).items():
            if rows:
                sections.setdefault(title, []).extend(rows)
    return sections


def purge(now: datetime) -> dict[str, int]:
    """Run every provider's purge at `now`. Returns {kind: count}; the caller commits."""
    counts: dict[str, int] = {}
    for provider in load():
        for kind, count in provider.purge(now).items():
            counts[kind] = counts.get(kind, 0) + count
    return counts
