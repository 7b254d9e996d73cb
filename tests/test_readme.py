"""The README's command table is copy-and-paste ready: the venv's flask, as the create-staff
example uses, and every command it lists exists."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_command_table_uses_the_venv_flask_and_real_commands(app):
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| command | what it does |"):].split("\n\n", 1)[0]
    commands = re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)
    assert len(commands) >= 8
    known = set(app.cli.list_commands(None)) | {"db"}
    for command in commands:
        assert command.startswith(".venv/bin/flask --app sbo "), command
        assert command.split()[3] in known, command
    assert not re.search(r"(?<![/\w])flask --app", text), "a bare `flask` command in the README"
