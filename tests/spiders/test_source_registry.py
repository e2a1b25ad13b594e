"""Source files: the built-in catalog (also read from a zip, as in a scrapyd egg, and switched
off by SYNDICATE_BUILTIN_SOURCES), validation errors (one line per problem), folders, dates."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spiders.dated import expand
from spiders.fixture_check import check_source
from spiders.registry import (
    BUILTIN_SOURCES,
    SourceFileError,
    extra_source_dir,
    load_catalog,
    source_dirs,
)
from syndicate.cli import app
from tests.support.paths import SOURCE_FIXTURES

GOOD = """
key = "local"
name = "Local News"
homepage = "http://127.0.0.1:8000/"
language = "es"
timezone = "America/Lima"

[discovery]
feeds = ["http://127.0.0.1:8000/rss.xml"]
article_urls = ['^http://127\\.0\\.0\\.1:8000/news/']
"""

BAD = """
key = "Bad Key"
name = "Bad"
homepage = "ftp://example.org/"
language = "es"
timezone = "Mars/Olympus"
colour = "red"

[discovery]
feeds = []
article_urls = ['(unclosed']
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_catalog_has_el_comercio_and_the_six_spanish_publishers() -> None:
    catalog = load_catalog()
    expected = {"elcomercio", "elpais", "elmundo", "abc", "lavanguardia", "eldiario", "publico"}
    assert expected <= set(catalog.keys())
    assert catalog.rules("elcomercio").timezone == "America/Lima"
    assert catalog.rules("elpais").timezone == "Europe/Madrid"
    publishers = catalog.publishers()
    for alias in ("Elcomercio", "elcomercio.pe", "El Comercio Perú"):
        found = publishers.by_name(alias)
        assert found is not None and found.key == "elcomercio", alias
    found = publishers.by_url("https://www.lavanguardia.com/politica/x.html")
    assert found is not None and found.key == "lavanguardia"


def test_builtin_article_patterns_accept_their_fixture_urls_and_reject_index_pages() -> None:
    catalog = load_catalog()
    for config in catalog.configs():
        patterns = [re.compile(p) for p in config.discovery.article_urls]
        assert not any(p.match(config.homepage) for p in patterns), config.key
        for fixture in config.fixtures:
            assert any(p.match(fixture.url) for p in patterns), (config.key, fixture.url)


def test_a_valid_operator_file_loads_with_defaults(tmp_path: Path) -> None:
    write(tmp_path, "local.toml", GOOD)
    catalog = load_catalog([tmp_path])
    config = catalog.get("local")
    assert catalog.keys() == ["local"]
    assert config.crawl.delay == 1.0
    assert config.crawl.concurrency == 2
    assert config.fixtures == []


def test_an_invalid_file_gives_one_line_per_problem_naming_file_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", BAD)
    with pytest.raises(SourceFileError) as caught:
        load_catalog([tmp_path])
    problems = caught.value.problems
    assert all(line.startswith(f"{path}: ") for line in problems)
    fields = {line.split(": ")[1] for line in problems}
    assert {"key", "homepage", "timezone", "colour", "discovery.article_urls"} <= fields
    assert any("Mars/Olympus" in line for line in problems)
    assert any("(unclosed" in line for line in problems)


def test_bad_css_selectors_are_rejected_at_load_naming_file_field_and_problem(
    tmp_path: Path,
) -> None:
    extraction = (
        "\n[extraction]\n"
        "body_selector = 'div[['\n"
        "title_selector = 'h1.headline'\n"
        "date_selector = 'time:nosuchpseudo'\n"
        "strip_selectors = ['aside', 'p:nth-child(']\n"
    )
    path = write(tmp_path, "local.toml", GOOD + extraction)
    with pytest.raises(SourceFileError) as caught:
        load_catalog([tmp_path])
    problems = caught.value.problems
    fields = sorted(line.split(": ")[1] for line in problems)
    assert fields == [
        "extraction.body_selector",
        "extraction.date_selector",
        "extraction.strip_selectors",
    ]
    assert all(line.startswith(f"{path}: ") for line in problems)
    assert any("bad CSS selector 'div[['" in line for line in problems)
    assert any("'p:nth-child('" in line for line in problems)


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", 'key = "x\n')
    with pytest.raises(SourceFileError) as caught:
        load_catalog([tmp_path])
    assert caught.value.problems[0].startswith(f"{path}: invalid TOML")


def test_duplicate_keys_across_folders_are_an_error(tmp_path: Path) -> None:
    write(tmp_path / "a", "one.toml", GOOD)
    second = write(tmp_path / "b", "two.toml", GOOD)
    with pytest.raises(SourceFileError) as caught:
        load_catalog([tmp_path / "a", tmp_path / "b"])
    assert caught.value.problems == [
        f"{second}: key: 'local' is already defined in {tmp_path / 'a' / 'one.toml'}"
    ]


def test_operator_folders_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a", "local.toml", GOOD)
    write(tmp_path / "b", "other.toml", GOOD.replace('"local"', '"other"'))
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    keys = load_catalog().keys()
    assert {"local", "other", "elcomercio"} <= set(keys)


@pytest.mark.parametrize("before", [None, "/srv/sources"])
def test_an_extra_source_folder_joins_only_for_the_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str | None
) -> None:
    if before is None:
        monkeypatch.delenv("SYNDICATE_SOURCES_DIR", raising=False)
    else:
        monkeypatch.setenv("SYNDICATE_SOURCES_DIR", before)
    with pytest.raises(RuntimeError), extra_source_dir(tmp_path):
        assert source_dirs()[1:] == [*([Path(before)] if before else []), tmp_path]
        raise RuntimeError("the crawl failed")
    assert os.environ.get("SYNDICATE_SOURCES_DIR") == before


def test_a_missing_operator_folder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(tmp_path / "nope"))
    with pytest.raises(SourceFileError) as caught:
        load_catalog()
    assert caught.value.problems == [f"{tmp_path / 'nope'}: not a folder of source files"]


def test_sources_check_exits_2_with_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "bad.toml", BAD)
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["sources", "check"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 5
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_sources_check_and_list_pass_on_the_builtin_catalog() -> None:
    runner = CliRunner()
    checked = runner.invoke(app, ["sources", "check"])
    assert checked.exit_code == 0, checked.output
    listed = runner.invoke(app, ["sources", "list"])
    assert listed.exit_code == 0
    assert "elcomercio" in listed.stdout and "lavanguardia" in listed.stdout


def zipped_sources(archive: Path) -> zipfile.Path:
    """The built-in source folder inside a zip file, as a scrapyd egg holds it."""
    with zipfile.ZipFile(archive, "w") as egg:
        for path in sorted(SOURCE_FIXTURES.parent.rglob("*")):
            if path.is_file():
                egg.write(path, f"spiders/{path.relative_to(SOURCE_FIXTURES.parents[1])}")
    return zipfile.Path(archive, "spiders/sources/")


def test_the_builtin_catalog_loads_and_checks_from_inside_a_zip(tmp_path: Path) -> None:
    folder = zipped_sources(tmp_path / "syndicate.egg")
    catalog = load_catalog([folder])
    assert catalog.keys() == load_catalog([BUILTIN_SOURCES]).keys()
    elcomercio = catalog.get("elcomercio")
    assert elcomercio.path is None  # not on disk: `sources record` refuses to write into it
    results = check_source(elcomercio, catalog.publishers())
    assert [(r.page, r.differences) for r in results] == [(f.page, []) for f in elcomercio.fixtures]


@pytest.mark.parametrize("value", ["0", "false", "No", " off "])
def test_builtin_sources_switched_off_leave_only_the_operators_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    write(tmp_path, "local.toml", GOOD)
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(tmp_path))
    monkeypatch.setenv("SYNDICATE_BUILTIN_SOURCES", value)
    assert source_dirs() == [tmp_path]
    assert load_catalog().keys() == ["local"]
    listed = CliRunner().invoke(app, ["sources", "list"])
    assert listed.exit_code == 0, listed.output
    assert "local" in listed.stdout
    assert not any(key in listed.stdout for key in ("elcomercio", "elpais", "lavanguardia"))


@pytest.mark.parametrize("value", ["", "1", "true", "YES", "on"])
def test_builtin_sources_are_on_by_default_and_when_switched_on(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.delenv("SYNDICATE_SOURCES_DIR", raising=False)
    monkeypatch.setenv("SYNDICATE_BUILTIN_SOURCES", value)
    assert source_dirs() == [BUILTIN_SOURCES]
    assert "elcomercio" in load_catalog()


def test_builtin_sources_off_without_operator_folders_is_an_empty_catalog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SYNDICATE_SOURCES_DIR", raising=False)
    monkeypatch.setenv("SYNDICATE_BUILTIN_SOURCES", "off")
    assert len(load_catalog()) == 0


def test_an_unrecognised_builtin_sources_value_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNDICATE_BUILTIN_SOURCES", "maybe")
    with pytest.raises(SourceFileError) as caught:
        load_catalog()
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("SYNDICATE_BUILTIN_SOURCES: 'maybe' ")
    checked = CliRunner().invoke(app, ["sources", "check"])
    assert checked.exit_code == 2
    assert checked.stderr.startswith("SYNDICATE_BUILTIN_SOURCES: 'maybe' ")


def test_unknown_and_misplaced_date_placeholders_are_rejected(tmp_path: Path) -> None:
    text = GOOD.replace(
        "feeds = [",
        'sitemaps = ["http://127.0.0.1:8000/s-{YY}.xml", "http://h/{MM}.xml"]\nfeeds = [',
    )
    write(tmp_path, "dated.toml", text)
    with pytest.raises(SourceFileError) as caught:
        load_catalog([tmp_path])
    assert len(caught.value.problems) == 1
    assert "discovery.sitemaps" in caught.value.problems[0]
    assert "{YY}" in caught.value.problems[0]


def test_monthly_sitemaps_expand_over_the_range_newest_first() -> None:
    url = "https://www.lavanguardia.com/sitemap-noticias-{YYYY}{MM}.xml.gz"
    got = expand(url, since=date(2025, 11, 20), until=date(2026, 2, 3))
    assert got == [
        "https://www.lavanguardia.com/sitemap-noticias-202602.xml.gz",
        "https://www.lavanguardia.com/sitemap-noticias-202601.xml.gz",
        "https://www.lavanguardia.com/sitemap-noticias-202512.xml.gz",
        "https://www.lavanguardia.com/sitemap-noticias-202511.xml.gz",
    ]


def test_daily_sitemaps_and_the_default_period() -> None:
    url = "https://elcomercio.pe/sitemap/archivo/{YYYY}-{MM}-{DD}-web/?outputType=xml"
    got = expand(url, since=date(2024, 2, 28), until=date(2024, 3, 1))
    assert [u.split("/")[5] for u in got] == ["2024-03-01-web", "2024-02-29-web", "2024-02-28-web"]
    assert expand(url, since=None, until=date(2024, 3, 1)) == [got[0]]
    assert expand("https://x.org/s.xml", since=date(2020, 1, 1), until=date(2024, 1, 1)) == [
        "https://x.org/s.xml"
    ]
