"""One way to label a status: every status enum (a StrEnum) has a Dutch `.label` and is
registered here with @labelled, and templates show any of them with one filter:
{{ comment.status|label("CommentStatus") }} (a stored value is a plain string, so the filter is
told its enum) or {{ member|label }} for an enum member."""
from __future__ import annotations

import enum

LABELLED: dict[str, type[enum.StrEnum]] = {}


def labelled(cls: type[enum.StrEnum]) -> type[enum.StrEnum]:
    """Class decorator: make the enum known to the |label filter by its class name."""
    LABELLED[cls.__name__] = cls
    return cls


def label(value, enum_name: str | None = None) -> str:
    """The Dutch label of a status: label("pending", "CommentStatus") → "Wacht op goedkeuring"."""
    if value is None or value == "":
        return ""
    if enum_name is None:
        if not isinstance(value, enum.Enum):
            raise TypeError(f"label({value!r}) needs the name of its enum")
        return value.label
    return LABELLED[enum_name](value).label
