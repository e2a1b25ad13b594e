"""PostgreSQL lost mid-crawl (docs/distributed.md, "Failure modes"): the crawl stops with one
line naming the run it could not record and exit 1, without a traceback; the next crawl
marks that run abandoned and stores every article once.

Only 127.0.0.1: the local slow site, the test PostgreSQL behind a forwarder the test cuts.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from storage.database import make_engine
from storage.models import ArticleRow
from tests.e2e.test_distributed import FAST, SYNDICATE, runs, stored_urls, write_source
from tests.support.databases import postgres_schema
from tests.support.slow_site import slow_el_comercio
from tests.support.tcp_cut import CuttableTcp

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

KEY = "elcomercio-local"


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[str]:
    with postgres_schema(postgres_url) as url:
        yield url


def stored_so_far(db: str) -> int:
    """Articles stored yet (0 while the crawl has not created the tables)."""
    engine = make_engine(db)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
            )
    except ProgrammingError:
        return 0
    finally:
        engine.dispose()


def crawl(db: str, sources: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "SYNDICATE_REDIS_URL"}
    env["SYNDICATE_SOURCES_DIR"] = str(sources)
    return subprocess.Popen(
        [SYNDICATE, "crawl", KEY, "--db", db, *FAST],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_postgres_lost_mid_crawl_stops_it_with_one_line_and_exit_1(
    tmp_path: Path, pg_db: str
) -> None:
    direct = make_url(pg_db)
    forwarder = CuttableTcp(direct.host or "127.0.0.1", direct.port or 5432)
    through = direct.set(host="127.0.0.1", port=forwarder.port).render_as_string(
        hide_password=False
    )
    site = slow_el_comercio(articles=40, latency=0.3)
    with site.serve():
        articles = {site.url(path) for path in site.pages}
        sources = tmp_path / "sources"
        write_source(sources, site.base_url, KEY)
        first = crawl(through, sources)
        deadline = time.monotonic() + 120
        while stored_so_far(pg_db) < 5:
            assert time.monotonic() < deadline and first.poll() is None, "nothing stored"
            time.sleep(0.1)
        forwarder.cut()  # the database host is gone: open connections die, new ones fail
        out, err = first.communicate(timeout=180)
        fetched_first = sum(path.endswith("-noticia/") for path, _ in site.requests())
        second = crawl(pg_db, sources)
        out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 1, err[-3000:]
    assert "Traceback" not in err, err[-5000:]
    assert out == ""
    lost, again = runs(pg_db)
    assert err.splitlines()[-1] == (
        f"{KEY}: run {lost.id} failed (database: connection lost): its record could not be "
        "written; the next crawl of the source marks it abandoned"
    )
    assert fetched_first < len(articles)  # it stopped rather than fetch on into the void
    assert second.returncode == 0, err2[-3000:]
    assert (lost.status, again.status) == ("abandoned", "finished")
    assert f"{KEY}: run {again.id} finished" in out2
    assert stored_urls(pg_db) == articles
