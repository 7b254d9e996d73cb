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
`plan(email)` says beforehand, in Dutch, what erasing the address will do and what stays (and
why); `erase(email, keep_comment_text=…)` does it (AVG art. 17) and returns counts by kind, whose
Dutch labels the provider gives in `erased`. Providers run in `order` (the mail layer last, so
it also empties the mail the domains queue while they erase).
"""
from __future__ import annotations

import csv
import importlib
import io
import json
import pkgutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from flask import current_app

from . import clock
from .audit import log_action
from .email_address import normalise_email

PACKAGE = __name__.rpartition(".")[0]
_providers: dict[str, "Provider"] = {}


class Provider:
    """A domain's part: which tables and retention kinds it answers for, and how to purge."""
    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]] = ()
    kinds: ClassVar[tuple[str, ...]] = ()
    # {kind erase() counts: its Dutch label, e.g. "Geannuleerde inschrijvingen"}
    erased: ClassVar[dict[str, str]] = {}
    order: ClassVar[int] = 0

    def purge(self, now: datetime) -> dict[str, int]:
        """Remove or anonymise what has outlived its period (`retention(kind)`) at `now`
        (naive UTC). Returns {kind: rows or files affected}. Flushes, never commits."""
        raise NotImplementedError

    def export(self, email: str) -> dict[str, list[dict[str, str]]]:
        """Everything held for `email` (lower case), {section title: rows}; empty sections left out."""
        return {}

    def plan(self, email: str) -> "Plan":
        """What erase(email) will do and what it keeps, in Dutch sentences."""
        return Plan()

    def erase(self, email: str, *, keep_comment_text: bool) -> dict[str, int]:
        """Erase what is held for `email` (lower case), except what the law makes us keep.
        Returns {kind: rows or files affected} (kinds labelled in `erased`). Flushes, never commits."""
        raise NotImplementedError


Rows = dict[str, list[dict[str, str]]]


@dataclass
class Plan:
    """What an erasure will do (`actions`) and what stays and why (`kept`), in Dutch."""
    actions: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actions or self.kept)


def text(value: Any) -> str:
    """A value as it goes into an export: dates ISO 8601, enums their label, None empty."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()
    return str(getattr(value, "label", value))


def delete_where(model, condition) -> int:
    """Bulk DELETE of the rows of `model` that meet `condition`: how many went."""
    from sqlalchemy import delete

    from .extensions import db
    return db.session.execute(delete(model).where(condition),
                              execution_options={"synchronize_session": False}).rowcount or 0


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
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))


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


def plan(email: str) -> Plan:
    """What erase(email) would do, every provider's part in provider order."""
    email = normalise_email(email)
    whole = Plan()
    for provider in load():
        part = provider.plan(email)
        whole.actions.extend(part.actions)
        whole.kept.extend(part.kept)
    return whole


def erase(email: str, *, keep_comment_text: bool, via: str, actor: Any = None) -> dict[str, int]:
    """Erase `email` everywhere (AVG art. 17) and write one audit entry with the counts only
    (`via`: "link" when the person used /mijn-gegevens, "staff" for a request by letter or phone;
    `actor`: the staff account). Returns {kind: count}; the caller commits."""
    email = normalise_email(email)
    counts: dict[str, int] = {}
    for provider in load():
        for kind, count in provider.erase(email, keep_comment_text=keep_comment_text).items():
            counts[kind] = counts.get(kind, 0) + count
    log_action("personal_data.erased", "personal_data", None, actor=actor,
               data={"via": via, "keep_comment_text": keep_comment_text,
                     "counts": {kind: count for kind, count in counts.items() if count}})
    return counts


def erased_labels() -> dict[str, str]:
    """{kind: Dutch label} of every provider's erase counts."""
    labels: dict[str, str] = {}
    for provider in load():
        labels.update(provider.erased)
    return labels


def as_json(email: str, sections: Rows) -> str:
    """The export as a JSON document (AVG art. 20)."""
    return json.dumps({"e-mailadres": email, "opgevraagd": text(clock.utcnow()),
                       "gegevens": sections}, ensure_ascii=False, indent=2)


def as_csv(sections: Rows) -> str:
    """One row per field: onderdeel, nummer, veld, waarde (any section fits one table)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["onderdeel", "nummer", "veld", "waarde"])
    for title, rows in sections.items():
        for number, row in enumerate(rows, start=1):
            for field_name, value in row.items():
                writer.writerow([title, number, field_name, value])
    return out.getvalue()
