"""The schema comes from the migrations, and the migrations agree with the models."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from extractors.source_rules import PublisherRegistry
from storage.database import alembic_config, make_engine, session_scope, upgrade
from storage.models import Base
from storage.reading import ArticleFilters, articles_page
from storage.search import SEARCH_COLUMN, SEARCH_TABLE, SEARCH_TRIGGERS, include_name
from tests.support.stored_articles import store

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
TABLES = {
    "sources",
    "articles",
    "article_versions",
    "article_bands",
    "pages",
    "crawl_runs",
    "crawl_leases",
}


def test_migrations_match_models(db_url: str) -> None:
    """Equivalent of `alembic check`: autogenerate finds nothing to add, drop or alter."""
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}  # as env.py has them
        context = MigrationContext.configure(conn, opts=opts)
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (key, name, aliases) VALUES ('x', 'X', '[]')"))
    upgrade(engine)
    upgrade(engine)
    names = set(inspect(engine).get_table_names())
    assert names >= TABLES
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sources")).scalar_one() == 3
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert version == [HEAD]


def test_read_views_exist(engine: Engine) -> None:
    views = set(inspect(engine).get_view_names())
    assert {"public_articles", "syndicated_copies"} <= views


def test_read_only_engine_reads_but_refuses_writes(engine: Engine, db_url: str) -> None:
    reader = make_engine(db_url, read_only=True)
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM public_articles")).scalar_one() == 0
            with pytest.raises(DBAPIError, match=r"read-only|readonly"):
                conn.execute(text("DELETE FROM sources"))
    finally:
        reader.dispose()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sources")).scalar_one() == 2


def test_two_processes_migrating_a_fresh_database_both_succeed(db_url: str) -> None:
    """Two crawlers started at once on an empty database: one migrates, the other waits."""
    code = "import sys; from storage.database import upgrade; upgrade(sys.argv[1])"
    workers = [
        subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], errors
    engine = make_engine(db_url)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert version == [HEAD]


def test_downgrade_to_nothing_and_back(db_url: str) -> None:
    """Every migration can be undone: downgrade to base leaves no table, upgrade rebuilds all."""
    engine = make_engine(db_url)
    upgrade(engine)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert inspect(engine).get_view_names() == []
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_search_index_goes_with_its_migration_and_takes_the_articles_already_stored(
    engine: Engine, registry: PublisherRegistry
) -> None:
    """Downgrading below 0005 removes every search object; upgrading indexes existing rows."""
    ids = [store(engine, registry, name) for name in ("fujimori", "original")]
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    assert _search_objects(engine) == set()
    upgrade(engine)
    assert len(_search_objects(engine)) == (4 if engine.dialect.name == "sqlite" else 1)
    with session_scope(engine) as session:
        # the original is a generated page on the Fujimori page's template (its description)
        for words, expected in (("Lukashenko", ids[1:]), ("Fujimori", ids), ("Fujimoro", [])):
            found = articles_page(session, ArticleFilters(query=words), 0, 10)
            assert [article.id for article in found] == expected, words


def _search_objects(engine: Engine) -> set[str]:
    """The search table and triggers (SQLite) or the search column (PostgreSQL) present."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
        return names & {SEARCH_TABLE, *SEARCH_TRIGGERS}
    columns = {column["name"] for column in inspect(engine).get_columns("articles")}
    return columns & {SEARCH_COLUMN}
