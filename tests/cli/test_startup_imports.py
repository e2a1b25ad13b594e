"""`syndicate --help`, every command's --help and `syndicate sources list` start fast: Scrapy,
the extractor (trafilatura, extruct, dateparser), SQLAlchemy, the web server and the scheduler
are imported only by the commands that use them, inside the command.

Each check runs the real CLI in a fresh interpreter and reads `sys.modules` afterwards, so a
heavy import put back at the top of any command module (or of a module one imports) fails
here. Timings are measured by `python -m benchmarks.startup_bench`, not asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from spiders.registry import load_catalog
from storage.pages import RETENTION_ENV
from syndicate.commands import db_cmd
from tests.support.paths import EL_COMERCIO_PAGE

# Libraries no --help needs (top-level packages: any of their modules counts).
HEAVY = (
    "scrapy",
    "twisted",
    "trafilatura",
    "extruct",
    "dateparser",
    "datasketch",
    "numpy",
    "scipy",
    "lxml",
    "courlan",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "redis",
    "fastapi",
    "starlette",
    "uvicorn",
    "apscheduler",
)
# The project's heavy layers: the extractor itself, storage, the processing core, the web app.
HEAVY_OWN = (
    "extractors.extraction",
    "storage",
    "pipelines",
    "syndicate.web",
    "syndicate.scheduler",
)
# `sources list` reads source files (pydantic; a cron line is checked with APScheduler's
# parser), so of APScheduler only the scheduler itself is out.
SOURCES_LIST_HEAVY = tuple(name for name in HEAVY if name != "apscheduler")
SOURCES_LIST_HEAVY_OWN = (*HEAVY_OWN, "apscheduler.schedulers")

# Runs in a fresh interpreter: each argv through the real app, then what was imported.
PROBE = """
import contextlib, io, json, sys
import typer
from syndicate.cli import app

def paths(command, path=()):
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path
    else:
        yield path
        for name, sub in subcommands.items():
            yield from paths(sub, (*path, name))

argvs = json.loads(sys.argv[1])
if argvs == "every --help":
    argvs = [[*path, "--help"] for path in paths(typer.main.get_command(app))]
runs = []
for argv in argvs:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            app(argv, prog_name="syndicate")
            code = 0
        except SystemExit as exit:
            code = exit.code
    runs.append({"argv": argv, "code": code, "output": out.getvalue()})
json.dump({"runs": runs, "modules": sorted(sys.modules)}, sys.stdout)
"""


def probe(argvs: list[list[str]] | str) -> dict[str, Any]:
    """Run the CLI with each argv in one fresh interpreter; its runs and imported modules."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env["COLUMNS"] = "200"  # sources list's table unwrapped
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argvs)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def imported(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The packages of `packages` of which `modules` holds the package or any submodule."""
    return [
        package
        for package in packages
        if any(name == package or name.startswith(f"{package}.") for name in modules)
    ]


@pytest.fixture(scope="module")
def every_help() -> dict[str, Any]:
    """`syndicate --help` and the --help of every group and command, in one interpreter."""
    return probe("every --help")


def test_help_and_every_commands_help_import_nothing_heavy(every_help: dict[str, Any]) -> None:
    result = every_help
    helped = {" ".join(run["argv"][:-1]) for run in result["runs"]}
    assert {"", "extract", "crawl", "sources list", "sources status", "db prune", "serve"} <= helped
    for run in result["runs"]:
        words = " ".join(["syndicate", *run["argv"][:-1]])
        assert run["code"] == 0, run
        assert f"Usage: {words} [OPTIONS]" in run["output"], run["output"]
    assert imported(result["modules"], HEAVY) == []
    assert imported(result["modules"], HEAVY_OWN) == []


def test_help_shows_the_options_defined_lazily(every_help: dict[str, Any]) -> None:
    """Options whose help names a constant (kept light on purpose) still render in full."""
    outputs = {tuple(run["argv"]): " ".join(run["output"].split()) for run in every_help["runs"]}
    prune, extract = outputs["db", "prune", "--help"], outputs["extract", "--help"]
    assert f"default ${RETENTION_ENV}" in prune
    assert "--db" in prune and "--days" in prune
    assert "--url" in extract and "--source" in extract and "--fetched-at" in extract


def test_sources_list_reads_source_files_without_scrapy_or_the_extractor() -> None:
    result = probe([["sources", "list"]])
    (run,) = result["runs"]
    assert run["code"] == 0, run
    keys = load_catalog().keys()
    assert keys, "the built-in sources"
    assert all(key in run["output"] for key in keys), run["output"]
    assert imported(result["modules"], SOURCES_LIST_HEAVY) == []
    assert imported(result["modules"], SOURCES_LIST_HEAVY_OWN) == []


# A one-page extract needs the extractor and the source catalogue (pydantic), no more:
# dateparser only for a date that is not ISO 8601, rich only to print a table.
ONE_PAGE_EXTRACT_HEAVY = (
    "dateparser",
    "rich",
    "scrapy",
    "twisted",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "redis",
    "fastapi",
    "uvicorn",
    "apscheduler",
)


def test_one_page_extract_imports_only_what_it_uses() -> None:
    result = probe([["extract", str(EL_COMERCIO_PAGE), "--url", "https://elcomercio.pe/x"]])
    (run,) = result["runs"]
    assert run["code"] == 0, run
    article = json.loads(run["output"])
    assert article["published_at"], "an ISO 8601 date, read without dateparser"
    assert imported(result["modules"], ("trafilatura", "extractors.extraction")) == [
        "trafilatura",
        "extractors.extraction",
    ]
    assert imported(result["modules"], ONE_PAGE_EXTRACT_HEAVY) == []
    assert imported(result["modules"], ("storage", "pipelines", "syndicate.web")) == []


def test_the_light_copy_of_the_retention_variable_matches_storage() -> None:
    assert db_cmd.RETENTION_ENV == RETENTION_ENV
