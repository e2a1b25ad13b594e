"""docs/schema.md is the downstream contract: every column is documented, every example runs."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import Engine, bindparam, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from extractors.source_rules import PublisherRegistry
from storage.models import Base
from storage.types import UTCDateTime
from tests.support.paths import REPOSITORY
from tests.support.sources import T0
from tests.support.stored_articles import SEED_URL, store

DOC = (REPOSITORY / "docs/schema.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sql\n(.*?)```", DOC, re.S)
QUERIES = {
    match.group(1): block for block in BLOCKS if (match := re.match(r"-- query: (.+)\n", block))
}


def section(table: str) -> str:
    start = DOC.index(f"### `{table}`")
    end = DOC.find("\n## ", start)
    following = DOC.find("\n### ", start + 1)
    return DOC[start : min(e for e in (end, following, len(DOC)) if e != -1)]


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_every_column_is_documented(table: str) -> None:
    documented = section(table)
    columns = [column.name for column in Base.metadata.tables[table].columns]
    missing = [name for name in columns if f"`{name}`" not in documented]
    assert missing == []


def _run(engine: Engine, name: str, **params: object) -> list[tuple[object, ...]]:
    query = text(QUERIES[name].split("\n", 1)[1])
    if "since" in params:
        query = query.bindparams(bindparam("since", type_=UTCDateTime()))
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query, params)]


def test_example_queries_answer_on_real_pages(engine: Engine, registry: PublisherRegistry) -> None:
    ids = {name: store(engine, registry, name) for name in ("fujimori", "original", "seed")}
    latest = _run(engine, "latest of a source", source="elcomercio")
    assert [row[0] for row in latest] == [ids["original"], ids["fujimori"]]
    assert latest[0][4] == "El Comercio"
    assert len(_run(engine, "changed since", since=T0 - timedelta(seconds=1))) == 3
    assert _run(engine, "changed since", since=T0) == []
    original = _run(engine, "original of a copy", url=SEED_URL)
    assert [row[0] for row in original] == [ids["original"]]
    assert _run(engine, "copies of an original", id=ids["original"])[0][:2] == (
        ids["seed"],
        "globalhappenings",
    )
    assert _run(engine, "history", id=ids["seed"]) == []
    credit = f"credit ({engine.dialect.name})"
    assert _run(engine, credit, id=ids["seed"]) == [(ids["seed"], "Source: Elcomercio")]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # roles are PostgreSQL's
def test_read_only_role_example(engine: Engine, db_url: str) -> None:
    """The documented role can read the views but not write."""
    url = make_url(db_url)
    schema = url.query["options"].split("=", 1)[1]  # type: ignore[union-attr]  # set by db_url
    role = f"reader_{uuid.uuid4().hex[:8]}"
    block = next(b for b in BLOCKS if b.startswith("-- role example"))
    script = (
        block.replace("syndicate_reader", role)
        .replace("DATABASE syndicate", f"DATABASE {url.database}")
        .replace("SCHEMA public", f"SCHEMA {schema}")
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(script)
    reader = create_engine(url.set(username=role, password=None))
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM public_articles")).scalar_one() == 0
            with pytest.raises(DBAPIError, match="read-only transaction"):
                conn.execute(text("DELETE FROM sources"))
    finally:
        reader.dispose()
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}; DROP ROLE {role}")
