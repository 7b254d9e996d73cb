"""Setting a staff form's values on a catalogue record (venue, register, contact person,
trainer) in one way, so each service's audit entry can name what changed."""
from __future__ import annotations

from dataclasses import fields


def assign(record, data, names: tuple[str, ...] | None = None) -> list[str]:
    """Set the fields of the dataclass `data` (only `names` when given) on `record`: text
    stripped, None as "" where the record holds text. Returns the names that changed."""
    changed = []
    for name in names or tuple(field.name for field in fields(data)):
        value = getattr(data, name)
        if value is None and isinstance(getattr(record, name), str):
            value = ""
        if isinstance(value, str):
            value = value.strip()
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed
