"""Words one of which every match of a boilerplate pattern must contain: a plain search for
them in the lowered block rules most blocks out before the slower case-insensitive regex.

Hints are the literal ASCII words each top-level alternative starts with (after `^` or `\\b`,
through one leading group of alternatives). Python's case-insensitive matching pairs ASCII
letters with only four other characters (İ ı ſ K): in text without them, a case-insensitive
match of a literal is that literal in `text.lower()`. A pattern whose alternatives do not all
start with a literal of a few letters gets no hints and is always searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_META = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIERS = frozenset("*+?{")
_MIN_HINT = 3  # shorter literals rule out too little to pay for the search
# Non-ASCII characters that re.IGNORECASE matches to ASCII letters (i, s, k).
_ASCII_CASE_PAIRS = re.compile("[\u0130\u0131\u017f\u212a]")


def hints_of(pattern: str) -> re.Pattern[str] | None:
    """A search for the lowered literals one of which every match of `pattern` contains."""
    alternatives = _split(pattern)
    if alternatives is None:
        return None
    found = _leading_hints(alternatives)
    return re.compile("|".join(re.escape(h) for h in sorted(found))) if found else None


def lowered(text: str) -> str | None:
    """The text hints are searched in, or None when hints cannot rule the text out."""
    return None if _ASCII_CASE_PAIRS.search(text) else text.lower()


def may_match(hints: re.Pattern[str] | None, folded: str | None) -> bool:
    """False only when the pattern behind `hints` cannot match the text `folded` came from."""
    return hints is None or folded is None or hints.search(folded) is not None


def _leading_hints(alternatives: list[str]) -> set[str] | None:
    found: set[str] = set()
    for alternative in alternatives:
        hints = _leading(alternative)
        if not hints:
            return None
        found |= hints
    return found


def _leading(alternative: str) -> set[str] | None:
    """The literals this alternative's matches start with (after anchors), or None."""
    start = 0
    while alternative.startswith(("^", "\\b"), start):
        start += 1 if alternative[start] == "^" else 2
    if alternative.startswith("(", start):
        end = _closing(alternative, start)
        if end is None or alternative[end + 1 : end + 2] in _QUANTIFIERS:
            return None  # unbalanced, or an optional / repeated group
        inner = alternative[start + 1 : end]
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return None  # named group, lookaround, flags
        parts = _split(inner)
        return _leading_hints(parts) if parts is not None else None
    literal = _literal_prefix(alternative[start:])
    return {literal} if len(literal) >= _MIN_HINT else None


def _literal_prefix(text: str) -> str:
    """The lowered ASCII literal characters every match starts with."""
    chars: list[str] = []
    for char in text:
        if char in _META or not char.isascii():
            if char in _QUANTIFIERS and chars:
                chars.pop()  # "writers?": the "s" is optional
            break
        chars.append(char.lower())
    return "".join(chars)


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """The unescaped "(", ")" and "|" outside character classes, in order, from `start`;
    ("[", index) for a class that is never closed, and nothing after it."""
    index = start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif char == "[":
            end = _class_end(pattern, index)
            if end is None:
                yield index, "["
                return
            index = end
        elif char in "()|":
            yield index, char
        index += 1


def _split(pattern: str) -> list[str] | None:
    """Top-level alternatives (outside groups and classes), or None when unbalanced."""
    parts: list[str] = []
    depth, begin = 0, 0
    for index, char in _structure(pattern):
        if char == "[":
            return None
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:
            parts.append(pattern[begin:index])
            begin = index + 1
    if depth:
        return None
    parts.append(pattern[begin:])
    return parts


def _closing(pattern: str, start: int) -> int | None:
    """Index of the ")" closing the group opened at `start`."""
    depth = 0
    for index, char in _structure(pattern, start):
        if char == "[":
            return None
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def _class_end(pattern: str, start: int) -> int | None:
    """Index of the "]" closing the character class opened at `start`."""
    index = start + 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1  # a "]" first in a class is a literal
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 1
        elif pattern[index] == "]":
            return index
        index += 1
    return None
