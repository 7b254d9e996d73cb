"""GET load with wrk: check the page answers 200 first, then measure req/s, p50 and p99."""
from __future__ import annotations

import re
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from bench.cpu import CpuMeter

WRK = "/usr/bin/wrk"
# every request of the benchmark says who it is, the same way: a staff session is bound to the
# User-Agent it logged in with (Flask-Login's session protection)
USER_AGENT = "sbo-bench"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class LoadResult:
    url: str
    status: int | None = None
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int | None = None
    cpu_us: dict | None = None  # CPU µs per request: app, database, wrk (bench/cpu.py)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_status(url: str, timeout: float = 10, cookie: str = "") -> tuple[int, str]:
    """(status, error text or ''): anything but a 200 is an error, never a fast page; a redirect
    is not followed (a staff page without a valid session cookie redirects to the login)."""
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout) as response:
            response.read()
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except OSError as error:
        return 0, f"no answer: {error}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> dict:
    """Requests/sec, the 50% and 99% latencies (ms), request count and any error lines."""
    result: dict = {"errors": []}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(match.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s+{pct}(?:\.0+)?%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M):
            result[key] = _ms(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["errors"].append(f"{match.group(1)} non-2xx/3xx responses")
    if match := re.search(r"Socket errors:\s+(.*)", output):
        counts = dict(re.findall(r"(\w+) (\d+)", match.group(1)))
        if any(int(n) for n in counts.values()):
            result["errors"].append(f"socket errors: {match.group(1).strip()}")
    if "rps" not in result or "p99_ms" not in result:
        result["errors"].append("could not read wrk's output")
    return result


def run_wrk(url: str, duration: float, connections: int = 16, threads: int = 2, cookie: str = "") -> str:
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{max(int(duration), 1)}s",
               "--latency", "--timeout", "5s", "-H", f"User-Agent: {USER_AGENT}",
               *(["-H", f"Cookie: {cookie}"] if cookie else []), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30)
    return done.stdout + done.stderr


def measure(url: str, duration: float, warmup: float = 1, connections: int = 16, cookie: str = "",
            cpu: CpuMeter | None = None) -> LoadResult:
    """One wrk run after a warm-up; with `cpu`, the CPU per request of the measured run."""
    result = LoadResult(url)
    result.status, error = check_status(url, cookie=cookie)
    if error:
        result.errors.append(error)
        return result
    if warmup:
        run_wrk(url, warmup, connections, cookie=cookie)
    if cpu is not None:
        cpu.start()
    parsed = parse_wrk(run_wrk(url, duration, connections, cookie=cookie))
    result.rps, result.p50_ms, result.p99_ms = parsed.get("rps"), parsed.get("p50_ms"), parsed.get("p99_ms")
    result.requests = parsed.get("requests")
    if cpu is not None:
        result.cpu_us = cpu.per_request(result.requests)
    result.errors.extend(parsed["errors"])
    return result
