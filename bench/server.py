"""Run an app under gunicorn on 127.0.0.1, find its workers, stop it whatever happens."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """with Gunicorn("sbo:create_app()", env, workers=2, worker_class="sync") as server: server.url"""

    def __init__(self, app_spec: str, env: dict[str, str], workers: int, worker_class: str = "sync",
                 threads: int = 1, log: Path | None = None, config: Path | None = CONFIG):
        self.config = config  # None: gunicorn's own defaults
        self.app_spec, self.workers, self.worker_class, self.threads = app_spec, workers, worker_class, threads
        self.env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        command = [sys.executable, "-m", "gunicorn", self.app_spec,
                   *(["--config", str(self.config)] if self.config else []),
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                   "--worker-class", self.worker_class, "--threads", str(self.threads),
                   "--chdir", str(ROOT)]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        # own session: a Ctrl-C in the terminal reaches us, and we stop the whole group
        self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=out,
                                     start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode} (see {self.log})")
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).close()
            except urllib.error.HTTPError:
                pass  # it answers; the status is checked per page later
            except OSError:
                time.sleep(0.1)
                continue
            if len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not come up within {timeout:.0f} s (see {self.log})")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def peak_rss_kb(self) -> dict[int, int]:
        """VmHWM (peak resident set) of each worker, in KiB."""
        peaks = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1])
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        except ProcessLookupError:
            pass
