"""Every source's saved pages give their expected output, one case per page ("key:page").

A source without fixtures fails: nobody can tell whether it still works. Each expected file
records the whole article too; `syndicate sources test --update` rewrites that record only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractors.article import Article
from spiders.config import Fixture, SourceConfig
from spiders.fixture_check import check_fixture, check_source, compare
from spiders.registry import load_catalog
from spiders.snapshots import dump_expected
from syndicate.cli import app

CATALOG = load_catalog()
ELPAIS = CATALOG.get("elpais")
ELPAIS_FIXTURE = ELPAIS.fixtures[0]
ELPAIS_PAGE = ELPAIS.fixture_path(ELPAIS_FIXTURE.page)
NO_SNAPSHOT = "    no recorded article: run `syndicate sources test --update`"


def _fixtures() -> list[Any]:
    return [
        pytest.param(config, fixture, id=f"{config.key}:{Path(fixture.page).name}")
        for config in CATALOG.configs()
        for fixture in config.fixtures
    ]


@pytest.mark.parametrize(("config", "fixture"), _fixtures())
def test_source_fixture_matches_expected_output(config: SourceConfig, fixture: Fixture) -> None:
    result = check_fixture(config, fixture, CATALOG.publishers())
    assert result.differences == []


def test_every_source_has_fixtures() -> None:
    assert [c.key for c in CATALOG.configs() if not c.fixtures] == []


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
        "article": article.to_dict(),
    }
    assert compare(article, expected) == [
        "authors: expected ['B. Writer'], got ['A. Writer']",
        "text still has 'MIRA:'",
    ]
    assert compare(article, {"published_at": "2024-10-16", "article": article.to_dict()}) == [
        "published_at: expected '2024-10-16', got '2024-10-15T08:22:57+02:00'"
    ]
    assert compare(article, {}) == [NO_SNAPSHOT.strip()]


def test_compare_names_each_field_of_the_recorded_article_that_differs() -> None:
    article = Article(url="https://example.org/a", canonical_url="https://example.org/a")
    article.attribution.credit = "Fuente: EFE"
    recorded = article.to_dict() | {"section": "Deportes", "tags": ["F1"], "word_count": 3}
    recorded["attribution"] = recorded["attribution"] | {"credit": None}
    del recorded["paywalled"]  # as if the field were added to Article after recording
    assert compare(article, {"article": recorded}) == [
        "article.section: expected 'Deportes', got None",
        "article.tags: expected ['F1'], got []",
        "article.word_count: expected 3, got 0",
        "article.attribution.credit: expected None, got 'Fuente: EFE'",
        "article.paywalled: not recorded, got None",
    ]


def test_a_long_field_is_shown_around_its_first_difference() -> None:
    article = Article(url="u", canonical_url="u", text="a " * 200 + "fin")
    recorded = article.to_dict() | {"text": "a " * 200 + "end"}
    assert compare(article, {"article": recorded}) == [
        f"article.text: expected …{'a ' * 20 + 'end'!r}, got …{'a ' * 20 + 'fin'!r}"
        " (first difference at 400)"
    ]


def _elpais_expected() -> dict[str, Any]:
    """El País's expected file as `_elpais_copy`'s source gives it (its own key)."""
    data: dict[str, Any] = json.loads(
        ELPAIS.fixture_path(ELPAIS_FIXTURE.expected).read_text(encoding="utf-8")
    )
    data["article"]["source"] = "elpais-copy"
    return data


def _elpais_copy(folder: Path, monkeypatch: pytest.MonkeyPatch, expected: dict[str, Any]) -> Path:
    """An operator source `elpais-copy` whose one fixture is El País's page with `expected`."""
    path = folder / "copy.expected.json"
    path.write_text(dump_expected(expected), encoding="utf-8")
    source = (ELPAIS.path or Path()).read_text(encoding="utf-8").split("[[fixtures]]")[0]
    source = source.replace('key = "elpais"', 'key = "elpais-copy"')
    source += f'[[fixtures]]\npage = "{ELPAIS_PAGE}"\n'
    source += f'expected = "{path.name}"\nurl = "{ELPAIS_FIXTURE.url}"\n'
    (folder / "copy.toml").write_text(source, encoding="utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(folder))
    return path


def test_sources_test_says_per_source_what_passed_and_what_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _elpais_expected()
    expected["title"] = "Un titular que la página no tiene"
    _elpais_copy(tmp_path, monkeypatch, expected)
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


def test_sources_test_fails_naming_a_recorded_field_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _elpais_expected()
    section, words = expected["article"]["section"], expected["article"]["word_count"]
    expected["article"] |= {"section": "Deportes", "word_count": words + 1}
    _elpais_copy(tmp_path, monkeypatch, expected)

    differs = CliRunner().invoke(app, ["sources", "test", "elpais-copy"])
    assert differs.exit_code == 1
    assert differs.stdout.splitlines() == [
        f"elpais-copy: {ELPAIS_PAGE}: DIFFERS",
        f"    article.section: expected 'Deportes', got {section!r}",
        f"    article.word_count: expected {words + 1}, got {words}",
    ]


def test_sources_test_update_rewrites_only_the_recorded_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _elpais_expected()
    recorded = expected["article"]
    expected["article"] = recorded | {"section": "Deportes", "word_count": 0}
    path = _elpais_copy(tmp_path, monkeypatch, expected)
    before = path.read_text(encoding="utf-8")
    runner = CliRunner()

    updated = runner.invoke(app, ["sources", "test", "elpais-copy", "--update"])
    assert updated.exit_code == 0, updated.output
    assert updated.stdout == f"elpais-copy: {ELPAIS_PAGE}: updated\n"
    after = path.read_text(encoding="utf-8")
    assert list(json.loads(after).items()) == list((expected | {"article": recorded}).items())
    others = before.split('\n  "article": ')[0]  # every other key, byte for byte
    assert after.startswith(others + '\n  "article": ')

    passed = runner.invoke(app, ["sources", "test", "elpais-copy"])
    assert passed.exit_code == 0, passed.output
    assert passed.stdout == f"elpais-copy: {ELPAIS_PAGE}: ok\n"
    again = runner.invoke(app, ["sources", "test", "elpais-copy", "--update"])
    assert again.stdout == f"elpais-copy: {ELPAIS_PAGE}: unchanged\n"
    assert path.read_text(encoding="utf-8") == after  # same extraction, same bytes


def test_an_expected_file_without_a_recorded_article_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _elpais_expected()
    del expected["article"]
    _elpais_copy(tmp_path, monkeypatch, expected)

    differs = CliRunner().invoke(app, ["sources", "test", "elpais-copy"])
    assert differs.exit_code == 1
    assert differs.stdout.splitlines() == [f"elpais-copy: {ELPAIS_PAGE}: DIFFERS", NO_SNAPSHOT]


def test_an_update_does_not_hide_a_reviewed_assertion_that_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _elpais_expected()
    del expected["article"]
    expected["must_contain"].append("Una frase que el artículo no tiene")
    path = _elpais_copy(tmp_path, monkeypatch, expected)

    updated = CliRunner().invoke(app, ["sources", "test", "elpais-copy", "--update"])
    assert updated.exit_code == 1
    assert updated.stdout.splitlines() == [
        f"elpais-copy: {ELPAIS_PAGE}: updated",
        "    text lacks 'Una frase que el artículo no tiene'",
    ]
    assert "article" in json.loads(path.read_text(encoding="utf-8"))


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
    assert list(expected["article"]) == list(Article.__dataclass_fields__)
    assert expected["article"]["source"] == "mundo"
    assert (tmp_path / "fixtures" / "ElMundo_2024_12_02.html.gz").exists()
    assert 'page = "fixtures/ElMundo_2024_12_02.html.gz"' in (tmp_path / "mundo.toml").read_text()

    tested = runner.invoke(app, ["sources", "test", "mundo"])
    assert tested.exit_code == 0, tested.output
    assert tested.stdout == "mundo: fixtures/ElMundo_2024_12_02.html.gz: ok\n"
    again = runner.invoke(app, ["sources", "record", "mundo", page, "--url", fixture.url])
    assert again.exit_code == 1  # the expected file was reviewed: kept unless --force
    again = runner.invoke(
        app, ["sources", "record", "mundo", page, "--url", fixture.url, "--force"]
    )
    assert again.exit_code == 0
    assert (tmp_path / "mundo.toml").read_text().count("[[fixtures]]") == 1  # not twice
