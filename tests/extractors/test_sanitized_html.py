"""`html` is safe to render on another site: nothing executable or styled survives."""

from __future__ import annotations

from extractors.extraction import extract
from extractors.sanitize import sanitize_html
from tests.support.html_pages import FILLER

HOSTILE = (
    "<html><head><title>T</title></head><body><article><h1>T</h1>"
    f"<p onclick='steal()' style='color:red'>{FILLER} <a href='javascript:alert(1)'>click</a></p>"
    f"<script>alert('x')</script><iframe src='https://evil.example/'></iframe>"
    f"<h2 onmouseover='x()'>Section</h2><ul><li>{FILLER}</li><li>Second item of the list</li></ul>"
    f"<blockquote><p>{FILLER}</p></blockquote><p>{FILLER} <img src=x onerror=alert(2)></p>"
    "</article></body></html>"
)


def test_extracted_html_has_structure_and_nothing_executable() -> None:
    html = extract(HOSTILE.encode(), "https://news.example/a/").html
    for bad in (
        "<script",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "style=",
        "<iframe",
        "alert(",
    ):
        assert bad not in html
    assert "<h2>Section</h2>" in html
    assert "<ul><li>" in html
    assert "<blockquote><p>" in html


def test_sanitizer_allow_list() -> None:
    dirty = (
        '<p style="x" onclick="y()">a<script>b()</script><a href="javascript:c()">d</a>'
        '<a href="https://ok.example/">e</a><iframe></iframe><img src=x></p>'
    )
    clean = sanitize_html(dirty)
    assert (
        clean
        == '<p>a<a rel="noopener noreferrer nofollow">d</a><a href="https://ok.example/" rel="noopener noreferrer nofollow">e</a></p>'
    )
