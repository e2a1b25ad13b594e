"""The article's headline: the page's own <h1> first, then what it declares, without site names.

A page's <h1> is what readers see as the headline; og:title and <title> are often shortened
for sharing or carry "| Site" suffixes. Logos, section names and visually hidden site names
are also set in <h1>, so those are skipped, and among several the one most like the declared
title wins.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import lxml.html

from extractors.source_rules import name_key

# Separators between a headline and the site's name in <title> and og:title.
_SEPARATORS = re.compile(r"\s+(?:[|–—·:»]|-{1,2})\s+|\s*[｜]\s*|：(?=[^：]{1,30}$)")
_PUBLISHED_NOTE = re.compile(r"\s*\((?:published|veröffentlicht|publicado|publié) \d{4}\)$", re.I)
# <h1> marks that are not the headline: logos, brand names, hidden text.
_NOT_HEADLINE = re.compile(
    r"(^|[\s_-])(logo|brand|branding|masthead|site-?title|site-?name|hidden|visuallyhidden|"
    r"sr-only|screen-reader-text)([\s_-]|$)",
    re.IGNORECASE,
)
_NON_TEXT = frozenset({"svg", "script", "style", "noscript", "button", "img"})
_NON_TEXT_OR_LINK = _NON_TEXT | {"a"}
# A headline shorter than this (in characters) is a label ("Videos", "MENU").
_MIN_HEADLINE_CHARS = 8
_MAX_HEADLINE_CHARS = 300
# An <h1> this like a declared title is the same headline; below it, only a lone <h1> counts.
_LIKE = 0.5
# Below this a lone <h1> is no headline (lowest among the development set's real ones: 0.36).
_UNLIKE = 0.15


def headline(tree: lxml.html.HtmlElement, declared: list[str], site_names: list[str]) -> str | None:
    """The <h1> headline, when the page has one that is not a logo, section or site name."""
    names = {name_key(n) for n in site_names if n} | _site_segments(declared)
    found: list[str] = []
    for node in tree.iter("h1"):
        text = _visible_text(node)
        if text and not _skipped(node, text, names):
            # A link beside the headline's own words is the site's or section's ("Ultima Hora").
            unlinked = _visible_text(node, _NON_TEXT_OR_LINK)
            text = unlinked if len(unlinked) >= _MIN_HEADLINE_CHARS else text
            if text not in found:
                found.append(text)
    if not found:
        return None
    if len(found) == 1:
        # A lone <h1> sharing next to nothing with every declared title is a widget's
        # ("Original text" of a translate box), not this page's headline.
        if declared and not _like_any(found[0], declared, _UNLIKE):
            return None
        return found[0]
    likeness = {text: _likeness(text, declared) for text in found}  # each compared once
    best = max(found, key=likeness.__getitem__)
    return best if likeness[best] >= _LIKE else None


def strip_site_name(title: str, site_names: list[str]) -> str:
    """'Headline | Site' -> 'Headline' when the trailing part names the site."""
    title = _PUBLISHED_NOTE.sub("", " ".join(title.split()))
    keys = [k for k in (name_key(n) for n in site_names if n) if k]
    while True:
        parts = _SEPARATORS.split(title)
        if len(parts) < 2:  # a headline and a trailing part
            return title
        tail = name_key(parts[-1])
        if not tail or not any(k in tail or tail in k for k in keys):
            return title
        title = title[: title.rfind(parts[-1])].rstrip(" |｜–—·:：»-")


def _visible_text(node: lxml.html.HtmlElement, skip: frozenset[str] = _NON_TEXT) -> str:
    parts: list[str] = []
    for sub in node.iter():
        if isinstance(sub.tag, str) and sub.text and not _within(sub, node, skip):
            parts.append(sub.text)
        parent = sub.getparent()
        if sub is not node and sub.tail and parent is not None and not _within(parent, node, skip):
            parts.append(sub.tail)
    return " ".join("".join(parts).split())


def _within(
    node: lxml.html.HtmlElement | None, root: lxml.html.HtmlElement, tags: frozenset[str]
) -> bool:
    """Whether `node` is, or sits inside, one of `tags` below `root`."""
    while node is not None and node is not root:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


def _skipped(node: lxml.html.HtmlElement, text: str, site_names: set[str]) -> bool:
    """A logo, a hidden site name, a section link or a label rather than the headline."""
    marks = f"{node.get('class', '')} {node.get('id', '')}"
    if _NOT_HEADLINE.search(marks) or "header" in marks.split() or len(text) < _MIN_HEADLINE_CHARS:
        return True
    if len(text) > _MAX_HEADLINE_CHARS or name_key(text) in site_names:
        return True
    links = node.findall(".//a")
    linked = sum(len(" ".join(a.text_content().split())) for a in links)
    return bool(links) and linked >= len(text) * 0.9 and not node.get("itemprop")


def _site_segments(declared: list[str]) -> set[str]:
    """Short parts of a declared title beside a longer one: the site's name ("Blog - Post")."""
    segments: set[str] = set()
    for title in declared:
        parts = [p for p in _SEPARATORS.split(title) if p.strip()]
        if len(parts) > 1:
            longest = max(parts, key=len)
            segments |= {name_key(p) for p in parts if p is not longest}
    # A part that is a whole declared title (og:title) is the headline, the longer one a
    # subtitle: "WTF? What's The Future? - From the WTF? Economy to the Next Economy".
    return segments - {name_key(title) for title in declared}


def _like_any(text: str, declared: list[str], threshold: float) -> bool:
    """Whether `_likeness(text, declared) >= threshold`, stopping at the first title that is:
    difflib's cheap upper bounds settle most comparisons without the full ratio."""
    key = name_key(text)
    for title in declared:
        matcher = SequenceMatcher(None, key, name_key(title))
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue  # upper bounds of ratio(): this title cannot reach the threshold
        if matcher.ratio() >= threshold:
            return True
    return False


def _likeness(text: str, declared: list[str]) -> float:
    key = name_key(text)
    return max((SequenceMatcher(None, key, name_key(d)).ratio() for d in declared), default=0.0)
