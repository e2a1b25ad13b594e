"""Recording fixtures: names keep the page's own name, sources sharing a folder never clash,
and the source file stays valid TOML whatever the URL holds."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from spiders.fixture_record import record_fixture
from spiders.registry import SourceCatalog, load_catalog, read_source_file
from tests.support.paths import EL_COMERCIO_PAGE

BUILTIN = load_catalog()
ELMUNDO = BUILTIN.get("elmundo")
ELMUNDO_PAGE = ELMUNDO.fixture_path(ELMUNDO.fixtures[0].page)
ELMUNDO_URL = ELMUNDO.fixtures[0].url
EL_COMERCIO_URL = "https://elcomercio.pe/politica/justicia/kenji-fujimori-rmmn-noticia/"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three operator sources in one folder (so one shared fixtures/)."""
    text = (ELMUNDO.path or Path()).read_text(encoding="utf-8").split("[[fixtures]]")[0]
    sources = tmp_path / "sources"
    sources.mkdir()
    for key in ("uno", "dos", "tres"):
        (sources / f"{key}.toml").write_text(text.replace('"elmundo"', f'"{key}"'), "utf-8")
    monkeypatch.setenv("SYNDICATE_SOURCES_DIR", str(sources))
    return sources


def catalog() -> SourceCatalog:
    return load_catalog()


def test_the_expected_file_keeps_the_whole_page_name_but_its_suffixes(folder: Path) -> None:
    saved, expected = record_fixture(
        catalog().get("uno"), EL_COMERCIO_PAGE, EL_COMERCIO_URL, BUILTIN.publishers()
    )
    assert saved.name == "elcomercio.pe-kenjifujimori.html"
    assert expected.name == "elcomercio.pe-kenjifujimori.expected.json"
    _, gz_expected = record_fixture(
        catalog().get("uno"), ELMUNDO_PAGE, ELMUNDO_URL, BUILTIN.publishers()
    )
    assert gz_expected.name == "ElMundo_2024_12_02.expected.json"


def test_same_named_pages_of_two_sources_do_not_overwrite_each_other(
    folder: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a" / "page.html.gz", tmp_path / "b" / "page.html.gz"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_bytes(gzip.compress(EL_COMERCIO_PAGE.read_bytes()))
    shutil.copyfile(ELMUNDO_PAGE, second)
    uno_page, uno_expected = record_fixture(
        catalog().get("uno"), first, EL_COMERCIO_URL, BUILTIN.publishers()
    )
    uno_json = uno_expected.read_text(encoding="utf-8")
    # Another page of the same name, for another source: its own files.
    dos_page, dos_expected = record_fixture(
        catalog().get("dos"), second, ELMUNDO_URL, BUILTIN.publishers()
    )
    assert {dos_page, dos_expected}.isdisjoint({uno_page, uno_expected})
    assert dos_page.read_bytes() == second.read_bytes()
    # The same page recorded for a third source: its own expected JSON too.
    _, tres_expected = record_fixture(
        catalog().get("tres"), first, EL_COMERCIO_URL, BUILTIN.publishers()
    )
    assert tres_expected not in {uno_expected, dos_expected}
    assert uno_page.read_bytes() == first.read_bytes()
    assert uno_expected.read_text(encoding="utf-8") == uno_json
    for key in ("uno", "dos", "tres"):  # every entry points at files of its own
        config = read_source_file(folder / f"{key}.toml")
        assert len(config.fixtures) == 1
        assert all(config.fixture_path(f.expected).exists() for f in config.fixtures)
    expected = [
        read_source_file(folder / f"{k}.toml").fixtures[0].expected for k in ("uno", "dos", "tres")
    ]
    assert len(set(expected)) == 3


def test_the_url_is_written_as_an_escaped_toml_string(folder: Path) -> None:
    url = 'https://elcomercio.pe/politica/a"b\\c-noticia/?q=1'
    record_fixture(catalog().get("uno"), EL_COMERCIO_PAGE, url, BUILTIN.publishers())
    config = read_source_file(folder / "uno.toml")
    assert [f.url for f in config.fixtures] == [url]
