"""A tiny round-robin TCP proxy: one address in front of several app servers, standing in for
the load balancer (nginx upstream, HAProxy) of a set-up with more than one host.

    python -m bench.proxy --port 8080 127.0.0.1:8001 127.0.0.1:8002

Each incoming connection goes to the next backend in turn (gunicorn's sync workers close the
connection after every response, so that is every request). A backend that refuses the
connection is skipped for that connection. `RoundRobin` runs it as a child process.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.server import ROOT, free_port


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except RuntimeError:
            pass


async def serve(port: int, backends: list[tuple[str, int]]) -> None:
    turn = itertools.cycle(range(len(backends)))

    async def handle(client_reader, client_writer):
        for _ in backends:
            host, backend_port = backends[next(turn)]
            try:
                reader, writer = await asyncio.open_connection(host, backend_port)
                break
            except OSError:
                continue
        else:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


class RoundRobin:
    """with RoundRobin([server1.url, server2.url]) as proxy: proxy.url"""

    def __init__(self, urls: list[str], log: Path | None = None):
        self.backends = [url.removeprefix("http://") for url in urls]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "RoundRobin":
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.proxy", "--port", str(self.port), *self.backends],
                                     cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("the proxy did not start")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("backends", nargs="+", help="host:port of each app server")
    args = parser.parse_args(argv)
    backends = [(host, int(port)) for host, port in (b.rsplit(":", 1) for b in args.backends)]
    try:
        asyncio.run(serve(args.port, backends))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
