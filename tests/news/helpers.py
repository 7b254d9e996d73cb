"""News test helpers: valid comment form data, a hidden field's value."""
from __future__ import annotations

import re


def comment_data(**overrides) -> dict:
    data = {"body": "Goed artikel, dank je wel.", "author_name": "Anna de Boer",
            "author_email": "anna@voorbeeld.nl", "author_url": "", "homepage": ""}
    data.update(overrides)
    return data


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)
