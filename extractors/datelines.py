"""The visible dateline: a short line next to the headline that is a date ("December 16, 2016,
4:19 PM", "Reviewed: June 7, 2019", "2019.03.08", "2 de diciembre de 2024").

Pages without a declared date still print one by the headline, in markup no rule names (hashed
class names, a bare <p> or <dt>). Only lines near the <h1> count: further down, the dates are
related articles', comments' and the copyright year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from difflib import SequenceMatcher

import lxml.html
from htmldate.extractors import try_date_expr

from extractors.source_rules import name_key

_SKIP = {"script", "style", "noscript", "template", "svg", "a", "button", "select", "option"}
_AFTER = 30  # text lines after the headline where a dateline may stand
_BEFORE = 5  # and before it (a dateline above the <h1>)
_MAX_CHARS = 80  # a dateline is a short line, not a sentence that mentions a date
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_DAY = re.compile(r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?!\d)")
_MAX_SENTENCE_WORDS = 4  # more words than this ending in a full stop make a sentence
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)
_LABEL = re.compile(r"^[^\d:]{1,30}:\s*")  # "Published:", "Reviewed:", "Actualizado:"
_EARLIEST = datetime(1990, 1, 1)
_NUMERIC = (
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.]\d)"), "dmy"),
    (re.compile(r"(?<![\d.])((?:19|20)\d{2})[./-](\d{1,2})[./-](\d{1,2})(?![\d.]\d)"), "ymd"),
)
_LIKE = 0.5  # as titles.py: an <h1> this like a declared title is the same headline


def dateline_texts(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """Short lines that hold a year and a day, nearest the headline first (up to _AFTER lines
    after it, _BEFORE before it), then from the top of the body: an <h1> may be a widget's
    ("Original text")."""
    body = tree.find("body")
    if body is None:
        return
    lines: list[str] = []
    headlines: list[tuple[int, str]] = []
    _walk(body, lines, headlines)
    seen: set[int] = set()
    for start in _anchors(headlines, _declared_titles(tree)):
        after = range(start, min(len(lines), start + _AFTER))
        before = range(start - 1, max(-1, start - 1 - _BEFORE), -1)
        # Nearest first; the line after the headline wins a tie with the one before it.
        for index in sorted((*after, *before), key=lambda i: (abs(i - start), i < start)):
            line = lines[index]
            if index in seen or len(line) > _MAX_CHARS or _COPYRIGHT.search(line):
                continue
            if len(line.split()) > _MAX_SENTENCE_WORDS and line.endswith((".", "!", "?")):
                continue  # a sentence that mentions a date ("… soll am 21. Juni 2011 erscheinen.")
            seen.add(index)
            if _YEAR.search(line) and _DAY.search(_YEAR.sub(" ", line)):
                yield line


def _declared_titles(tree: lxml.html.HtmlElement) -> list[str]:
    title = tree.findtext(".//title") or ""
    shared = tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content')
    return [t for t in (title, *map(str, shared)) if t.strip()]


def _anchors(headlines: list[tuple[int, str]], declared: list[str]) -> list[int]:
    """Lines to search around: the first <h1> like a declared title (else the first <h1>),
    then the top of the body."""
    like = [line for line, text in headlines if any(_alike(text, t) for t in declared)]
    first = like or [line for line, _ in headlines]
    return [*first[:1], 0]


def _alike(headline: str, title: str) -> bool:
    """The <h1> is in the title ("Headline | Site") or mostly the same words."""
    first, second = name_key(headline), name_key(title)
    return bool(first) and (
        first in second or SequenceMatcher(None, first, second).ratio() >= _LIKE
    )


def _walk(node: lxml.html.HtmlElement, lines: list[str], headlines: list[tuple[int, str]]) -> None:
    """Text lines in document order, skipping links and scripts with all they hold; notes
    the line where each <h1> starts and its text."""
    if node.tag == "h1":
        headlines.append((len(lines), " ".join(node.text_content().split())))
    if node.text and node.text.strip():
        lines.append(" ".join(node.text.split()))
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            _walk(child, lines, headlines)
        if child.tail and child.tail.strip():
            lines.append(" ".join(child.tail.split()))


def day_of(line: str, latest: date) -> date | None:
    """The calendar day `line` names: the numeric forms no locale reads another way first
    (13.04.2011, 2019.03.08, 2019-03-08), else htmldate's patterns (English and German
    month names, other numeric orders)."""
    for pattern, order in _NUMERIC:
        if match := pattern.search(line):
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                day = date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None  # "31.02.2019" is no day
            return day if _EARLIEST.date() <= day <= latest else None
    found = try_date_expr(
        line, "%Y-%m-%d", False, _EARLIEST, datetime.combine(latest, datetime.min.time())
    )
    return date.fromisoformat(found) if found else None


def without_label(line: str) -> str:
    """The line without a leading "Published:" / "Updated:" label."""
    return _LABEL.sub("", line)
