"""Every source's saved pages give their expected output (Fundus-style: one case per source).

A source without fixtures fails: nobody can tell whether it still works.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.article import Article
from spiders.fixture_check import check_source, compare
from spiders.registry import load_catalog
from syndicate.cli import app

CATALOG = load_catalog()


@pytest.mark.parametrize("key", CATALOG.keys())
def test_source_fixtures_match_expected_output(key: str) -> None:
    results = check_source(CATALOG.get(key), CATALOG.publishers())
    differences = [f"{r.page}: {d}" for r in results for d in r.differences]
    assert differences == []


def test_a_source_without_fixtures_fails() -> None:
    config = CATALOG.get("elpais").model_copy(update={"fixtures": []})
    results = check_source(config, CATALOG.publishers())
    assert [r.passed for r in results] == [False]
    assert results[0].differences == ["source has no [[fixtures]]"]


def test_compare_reports_each_kind_of_difference() -> None:
    article = Article(
        url="https://example.org/a",
        canonical_url="https://example.org/a",
        title="Right title",
        authors=["A. Writer"],
        published_at="2024-10-15T08:22:57+02:00",
        text="First paragraph.\n\nMIRA: teaser",
    )
    expected = {
        "title": "Right  title ",
        "published_at": "2024-10-15T06:22:57+00:00",
        "authors": ["B. Writer"],
        "must_contain": ["First paragraph."],
        "must_not_contain": ["MIRA:"],
    }
    assert compare(article, expected) == [
        "authors: expected ['B. Writer'], got ['A. Writer']",
        "text still has 'MIRA:'",
    ]
    assert compare(article, {"published_at": "2024-10-16"}) == [
        "published_at: expected '2024-10-16', got '2024-10-15T08:22:57+02:00'"
    ]


def test_sources_test_says_per_source_what_passed_and_what_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elpais = CATALOG.get("elpais")
    fixture = elpais.fixtures[0]
    expected = json.loads(elpais.fixture_path(fixture.expected).read_text(encoding="utf-8"))
    expected["title"] = "Un titular que la página no tiene"
    (tmp_path / "wrong.json").write_text(json.dumps(expected), encoding="utf-8")
    source = (elpais.path or Path()).read_text(encoding="utf-8").split("[[fixtures]]")[0]
    source = source.replace('key = "elpais"', 'key = "elpais-copy"')
    source += f'[[fixtures]]\npage = "{elpais.fixture_path(fixture.page)}"\n'
    source += f'expected = "wrong.json"\nurl = "{fixture.url}"\n'
    (tmp_path / "copy.toml").write_text(source, encoding="utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(tmp_path))
    runner = CliRunner()

    passed = runner.invoke(app, ["sources", "test", "elpais"])
    assert passed.exit_code == 0, passed.output
    assert passed.stdout == "elpais: fixtures/ElPais_2024_10_15.html.gz: ok\n"

    differs = runner.invoke(app, ["sources", "test", "elpais-copy"])
    assert differs.exit_code == 1
    lines = differs.stdout.splitlines()
    assert lines[0].endswith("ElPais_2024_10_15.html.gz: DIFFERS")
    assert lines[1].startswith(
        "    title: expected 'Un titular que la página no tiene', got 'Bruselas"
    )


def test_sources_record_saves_a_fixture_that_sources_test_then_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elmundo = CATALOG.get("elmundo")
    fixture = elmundo.fixtures[0]
    source = (elmundo.path or Path()).read_text(encoding="utf-8").split("[[fixtures]]")[0]
    (tmp_path / "mundo.toml").write_text(source.replace('"elmundo"', '"mundo"'), encoding="utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(tmp_path))
    runner = CliRunner()
    page = str(elmundo.fixture_path(fixture.page))

    untested = runner.invoke(app, ["sources", "test", "mundo"])
    assert untested.exit_code == 1
    assert "source has no [[fixtures]]" in untested.stdout

    recorded = runner.invoke(app, ["sources", "record", "mundo", page, "--url", fixture.url])
    assert recorded.exit_code == 0, recorded.output
    expected = json.loads((tmp_path / "fixtures" / "ElMundo_2024_12_02.expected.json").read_text())
    assert expected["title"].startswith("La revancha de Verstappen")
    assert len(expected["must_contain"]) == 3
    assert (tmp_path / "fixtures" / "ElMundo_2024_12_02.html.gz").exists()
    assert 'page = "fixtures/ElMundo_2024_12_02.html.gz"' in (tmp_path / "mundo.toml").read_text()

    tested = runner.invoke(app, ["sources", "test", "mundo"])
    assert tested.exit_code == 0, tested.output
    assert tested.stdout == "mundo: fixtures/ElMundo_2024_12_02.html.gz: ok\n"
    again = runner.invoke(app, ["sources", "record", "mundo", page, "--url", fixture.url])
    assert again.exit_code == 0
    assert (tmp_path / "mundo.toml").read_text().count("[[fixtures]]") == 1  # not twice
