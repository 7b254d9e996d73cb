"""POST bursts through real forms: each simulated visitor GETs the form (cookie + CSRF token),
then POSTs it over the same keep-alive connection, as a browser does. Only the POSTs are timed.
A form whose script fetches its token (data-form-keys: the comment form) gets it the same way,
a GET on that connection before the POST.

    target = FormTarget("comment", form_path=lambda facts: "/nieuws/x",
                        fields=lambda i, facts: {"name": f"Lezer {i}", "body": "..."})
    result = post_burst("http://127.0.0.1:8000", target, facts, count=200, concurrency=16)

Before the timed visits, `warmup` visitors (default: as many as `concurrency`) go through the
same GET and POST untimed, so that every worker has rendered the form once and compiled its
templates (the mail's too): a worker's first POST took 70-200 ms more than the rest, which on
48 POSTs is the p99 itself, and describes a worker's start, not a rush hours into its life.
`warmup=0` measures from cold.
"""
from __future__ import annotations

import http.client
import json
import re
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from typing import Callable

from bench.load import USER_AGENT

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
FORM_KEYS_RE = re.compile(r'data-form-keys="([^"]+)"')


@dataclass
class FormTarget:
    name: str
    form_path: Callable[[dict], str | None]     # None: this data set has nothing to post to
    fields: Callable[[int, dict], dict]          # the i-th visitor's field values
    post_path: Callable[[dict, str], str] | None = None  # default: where the form's action points
    expect: tuple[int, ...] = (302, 303)         # POST-redirect-GET
    hidden_fields: tuple[str, ...] = ()          # copied from the page (e.g. a signed timestamp)


@dataclass
class BurstResult:
    name: str
    count: int
    ok: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    p50_ms: float | None = None
    p99_ms: float | None = None
    rps: float | None = None
    warmup: int = 0  # untimed visits before the timed ones
    errors: list[str] = field(default_factory=list)


def form_values(html: str, hidden_fields: tuple[str, ...], fetch: Callable[[str], tuple[int, bytes]]) -> dict | None:
    """What a browser sends with the page's form besides the typed fields: the CSRF token from
    the page, or the values its script fetches (data-form-keys) with `fetch(path)`; and the
    `hidden_fields` from the page where the fetch left them out. None: no token to be had."""
    keys = FORM_KEYS_RE.search(html)
    if keys:
        status, body = fetch(unescape(keys.group(1)))
        if status != 200:
            return None
        values = json.loads(body)
    else:
        match = CSRF_RE.search(html)
        if not match:
            return None
        values = {"csrf_token": unescape(match.group(1) or match.group(2))}
    for name in hidden_fields:
        if name not in values:
            found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
            value = re.search(r'value="([^"]*)"', found.group(0)) if found else None
            values[name] = unescape(value.group(1)) if value else ""
    return values


def _action(html: str, form_url: str) -> str:
    """The action of the form that holds the CSRF token (or the form's own URL)."""
    for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S | re.I):
        if "csrf_token" in match.group(2):
            action = re.search(r'action="([^"]*)"', match.group(1))
            return urllib.parse.urljoin(form_url, unescape(action.group(1))) if action else form_url
    return form_url


class _Visitor:
    """One browser: one keep-alive connection for the GET and the POST, and its cookies."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"User-Agent": USER_AGENT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if "Expires=Thu, 01 Jan 1970" in header or "Max-Age=0" in header:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return response.status, data

    def close(self) -> None:
        self.connection.close()


def _visit(base: str, target: FormTarget, facts: dict, i: int) -> tuple[int, float, str]:
    """One visitor: GET the form, POST it. Returns (status, seconds of the POST, error)."""
    visitor = _Visitor(base)
    try:
        form_path = target.form_path(facts)
        status, page = visitor.request("GET", form_path)
        html = page.decode("utf-8", "replace")
        values = form_values(html, target.hidden_fields, lambda path: visitor.request("GET", path)) \
            if status == 200 else None
        if values is None:
            return 0, 0.0, f"no CSRF token on {form_path} (status {status})"
        post_url = base + target.post_path(facts, html) if target.post_path else _action(html, base + form_path)
        data = urllib.parse.urlencode({**values, **target.fields(i, facts)}, doseq=True).encode()
        post_path = urllib.parse.urlsplit(post_url)._replace(scheme="", netloc="").geturl()
        started = time.perf_counter()
        status, _body = visitor.request("POST", post_path, data)  # redirects are not followed
        return status, time.perf_counter() - started, ""
    finally:
        visitor.close()


def _warm(base: str, target: FormTarget, facts: dict, i: int) -> None:
    try:
        _visit(base, target, facts, i)
    except OSError:
        pass


def log_in(base: str, path: str, fields: dict) -> str:
    """Submit a login form once; the Cookie header of the session it starts ('' on failure)."""
    visitor = _Visitor(base)
    try:
        status, page = visitor.request("GET", path)
        match = CSRF_RE.search(page.decode("utf-8", "replace"))
        if status != 200 or not match:
            return ""
        data = urllib.parse.urlencode({"csrf_token": unescape(match.group(1) or match.group(2)), **fields}).encode()
        status, _body = visitor.request("POST", path, data)
        return "; ".join(f"{k}={v}" for k, v in visitor.cookies.items()) if status in (302, 303) else ""
    finally:
        visitor.close()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def post_burst(base: str, target: FormTarget, facts: dict, count: int = 200,
               concurrency: int = 16, deadline: float = 120, warmup: int | None = None) -> BurstResult:
    """`count` visitors, `concurrency` at a time, stopped after `deadline` seconds at most,
    after `warmup` untimed ones (default: `concurrency`)."""
    warmup = concurrency if warmup is None else warmup
    result = BurstResult(target.name, count, warmup=warmup)
    if target.form_path(facts) is None:
        result.errors.append("not in this data set")
        return result
    if warmup:  # untimed; what goes wrong here goes wrong in the timed visits too, and is reported there
        with ThreadPoolExecutor(concurrency) as pool:  # visitor numbers after the timed ones
            list(pool.map(lambda i: _warm(base, target, facts, i), range(count, count + warmup)))
    times: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline

    def one(i: int) -> None:
        if time.monotonic() > stop_at:
            return
        try:
            status, seconds, error = _visit(base, target, facts, i)
        except OSError as exc:
            status, seconds, error = 0, 0.0, str(exc)
        with lock:
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if error and len(result.errors) < 5:
                result.errors.append(error)
            if status in target.expect:
                result.ok += 1
                times.append(seconds)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    if times:
        result.p50_ms = round(statistics.median(times) * 1000, 2)
        result.p99_ms = round(percentile(times, 99) * 1000, 2)
        result.rps = round(result.ok / elapsed, 1)
    bad = {s: n for s, n in result.statuses.items() if s not in target.expect}
    if bad:
        result.errors.insert(0, "unexpected statuses: " + ", ".join(f"{s}×{n}" for s, n in sorted(bad.items())))
    return result
