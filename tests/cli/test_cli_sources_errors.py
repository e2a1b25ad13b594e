"""Every command that needs the source catalogue fails the same clear way: an invalid operator
source file gives one line per problem and exit 2 (no traceback); an unknown key names the known."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from syndicate.cli import app
from tests.support.paths import EL_COMERCIO_PAGE

BROKEN = 'key = "Bad Key"\nname = "x"\n'


@pytest.fixture
def broken_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "bad.toml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(folder))
    return folder / "bad.toml"


def commands(tmp_path: Path, source: str) -> list[list[str]]:
    db = ["--db", f"sqlite:///{tmp_path / 'x.db'}"]
    page = str(EL_COMERCIO_PAGE)
    return [
        ["extract", page, "--source", source],
        ["ingest", page, "--source", source, *db],
        ["reextract", source, *db],
        ["crawl", source, *db],
        ["sources", "test", source],
        ["sources", "record", source, page, "--url", "https://elcomercio.pe/a-noticia/"],
    ]


def test_an_invalid_source_file_is_reported_not_a_traceback(
    broken_sources: Path, tmp_path: Path
) -> None:
    """A command naming the broken source itself exits 2 with its file's problems."""
    for args in [*commands(tmp_path, "bad"), *commands(tmp_path, "Bad Key")]:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output, result.exception)
        assert f"{broken_sources}: key: " in result.stderr, args
        assert not (tmp_path / "x.db").exists()  # nothing was opened or written


def test_an_unknown_source_names_the_known_ones(tmp_path: Path) -> None:
    for args in commands(tmp_path, "nope"):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output, result.exception)
        assert "unknown source 'nope'; known: abc, elcomercio," in result.stderr, args
