"""scrapyd: a clean copy of the repository deploys with `scrapyd-deploy`, and a job scheduled
through scrapyd's API stores articles and its `crawl_runs` row as `syndicate crawl` does.

A real scrapyd runs on 127.0.0.1 in its own folder; its jobs import the project from the
uploaded egg (a zip), so package data read as plain files would fail here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from devsite.server import NewsSite
from storage.database import make_engine, session_scope
from storage.models import ArticleRow, CrawlRun
from tests.support.paths import REPOSITORY
from tests.support.site_pages import EL_COMERCIO_LISTINGS, el_comercio_pages, el_comercio_source

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
KEY = "elcomercio-scrapyd"
DOCUMENTED_URL = "http://127.0.0.1:6800/"
# Tests do not wait between requests; politeness settings are tested where they are read.
FAST = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}
JOB_SECONDS = 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(url: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """GET (or POST form `data`, lists repeated) a scrapyd JSON endpoint."""
    body = urlencode(data, doseq=True).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=10) as answer:
        result: dict[str, Any] = json.load(answer)
    return result


def clean_clone(target: Path, deploy_url: str) -> Path:
    """What a fresh clone holds (tracked files, plus work not yet committed, never ignored
    files such as .venv), with the deploy target moved to the test's scrapyd."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPOSITORY,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPOSITORY / name
        if source.is_file():  # a tracked file deleted in the working tree is listed too
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    config = target / "scrapy.cfg"
    text = config.read_text(encoding="utf-8")
    assert re.search(rf"^url = {re.escape(DOCUMENTED_URL)}$", text, re.MULTILINE), text
    config.write_text(text.replace(DOCUMENTED_URL, deploy_url), encoding="utf-8")
    return target


def child_environment(**extra: str) -> dict[str, str]:
    """This environment without Scrapy project variables, which would point at the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    return {**env, **extra}


@contextmanager
def scrapyd(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """A scrapyd on a free port with its eggs, logs and queues under `folder`; always stopped."""
    port = free_port()
    folder.mkdir()
    (folder / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\npoll_interval = 0.2\nmax_proc = 2\n"
        f"eggs_dir = {folder / 'eggs'}\nlogs_dir = {folder / 'logs'}\ndbs_dir = {folder / 'dbs'}\n"
        "items_dir =\njobs_dir =\n",
        encoding="utf-8",
    )
    with (folder / "scrapyd.out").open("wb") as output:
        # HOME here too, so an operator's ~/.scrapyd.conf cannot change the test's server.
        process = subprocess.Popen(
            [str(BIN / "scrapyd")],
            cwd=folder,
            env={**env, "HOME": str(folder)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url, process, folder / "scrapyd.out")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(url: str, process: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, output.read_text(errors="replace")[-3000:]
        try:
            if call(url + "daemonstatus.json")["status"] == "ok":
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"scrapyd did not answer: {output.read_text(errors='replace')[-3000:]}")


def wait_for_job(url: str, job: str, logs: Path) -> None:
    """Until scrapyd lists the job as finished; its log in the message if it does not."""
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        jobs = call(url + "listjobs.json?project=syndicate")
        if any(entry["id"] == job for entry in jobs["finished"]):
            return
        time.sleep(0.3)
    call(url + "cancel.json", {"project": "syndicate", "job": job})  # no crawl left running
    pytest.fail(f"job {job} did not finish in {JOB_SECONDS} s:\n{job_log(logs, job)}")


def job_log(logs: Path, job: str) -> str:
    found = sorted(logs.rglob(f"{job}.log"))
    return found[0].read_text(errors="replace")[-4000:] if found else "(no log)"


def stored(db: str) -> tuple[list[str], list[tuple[str, int]]]:
    """Article URLs and (status, new) of each crawl run of the source."""
    engine = make_engine(db)
    with session_scope(engine) as session:
        urls = session.execute(select(ArticleRow.url).where(ArticleRow.source == KEY)).scalars()
        runs = session.execute(
            select(CrawlRun.status, CrawlRun.new).where(CrawlRun.source == KEY)
        ).all()
        result = (sorted(urls), [(status, new) for status, new in runs])
    engine.dispose()
    return result


@pytest.mark.timeout(120)
def test_a_deployed_egg_crawls_through_scrapyd_like_syndicate_crawl(tmp_path: Path) -> None:
    site = NewsSite(el_comercio_pages(3), listings=EL_COMERCIO_LISTINGS)
    sources = tmp_path / "sources"
    sources.mkdir()
    db = f"sqlite:///{tmp_path / 'scrapyd.db'}"
    env = child_environment(SYNDICATE_SOURCES_DIR=str(sources), SYNDICATE_DATABASE_URL=db)
    with site.serve(), scrapyd(tmp_path / "scrapyd", env) as url:
        (sources / f"{KEY}.toml").write_text(
            el_comercio_source(site.base_url, key=KEY), encoding="utf-8"
        )
        clone = clean_clone(tmp_path / "clone", url)
        deployed = subprocess.run(
            [str(BIN / "scrapyd-deploy")],
            cwd=clone,
            env=child_environment(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert deployed.returncode == 0, deployed.stderr[-3000:]
        answer = json.loads(deployed.stdout)
        assert answer["status"] == "ok", answer.get("message", answer)
        assert KEY in call(url + "listspiders.json?project=syndicate")["spiders"]

        settings = [f"{name}={value}" for name, value in FAST.items()]
        job = call(
            url + "schedule.json", {"project": "syndicate", "spider": KEY, "setting": settings}
        )["jobid"]
        wait_for_job(url, job, tmp_path / "scrapyd" / "logs")

    log = job_log(tmp_path / "scrapyd" / "logs", job)
    try:
        urls, runs = stored(db)
    except SQLAlchemyError as exc:  # e.g. no tables: the job could not migrate the database
        pytest.fail(f"{exc}\n{log}")
    assert urls == sorted(site.url(path) for path in site.pages), log
    assert runs == [("finished", len(site.pages))], log
