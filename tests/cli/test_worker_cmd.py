"""`syndicate worker` refuses to start without a usable shared Redis: one line, documented
exit code (2 when none is configured, 1 when it does not answer), and nothing recorded."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

SYNDICATE = str(Path(sys.executable).parent / "syndicate")


def worker(tmp_path: Path, *args: str, redis_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SYNDICATE_REDIS_URL"}
    if redis_url is not None:
        env["SYNDICATE_REDIS_URL"] = redis_url
    db = f"sqlite:///{tmp_path / 'worker.db'}"
    return subprocess.run(
        [SYNDICATE, "worker", *args, "--db", db, "--exit-when-idle", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_without_a_shared_redis_the_worker_exits_2_saying_so(tmp_path: Path) -> None:
    result = worker(tmp_path, redis_url=None)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "syndicate worker: SYNDICATE_REDIS_URL is not set: workers join crawls through Redis"
    ]


def test_an_unreachable_redis_gives_one_line_and_exit_1_with_the_password_hidden(
    tmp_path: Path,
) -> None:
    port = closed_port()
    result = worker(tmp_path, redis_url=f"redis://:hunter2@127.0.0.1:{port}/0")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"syndicate worker: cannot use Redis redis://:***@127.0.0.1:{port}/0: "
        f"Error 111 connecting to 127.0.0.1:{port}. Connection refused."
    ]


def test_an_unknown_source_key_is_a_usage_error(tmp_path: Path) -> None:
    result = worker(tmp_path, "no-such-source", redis_url="redis://127.0.0.1:9/0")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "no-such-source" in result.stderr


def test_with_nothing_to_do_it_exits_0_when_idle(tmp_path: Path, redis_url: str) -> None:
    # A prefix no run uses: the shared test Redis may hold other tests' runs.
    result = worker(tmp_path, "--set", "SYNDICATE_RUN_PREFIX=test:none:", redis_url=redis_url)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
