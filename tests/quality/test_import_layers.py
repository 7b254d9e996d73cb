"""The layers stay layers: `lint-imports` checks the contracts in pyproject.toml
([tool.importlinter]): shared < catalogue < news, enrolment < staff, site, privacy < cli, domains
never import staff, news and enrolment are independent, and no import cycles inside sbo."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """Run lint-imports on the sbo package under `cwd` (it reads cwd/pyproject.toml and puts cwd
    first on sys.path, so a copy of the package is checked rather than the installed one)."""
    if not LINT_IMPORTS.exists():
        pytest.fail(f"{LINT_IMPORTS} is missing: install the test extras (pip install -e '.[test]')")
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, (
        result.stdout + result.stderr + "\n(\"No matches for ignored import\": the work that removes "
        "that import has landed; delete its line from ignore_imports in pyproject.toml.)")
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_sbo(tmp_path) -> Path:
    """A copy of the package and its contracts, to break on purpose."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "sbo", tmp_path / "sbo", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.mark.parametrize("module, line, report", [
    # a domain importing staff
    ("news/services.py", "from ..staff import models", "sbo.news.services -> sbo.staff.models"),
    ("catalogue/models.py", "from ..staff.models import StaffUser", "sbo.catalogue.models -> sbo.staff.models"),
    # news and enrolment do not know each other
    ("enrolment/services.py", "from ..news import models", "sbo.enrolment.services -> sbo.news.models"),
    # a lower module importing a higher one
    ("clock.py", "from .catalogue import models", "sbo.clock -> sbo.catalogue.models"),
    ("enrolment/models.py", "from .. import cli", "sbo.enrolment.models -> sbo.cli"),
    # a cycle inside the shared layer
    ("extensions.py", "from . import mail", "No cycles are allowed in sbo."),
])
def test_a_forbidden_import_breaks_the_contracts(copy_of_sbo, module, line, report):
    path = copy_of_sbo / "sbo" / module
    path.write_text(path.read_text() + f"\n{line}  # noqa: E402,F401\n")
    result = lint_imports(copy_of_sbo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert report in result.stdout, result.stdout
