"""`syndicate serve` as a real process on 127.0.0.1, and a plain HTTP client for it.

The client is `http.client`, so a test sees exactly what went over the wire: any method,
any status (a 304 or a 405 is an answer, not an exception), the raw headers and body.
"""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SYNDICATE = str(Path(sys.executable).parent / "syndicate")


@dataclass(frozen=True)
class Answer:
    """One HTTP response: status, headers (names lower-cased) and body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Server:
    """A running `syndicate serve`: where it listens and where its output goes."""

    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, path: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            body = response.read()
            found = {name.lower(): value for name, value in response.getheaders()}
            return Answer(response.status, found, body)
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db_url: str, log: Path, seconds: float = 30) -> Iterator[Server]:
    """`syndicate serve` on a free loopback port over `db_url`, stopped by SIGTERM after the
    block. Its output goes to `log` (a pipe nobody reads could fill and stall it)."""
    server = Server(free_port(), log)
    command = [SYNDICATE, "serve", "--host", "127.0.0.1", "--port", str(server.port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--db", db_url], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_up(process, server, seconds)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


def wait_until_up(process: subprocess.Popen[bytes], server: Server, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(server.log.read_text(errors="replace")[-2000:])
        try:
            server.request("/api/sources", "HEAD")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{server.base_url} did not answer within {seconds} s")
