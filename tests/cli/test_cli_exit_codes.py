"""`extract` and `ingest` exit 1 when any input failed (every row still printed); `--url` must
be an absolute http(s) URL (exit 2); `sources record` keeps a reviewed expected file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spiders.registry import load_catalog
from syndicate.cli import app
from tests.support.paths import EL_COMERCIO_PAGE

URL = "https://elcomercio.pe/politica/justicia/kenji-fujimori-rmmn-noticia/"
BAD_URLS = ["javascript:alert(1)", "not a url", "/relative/path", "ftp://host/file"]


def binary_page(tmp_path: Path) -> Path:
    page = tmp_path / "image.html"
    page.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return page


def test_extract_prints_every_row_and_exits_1_when_one_failed(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(binary_page(tmp_path)), str(EL_COMERCIO_PAGE)])
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert "error" in rows[0]
    assert rows[1]["title"] and "error" not in rows[1]


def test_extract_of_good_files_exits_0() -> None:
    result = CliRunner().invoke(app, ["extract", str(EL_COMERCIO_PAGE), "--url", URL])
    assert result.exit_code == 0, result.output


def test_ingest_exits_1_when_a_page_failed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    args = ["ingest", str(binary_page(tmp_path)), str(EL_COMERCIO_PAGE), "--source", "elcomercio"]
    result = CliRunner().invoke(app, [*args, "--db", db])
    assert result.exit_code == 1, result.output
    assert "failed" in result.stdout and "new" in result.stdout


@pytest.mark.parametrize("url", BAD_URLS)
def test_url_options_must_be_absolute_http(url: str, tmp_path: Path) -> None:
    page = str(EL_COMERCIO_PAGE)
    db = ["--db", f"sqlite:///{tmp_path / 'x.db'}"]
    for args in (
        ["extract", page, "--url", url],
        ["ingest", page, "--source", "elcomercio", "--url", url, *db],
        ["sources", "record", "elcomercio", page, "--url", url],
    ):
        result = CliRunner().invoke(app, args, env={"COLUMNS": "300"})
        assert result.exit_code == 2, (args, result.output)
        assert "not an absolute http(s) URL" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.fixture
def operator_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An operator's copy of a built-in source file (without fixtures), in its own folder."""
    builtin = load_catalog().get("elmundo").path
    assert builtin is not None
    text = builtin.read_text(encoding="utf-8").split("[[fixtures]]")[0]
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "uno.toml").write_text(text.replace('"elmundo"', '"uno"'), "utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(folder))
    return folder


def test_record_keeps_a_reviewed_expected_file_unless_forced(operator_source: Path) -> None:
    record = ["sources", "record", "uno", str(EL_COMERCIO_PAGE), "--url", URL]
    assert CliRunner().invoke(app, record).exit_code == 0
    expected = next((operator_source / "fixtures").glob("*.expected.json"))
    expected.write_text('{"reviewed": true}\n', encoding="utf-8")
    refused = CliRunner().invoke(app, record)
    assert refused.exit_code == 1
    assert "give --force" in refused.stderr
    assert expected.read_text(encoding="utf-8") == '{"reviewed": true}\n'
    forced = CliRunner().invoke(app, [*record, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "reviewed" not in json.loads(expected.read_text(encoding="utf-8"))
