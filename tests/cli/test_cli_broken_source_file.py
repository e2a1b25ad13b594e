"""One broken operator source file is reported (file, field, problem) as a warning, and every
other source keeps working; `sources check` still fails listing every problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.settings import Settings
from typer.testing import CliRunner

from spiders.loader import SourceSpiderLoader
from spiders.registry import SourceFileError, load_catalog
from syndicate.cli import app
from tests.support.paths import EL_COMERCIO_PAGE

URL = "https://elcomercio.pe/politica/justicia/kenji-fujimori-rmmn-noticia/"


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "bad.toml").write_text('key = "bad"\nname = "Bad"\nhomepage = 3\n', "utf-8")
    (folder / "worse.toml").write_text("key = [", "utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(folder))
    return folder


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


def files_named(lines: list[str] | tuple[str, ...]) -> set[str]:
    return {line.removeprefix("warning: ").split(": ")[0] for line in lines}


def test_the_catalogue_loads_the_valid_files_and_carries_the_problems(broken: Path) -> None:
    catalog = load_catalog(strict=False)
    assert "elcomercio" in catalog and "bad" not in catalog
    assert files_named(catalog.problems) == {str(broken / "bad.toml"), str(broken / "worse.toml")}
    assert f"{broken / 'bad.toml'}: homepage: " in "\n".join(catalog.problems_of("bad"))
    assert files_named(catalog.problems_of("bad")) == {str(broken / "bad.toml")}
    with pytest.raises(SourceFileError):
        load_catalog()  # strict, as before
    assert "elcomercio" in SourceSpiderLoader(Settings()).list()


def test_other_sources_keep_working_with_one_warning_per_problem(
    broken: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    extracted = runner.invoke(app, ["extract", str(EL_COMERCIO_PAGE), "--source", "elcomercio"])
    assert extracted.exit_code == 0, extracted.output
    assert json.loads(extracted.stdout)["source"] == "elcomercio"
    assert len(warnings(extracted.stderr)) == len(load_catalog(strict=False).problems)
    assert len(warnings(extracted.stderr)) == len(extracted.stderr.splitlines())
    assert f"warning: {broken / 'bad.toml'}: homepage: " in extracted.stderr
    db = f"sqlite:///{tmp_path / 'x.db'}"
    ingest = ["ingest", str(EL_COMERCIO_PAGE), "--source", "elcomercio", "--url", URL]
    ingested = runner.invoke(app, [*ingest, "--db", db])
    assert ingested.exit_code == 0, ingested.output
    listed = runner.invoke(app, ["sources", "list"])
    assert listed.exit_code == 0 and "Traceback" not in listed.output


def test_sources_check_exits_2_listing_every_problem(broken: Path) -> None:
    result = CliRunner().invoke(app, ["sources", "check"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == list(load_catalog(strict=False).problems)
    assert files_named(lines) == {str(broken / "bad.toml"), str(broken / "worse.toml")}


def test_naming_a_broken_source_exits_2_with_its_problems(broken: Path) -> None:
    for key in ("bad", "worse"):
        result = CliRunner().invoke(app, ["extract", str(EL_COMERCIO_PAGE), "--source", key])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines()[-1].startswith(str(broken / f"{key}.toml") + ": ")
