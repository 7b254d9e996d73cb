"""CPU time per request, by process: the app's workers, the database server, and wrk.

On a 2-core machine under wrk the processor is the limit: a page's req/s follows from the CPU
each request costs, summed over every process that works on it. These figures say where that
CPU goes (issue 18: the staff lists on PostgreSQL spent ~1.9 ms in the workers and ~0.45 ms in
PostgreSQL per request, and wrk ~110 µs). They come from the kernel's accounting (/proc/<pid>/stat
for the workers and the database server, getrusage for wrk, a child of this process), not from
a profiler, so the measured run is not slowed down.
"""
from __future__ import annotations

import os
import resource
from pathlib import Path
from typing import Callable

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a running process (None when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S  # utime and stime: fields 14 and 15


def database_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (the postmaster and every backend)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """meter.start(); run wrk (a child process that ends); meter.per_request(requests).

    app_pids: the app's worker processes, asked for at start() (a worker that gunicorn replaces
    during the run is not counted). database: also count PostgreSQL's processes, the ones that
    start during the run from zero (on SQLite the app's workers do the database's work
    themselves). A process that ends during the run is lost: its CPU is not known any more."""

    def __init__(self, app_pids: Callable[[], list[int]], database: bool = False):
        self.app_pids, self.database = app_pids, database
        self._start: dict | None = None

    def _snapshot(self, pids: list[int]) -> dict[int, float]:
        return {pid: cpu for pid in pids if (cpu := process_cpu_s(pid)) is not None}

    def start(self) -> None:
        self._start = {"app": self._snapshot(self.app_pids()),
                       "database": self._snapshot(database_pids()) if self.database else {},
                       "wrk": _children_cpu_s()}

    def per_request(self, requests: int | None) -> dict[str, float | None]:
        """µs of CPU per request since start(): app, database (None when not counted), wrk."""
        if self._start is None or not requests:
            return {"app": None, "database": None, "wrk": None}
        start, self._start = self._start, None

        def per_request_us(before: dict[int, float], pids: list[int]) -> float:
            spent = sum(now - before.get(pid, 0.0) for pid, now in self._snapshot(pids).items())
            return round(spent / requests * 1e6, 1)
        return {"app": per_request_us(start["app"], list(start["app"])),
                "database": per_request_us(start["database"], database_pids()) if self.database else None,
                "wrk": round((_children_cpu_s() - start["wrk"]) / requests * 1e6, 1)}
