"""`syndicate serve` as a real process on 127.0.0.1: it answers the API and the Atom feed
over HTTP from a database filled through the real processing path, then stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry
from tests.support import stored_articles


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def wait_until_up(process: subprocess.Popen[bytes], url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_serve_answers_the_api_and_the_atom_feed_over_http(
    engine: Engine, db_url: str, registry: PublisherRegistry
) -> None:
    seed = stored_articles.store(engine, registry, "seed")
    fujimori = stored_articles.store(engine, registry, "fujimori")
    port = free_port()
    syndicate = str(Path(sys.executable).parent / "syndicate")
    command = [syndicate, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, f"{base}/api/articles")
        listed = json.loads(fetch(f"{base}/api/articles"))
        feed = feedparser.parse(fetch(f"{base}/feeds/all.atom"))
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    assert [a["id"] for a in listed["articles"]] == [seed, fujimori] and listed["next"] is None
    assert not feed.bozo and len(feed.entries) == 2
    assert {entry.title for entry in feed.entries} == {a["title"] for a in listed["articles"]}
    # uvicorn shuts down cleanly, then re-raises the signal it caught (the usual exit status)
    assert process.returncode in (0, -signal.SIGTERM), errors.decode()[-2000:]
    assert b"Traceback" not in errors
