"""Every third-party package the code imports is declared in pyproject.toml, and every tool
and library CI installs is pinned in constraints.txt: nothing works by accident of what
another package happened to pull in."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.paths import REPOSITORY

PROJECT = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SHIPPED = ("extractors", "spiders", "pipelines", "storage", "syndicate", "devsite")
DEVELOPMENT = ("tests", "benchmarks")
LOCAL = {*SHIPPED, *DEVELOPMENT}


def imported_distributions(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """Distribution name -> files importing it, for every absolute non-local import."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (REPOSITORY / folder).rglob("*.py"):
            for name in _top_level_imports(path):
                for dist in owners.get(name, [name]):
                    found.setdefault(canonicalize_name(dist), set()).add(str(path))
    return found


def _top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {
        n for n in names if n not in sys.stdlib_module_names and n not in LOCAL | {"__future__"}
    }


def declared(*requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for group in requirements for r in group}


def test_every_package_the_shipped_code_imports_is_a_dependency() -> None:
    missing = set(imported_distributions(SHIPPED)) - declared(PROJECT["dependencies"])
    assert missing == set(), f"imported but not in [project] dependencies: {sorted(missing)}"


def test_every_package_tests_and_benchmarks_import_is_declared() -> None:
    everything = declared(PROJECT["dependencies"], PROJECT["optional-dependencies"]["dev"])
    missing = set(imported_distributions(DEVELOPMENT)) - everything
    assert missing == set(), f"imported by tests/benchmarks but not declared: {sorted(missing)}"


def test_constraints_pin_every_declared_package_exactly() -> None:
    lines = (REPOSITORY / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = {
        canonicalize_name(name): version
        for line in lines
        if (match := re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip()))
        for name, version in [match.groups()]
    }
    wanted = declared(PROJECT["dependencies"], PROJECT["optional-dependencies"]["dev"])
    assert wanted - set(pins) == set(), "declared but not pinned in constraints.txt"
