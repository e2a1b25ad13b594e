"""The repository stands on its own: its documents link only to files inside it, and no code
or document reaches for a folder beside the checkout."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import REPOSITORY

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
DOCUMENTS = sorted([REPOSITORY / "README.md", *(REPOSITORY / "docs").glob("*.md")])


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py", "*.md", "*.toml", "*.ini", "*.cfg", "*.txt", "*.yaml"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [REPOSITORY / name for name in listed]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_local_link_resolves_inside_the_repository(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(REPOSITORY) or not path.exists():
            broken.append(target)
    assert broken == []


def test_nothing_points_outside_the_checkout() -> None:
    outside = re.compile(r"\.\./shared|parents\[[2-9]\]\s*/\s*[\"']shared")
    offenders = [
        str(path.relative_to(REPOSITORY))
        for path in tracked_text_files()
        if path.exists() and outside.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []
