"""The layers' import rules (pyproject.toml [tool.importlinter]) hold, and each one bites.

`lint-imports` checks the repository as it is. To prove a contract is not vacuous, a copy
of the code gets one import that breaks it (the violations this repository once had among
them) and the contract must then fail, naming the offending import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPOSITORY

LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
PACKAGES = ("extractors", "spiders", "pipelines", "storage", "syndicate", "devsite", "benchmarks")

# (contract id, file in the copy, import that breaks it); the first of each pair is one of
# the violations this repository had before the contracts existed.
VIOLATIONS = [
    ("extractors-plain", "extractors/content.py", "import scrapy"),
    ("extractors-plain", "extractors/urls.py", "from storage import records"),
    ("storage-below-crawling", "storage/pages.py", "from spiders import items"),
    ("storage-below-crawling", "storage/runs.py", "import scrapy"),
    ("spiders-no-storage", "spiders/loader.py", "from storage import database"),
    ("spiders-no-storage", "spiders/discovery.py", "import sqlalchemy"),
    ("pipelines-no-application", "pipelines/store.py", "from syndicate.commands import crawl_cmd"),
    ("pipelines-no-application", "pipelines/backfill.py", "from devsite import server"),
    ("orm-rows-in-storage", "pipelines/incremental.py", "from storage.models import Page"),
    (
        "orm-rows-in-storage",
        "syndicate/commands/demo_cmd.py",
        "from storage.models import ArticleRow",
    ),
    ("devsite-standalone", "devsite/server.py", "from storage import repository"),
    (
        "tests-not-benchmarks",
        "tests/extractors/test_seed.py",
        "from benchmarks import extract_bench",
    ),
    ("support-shared-only", "benchmarks/crawl_bench.py", "from tests.e2e import test_demo"),
    ("support-shared-only", "tests/support/paths.py", "from tests.storage import test_upsert"),
]
CONTRACTS = sorted({contract for contract, _, _ in VIOLATIONS})


def _lint(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """lint-imports over the code under `root` (that copy, not the installed packages)."""
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    env = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", *selected],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's Python files and pyproject.toml, without page data."""
    root = tmp_path_factory.mktemp("layers")
    keep_python = shutil.ignore_patterns("*.html", "*.gz", "*.json", "*.pyc", "__pycache__")
    for package in (*PACKAGES, "tests"):
        shutil.copytree(REPOSITORY / package, root / package, ignore=keep_python)
    shutil.copy(REPOSITORY / "pyproject.toml", root / "pyproject.toml")
    return root


def test_every_contract_is_kept_by_the_repository() -> None:
    result = _lint(REPOSITORY)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("contract", "file", "statement"), VIOLATIONS, ids=[f"{c}:{f}" for c, f, _ in VIOLATIONS]
)
def test_each_contract_fails_on_an_import_that_breaks_it(
    code_copy: Path, contract: str, file: str, statement: str
) -> None:
    target = code_copy / file
    original = target.read_text(encoding="utf-8")
    target.write_text(f"{original}\n{statement}  # injected by the test\n", encoding="utf-8")
    try:
        result = _lint(code_copy, contract)
    finally:
        target.write_text(original, encoding="utf-8")
    module = file.removesuffix(".py").replace("/", ".")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "Contracts: 0 kept, 1 broken." in result.stdout
    assert module in result.stdout
