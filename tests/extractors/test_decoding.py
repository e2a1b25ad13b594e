"""Any charset in, never mojibake out: header, BOM, <meta>, detection, and lying servers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from extractors.decoding import decode_html, decode_page
from extractors.extraction import extract
from tests.support.paths import EL_COMERCIO_PAGE, SOURCE_FIXTURES

TEXT = "El Perú celebró la decisión: «Qué año», dijo Muñoz; niños y cigüeñas en Cañete."
MOJIBAKE = ("Ã", "Â", "â€", "\ufffd")


def _page(charset_meta: str = "") -> str:
    return f"<html><head>{charset_meta}<title>Perú</title></head><body><p>{TEXT}</p></body></html>"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (_page('<meta charset="utf-8">').encode("utf-8"), None),
        (_page('<meta charset="iso-8859-1">').encode("latin-1"), None),
        (
            _page(
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            ).encode("cp1252"),
            None,
        ),
        (_page().encode("latin-1"), "text/html; charset=ISO-8859-1"),
        (b"\xef\xbb\xbf" + _page().encode("utf-8"), None),
        (_page().encode("utf-16"), None),
        (_page().encode("utf-8"), None),  # no declaration at all: detection
        (_page().encode("utf-8"), "text/html; charset=iso-8859-1"),  # a server that lies
        (_page('<meta charset="iso-8859-1">').encode("utf-8"), None),  # a page that lies
        # Latin-1 bytes announced as UTF-8, by the server or by the page's own <meta>:
        (_page().encode("latin-1"), "text/html; charset=utf-8"),
        (_page('<meta charset="utf-8">').encode("cp1252"), None),
        (_page('<meta charset="iso-8859-15">').encode("iso8859_15"), "text/html; charset=utf-8"),
    ],
)
def test_decodes_without_mojibake(data: bytes, content_type: str | None) -> None:
    text = decode_html(data, content_type)
    assert TEXT in text
    assert not any(marker in text for marker in MOJIBAKE)


@pytest.mark.parametrize(
    "page",
    [
        *sorted(SOURCE_FIXTURES.glob("*.html.gz")),
        EL_COMERCIO_PAGE,
    ],
    ids=lambda p: p.name,
)
def test_spanish_fixtures_have_no_mojibake(page: Path) -> None:
    data = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
    article = extract(data, "https://example.es/noticia.html")
    for field in (article.title or "", article.text, article.description or ""):
        assert not any(marker in field for marker in MOJIBAKE)
    assert any(ch in article.text for ch in "áéíóúñ")


def test_utf16_page_extracts() -> None:
    page = (
        "<html><head><title>Perú</title></head><body><article><p>"
        + TEXT * 6
        + "</p></article></body></html>"
    )
    article = extract(page.encode("utf-16"), "https://example.pe/nota")
    assert TEXT in article.text


def test_a_real_page_in_latin1_served_as_utf8_extracts_without_replacement_characters() -> None:
    """What a misconfigured server does to a real Spanish article (issue: U+FFFD where every
    accented letter was)."""
    original = EL_COMERCIO_PAGE.read_text(encoding="utf-8")
    latin1 = original.encode("cp1252", errors="xmlcharrefreplace")
    assert latin1 != original.encode("utf-8")  # the page has accented letters
    url = "https://elcomercio.pe/politica/justicia/kenji-fujimori-noticia/"
    article = extract(latin1, url, content_type="text/html; charset=utf-8")
    expected = extract(original.encode("utf-8"), url, content_type="text/html; charset=utf-8")
    assert "\ufffd" not in article.text and "\ufffd" not in (article.title or "")
    assert article.title == expected.title
    assert article.text == expected.text


@pytest.mark.parametrize(
    ("data", "content_type", "chosen"),
    [
        (_page().encode("utf-8"), "text/html; charset=utf-8", "utf-8"),
        (_page().encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),  # a lying server
        (_page().encode("latin-1"), "text/html; charset=utf-8", "cp1252"),  # invalid in utf-8
        (_page('<meta charset="iso-8859-15">').encode("iso8859_15"), "text/html", "iso8859-15"),
        (_page().encode("latin-1"), "text/html; charset=ISO-8859-1", "cp1252"),  # as browsers do
    ],
)
def test_the_charset_chosen_is_recorded(data: bytes, content_type: str, chosen: str) -> None:
    decoded = decode_page(data, content_type)
    assert TEXT in decoded.text
    assert decoded.encoding == chosen
    article = extract(data, "https://elcomercio.pe/x-noticia/", content_type=content_type)
    assert article.encoding == chosen


def test_text_given_as_str_records_no_charset() -> None:
    assert extract(_page(), "https://elcomercio.pe/x-noticia/").encoding is None
