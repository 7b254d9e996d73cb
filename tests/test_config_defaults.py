"""Issue 14, item 7: every configuration default lives in sbo/config.py (class Defaults). Other
modules read current_app.config["X"]; none keeps a default of its own."""
from __future__ import annotations

import re
from pathlib import Path

from sbo.config import Defaults

SBO = Path(__file__).resolve().parent.parent / "sbo"
DEFAULT_READ = re.compile(r"""config\.get\(\s*["'][A-Z_]+["']\s*,|config\.setdefault\(|^DEFAULTS\s*=""",
                          re.MULTILINE)


def test_no_module_keeps_a_default_of_its_own():
    found = []
    for path in sorted(SBO.rglob("*.py")):
        relative = path.relative_to(SBO)
        if relative.name == "config.py" and relative.parent == Path("."):
            continue
        found += [f"{relative}: {m.group(0)}" for m in DEFAULT_READ.finditer(path.read_text())]
    assert found == []


def test_every_setting_the_code_reads_has_a_default(app):
    """Each UPPER_CASE key read from the config somewhere in sbo/ is set in a fresh app."""
    keys = set()
    for path in SBO.rglob("*.py"):
        keys |= set(re.findall(r"""config(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""", path.read_text()))
    # Flask-WTF's own key: unset means SECRET_KEY, and a None default would break its CSRF check
    keys -= {"WTF_CSRF_SECRET_KEY"}
    assert keys and sorted(key for key in keys if key not in app.config) == []


def test_the_defaults_a_domain_relies_on():
    assert Defaults.NEWS_PER_PAGE == 10 and Defaults.COMMENT_MAX_DEPTH == 3
    assert Defaults.DOCUMENT_MAX_BYTES == 10 * 1000 * 1000
    assert Defaults.ENROLMENT_CANCELLATION_TERMS == ((28, 0), (7, 50), (0, 100))
    assert Defaults.TRUSTED_PROXIES is None and Defaults.PROXY_FIX is False


def test_an_override_wins_over_a_default(make_app):
    app = make_app(NEWS_PER_PAGE=3, COMMENT_MAX_DEPTH=5)
    assert app.config["NEWS_PER_PAGE"] == 3 and app.config["COMMENT_MAX_DEPTH"] == 5
