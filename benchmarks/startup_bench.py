"""Start-up benchmark: how long the CLI takes before it does any work, beside Python itself.

    python -m benchmarks.startup_bench [--runs N]

Times (best of N, wall clock and the child's CPU time) `syndicate --help`, `syndicate
sources list` and a one-page `syndicate extract`, each in a fresh interpreter, and prints
beside them `python -c pass` and `python -c "import trafilatura"` measured in the same run,
so a loaded machine shows up in the references too. Commands run in turn, round after round,
so all see the same load. Targets (issue): --help <= 0.5 s, one-page extract <= 1.0 s.
Nothing leaves this machine: the page is a saved file, its URL is never fetched.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

from tests.support.paths import EL_COMERCIO_PAGE

CLI = [sys.executable, "-m", "syndicate"]
COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import trafilatura'": [sys.executable, "-c", "import trafilatura"],
    "syndicate --help": [*CLI, "--help"],
    "syndicate sources list": [*CLI, "sources", "list"],
    "syndicate extract (1 page)": [
        *CLI,
        "extract",
        str(EL_COMERCIO_PAGE),
        "--url",
        "https://elcomercio.pe/x",
    ],
}
TARGETS = {"syndicate --help": 0.5, "syndicate extract (1 page)": 1.0}


@dataclass(slots=True)
class Best:
    """The fastest of the runs of one command."""

    wall: float = float("inf")
    cpu: float = float("inf")


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=_env(), check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _env() -> dict[str, str]:
    """The caller's environment, with the width of a terminal for sources list's table."""
    return os.environ | {"COLUMNS": "200"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (best kept)")
    args = parser.parse_args()
    best = {name: Best() for name in COMMANDS}
    for command in COMMANDS.values():  # warm-up: bytecode and file caches
        run_once(command)
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            wall, cpu = run_once(command)
            best[name].wall = min(best[name].wall, wall)
            best[name].cpu = min(best[name].cpu, cpu)
    print(f"best of {args.runs} runs; load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
    print(f"{'command':<32}{'wall s':>8}{'CPU s':>8}{'target s':>10}")
    for name, result in best.items():
        target = f"{TARGETS[name]:.1f}" if name in TARGETS else "-"
        print(f"{name:<32}{result.wall:>8.3f}{result.cpu:>8.3f}{target:>10}")


if __name__ == "__main__":
    main()
