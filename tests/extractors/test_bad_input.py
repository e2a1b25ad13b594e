"""Bad input gives a clear error or an empty result with a reason: never a crash or a hang."""

from __future__ import annotations

import gzip
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import ExtractionError
from extractors.extraction import extract
from extractors.validate import rejection_reason
from tests.support.paths import SEED_PAGE

URL = "https://news.example/a/"
SEED = (SEED_PAGE).read_bytes()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b"   \n\t ", "empty input"),
        (bytes(range(256)) * 20, "binary input"),
        (gzip.compress(SEED), "binary input"),
        (b"just some plain text, no markup at all", "no HTML markup"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary input"),
    ],
)
def test_non_pages_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(data, URL)
    assert reason in caught.value.reason
    assert URL in str(caught.value)


def test_oversized_input_is_refused_before_parsing() -> None:
    with pytest.raises(ExtractionError, match="over the 1000-byte limit"):
        extract(SEED, URL, max_bytes=1000)


def test_truncated_page_still_gives_what_it_has() -> None:
    article = extract(SEED[: len(SEED) // 2], URL)
    assert (
        article.title
        == "Putin visits Lukashenko: Will Belarus take a more active role in the invasion of Ukraine?"
    )
    assert article.text.startswith("Since 2019")


def test_deeply_nested_page_finishes_quickly() -> None:
    nested = (
        b"<html><body>"
        + b"<div>" * 50_000
        + b"<p>deep text</p>"
        + b"</div>" * 50_000
        + b"</body></html>"
    )
    start = time.monotonic()
    article = extract(nested, URL)
    assert time.monotonic() - start < 10
    assert rejection_reason(article) is not None


def test_page_without_article_is_an_empty_result_with_a_reason() -> None:
    article = extract(
        b"<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        URL,
    )
    assert article.text == ""
    assert rejection_reason(article) == "empty body"


def _mutations(page: bytes) -> st.SearchStrategy[bytes]:
    """Real page bytes, cut, spliced with noise, or with bytes flipped."""
    size = len(page)
    cut = st.tuples(st.integers(0, size), st.integers(0, size)).map(lambda r: page[min(r) : max(r)])
    splice = st.tuples(st.integers(0, size), st.binary(max_size=200)).map(
        lambda r: page[: r[0]] + r[1] + page[r[0] :]
    )
    flip = st.tuples(st.integers(0, size - 1), st.integers(0, 255)).map(
        lambda r: page[: r[0]] + bytes([r[1]]) + page[r[0] + 1 :]
    )
    return st.one_of(cut, splice, flip)


_TAGS = st.sampled_from(
    ["p", "div", "script", "article", "h2", "li", "ul", "span", "a", "style", "table", "td"]
)
_RANDOM_HTML = st.recursive(
    st.text(max_size=40),
    lambda inner: st.tuples(_TAGS, st.lists(inner, max_size=4)).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
    ),
    max_leaves=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutations(SEED))
def test_mutated_real_page_never_raises_anything_but_extraction_error(data: bytes) -> None:
    try:
        article = extract(data, URL)
    except ExtractionError as exc:
        assert exc.reason
    else:
        assert isinstance(article.text, str)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_RANDOM_HTML, raw=st.binary(max_size=300))
def test_random_html_and_bytes_never_raise_anything_but_extraction_error(
    body: str, raw: bytes
) -> None:
    for data in (f"<html><body>{body}</body></html>".encode("utf-8", "surrogatepass"), raw):
        try:
            extract(data, URL)
        except ExtractionError as exc:
            assert exc.reason
