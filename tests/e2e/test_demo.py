"""`syndicate demo`: the README's one command crawls bundled pages offline and shows them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from storage.database import make_engine, session_scope
from storage.models import ArticleRow, CrawlRun
from syndicate.demo import FIXTURES


def test_demo_crawls_the_bundled_pages_into_sqlite_and_prints_them(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    command = [str(Path(sys.executable).parent / "syndicate"), "demo", "--db", db]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = len(list(FIXTURES.glob("*.expected.json"))) + 1  # + the aggregator's copy
    assert f"pages={pages + 1} new={pages}" in result.stdout  # the 404 is recorded as failed
    assert "1 × HTTP 404" in result.stdout
    assert "Kenji Fujimori: juicio por presunta compra de votos" in result.stdout
    engine = make_engine(db)
    with session_scope(engine) as session:
        stored = session.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
        run = session.execute(select(CrawlRun)).scalar_one()
        copy = session.execute(
            select(ArticleRow).where(ArticleRow.title.startswith("Putin visits Lukashenko"))
        ).scalar_one()
    engine.dispose()
    assert stored == pages
    assert (run.status, run.new, run.failed) == ("finished", pages, 1)
    assert copy.attribution["original_publisher"] == "El Comercio"  # a syndicated copy credited
