"""Bare text beside block elements becomes a paragraph before trafilatura reads the tree."""

from __future__ import annotations

import lxml.html

from extractors.loose_text import wrap_loose_text

SENTENCE = "The council voted on Tuesday to close the library for repairs until the end of May."


def _wrapped(body: str) -> str:
    tree = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    wrap_loose_text(tree)
    html: str = lxml.html.tostring(tree.find("body"), encoding="unicode")
    return html


def test_a_sentence_after_a_block_is_wrapped_with_its_inline_markup() -> None:
    html = _wrapped(
        f"<div><div><img src='a.jpg'></div>{SENTENCE} <a href='/x'>More</a> here.<p>Next.</p></div>"
    )
    assert f'<p>{SENTENCE} <a href="/x">More</a> here.</p><p>Next.</p>' in html


def test_the_containers_own_text_is_wrapped_in_place() -> None:
    html = _wrapped(f"<article>{SENTENCE}<p>Second paragraph.</p></article>")
    assert html == f"<body><article><p>{SENTENCE}</p><p>Second paragraph.</p></article></body>"


def test_short_runs_and_runs_that_start_with_a_link_are_left_alone() -> None:
    body = (
        "<div><p>Paragraph.</p>By Jane Roe<h2>Head</h2>"
        f"<a href='/x'>{SENTENCE}</a><p>End.</p></div>"
    )
    assert _wrapped(body) == lxml.html.tostring(
        lxml.html.document_fromstring(f"<html><body>{body}</body></html>").find("body"),
        encoding="unicode",
    )


def test_a_container_of_text_and_inline_markup_only_is_left_alone() -> None:
    body = f"<div>{SENTENCE} <b>bold</b> words</div>"
    assert _wrapped(body) == f"<body>{body}</body>"
