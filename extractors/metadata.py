"""Article metadata from what the page declares (source selectors, JSON-LD, OpenGraph, <meta>)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import lxml.etree
import lxml.html

from extractors.content import selector_text
from extractors.dates import parse_date
from extractors.source_rules import SourceRules
from extractors.structured import PageSignals, as_text, as_texts, node_types
from extractors.urls import InvalidURLError, absolute, canonical_url

# Markup in a declared text field: a tag, a closing tag, a comment or a declaration.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·:»-]\s+")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
    "publish-date", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created",
    "date", "cxenseparse:recs:publishtime", "article.published",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "last-modified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    description: str | None = None
    site_name: str | None = None
    author_candidates: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical_url: str = ""
    paywalled: bool | None = None


def read_metadata(
    tree: lxml.html.HtmlElement,
    signals: PageSignals,
    url: str,
    rules: SourceRules | None,
    fetched_at: datetime | None,
) -> Metadata:
    """Each field from the most explicit declaration that has it."""
    meta, art = signals.meta, signals.article
    language = _language(signals, rules)
    timezone = rules.timezone if rules else None
    site_name = (
        meta.get("og:site_name") or as_text(art.get("publisher")) or (rules.name if rules else None)
    )

    def date(*values: str | None) -> datetime | None:
        for value in values:
            if parsed := parse_date(
                value, language=language, timezone=timezone, fetched_at=fetched_at
            ):
                return parsed
        return None

    rule_date = selector_text(tree, rules.date_selector) if rules else None
    return _plain_fields(Metadata(
        title=_title(tree, signals, rules, site_name),
        description=meta.get("og:description") or meta.get("description") or as_text(art.get("description")),
        site_name=site_name,
        author_candidates=_authors(tree, signals, rules),
        published_at=date(rule_date, as_text(art.get("datePublished")), *_metas(meta, _PUBLISHED_META), _time_tag(tree)),
        modified_at=date(as_text(art.get("dateModified")), *_metas(meta, _MODIFIED_META)),
        language=language,
        section=as_text(art.get("articleSection")) or meta.get("article:section"),
        tags=_tags(signals),
        image=absolute(meta.get("og:image") or meta.get("twitter:image") or _image(art), url),
        canonical_url=_canonical(absolute(signals.canonical or meta.get("og:url"), url) or url),
        paywalled=_paywalled(signals),
    ))  # fmt: skip


def plain_text(value: str | None) -> str | None:
    """Declared text as plain words: pages put markup and entities in descriptions and titles
    (`<img onerror=…>`, `&lt;b&gt;`), which downstream sites would otherwise render as HTML."""
    if value is None:
        return None
    text = html.unescape(value)
    if _MARKUP.search(text):
        text = " ".join(_without_tags(text).split())
    return text.strip() or None


def _without_tags(text: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except (lxml.etree.ParserError, ValueError):  # nothing but a comment, a NUL, …
        return html.unescape(re.sub(r"<[^>]*>", " ", text))
    lxml.etree.strip_elements(root, "script", "style", with_tail=False)
    return html.unescape(root.text_content())


def _plain_fields(meta: Metadata) -> Metadata:
    """Every text field of `meta` as plain text (tags and authors without empty ones)."""
    return replace(
        meta,
        title=plain_text(meta.title),
        description=plain_text(meta.description),
        site_name=plain_text(meta.site_name),
        section=plain_text(meta.section),
        tags=[t for t in map(plain_text, meta.tags) if t],
        author_candidates=[a for a in map(plain_text, meta.author_candidates) if a],
    )


def _canonical(url: str) -> str:
    """The normalised canonical URL; a non-web URL (a local file) stays as it is."""
    try:
        return canonical_url(url)
    except InvalidURLError:
        return url


def _metas(meta: dict[str, str], names: tuple[str, ...]) -> list[str | None]:
    return [meta.get(name) for name in names]


def _time_tag(tree: lxml.html.HtmlElement) -> str | None:
    """The first <time>'s machine-readable value, else its visible text ("hace 2 horas")."""
    node = tree.find(".//time[@datetime]")
    if node is not None:
        return str(node.get("datetime"))
    node = tree.find(".//time")
    return " ".join(node.text_content().split()) or None if node is not None else None


def _language(signals: PageSignals, rules: SourceRules | None) -> str | None:
    value = (
        signals.html_lang
        or as_text(signals.article.get("inLanguage"))
        or signals.meta.get("og:locale")
        or signals.meta.get("content-language")
        or (rules.language if rules else None)
    )
    return value.replace("_", "-").split("-")[0].lower() if value else None


def _title(
    tree: lxml.html.HtmlElement,
    signals: PageSignals,
    rules: SourceRules | None,
    site_name: str | None,
) -> str | None:
    candidates = [
        selector_text(tree, rules.title_selector) if rules else None,
        as_text(signals.article.get("headline")),
        signals.meta.get("og:title"),
        signals.meta.get("twitter:title"),
        _first_text(tree, ".//h1"),
        _first_text(tree, ".//title"),
    ]
    for candidate in candidates:
        if candidate and (title := _strip_site_name(" ".join(candidate.split()), site_name)):
            return title
    return None


def _first_text(tree: lxml.html.HtmlElement, path: str) -> str | None:
    node = tree.find(path)
    return " ".join("".join(node.itertext()).split()) if node is not None else None


def _strip_site_name(title: str, site_name: str | None) -> str:
    """'Headline – Site' -> 'Headline' when the trailing part is the site's name."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1 and site_name and parts[-1].strip().lower() == site_name.strip().lower():
        return title[: title.rfind(parts[-1])].rstrip(" |–—·:»-")
    return title


def _authors(
    tree: lxml.html.HtmlElement, signals: PageSignals, rules: SourceRules | None
) -> list[str]:
    selected = selector_text(tree, rules.author_selector) if rules else None
    from_jsonld = [a for a in as_texts(signals.article.get("author")) if not a.startswith("http")]
    from_meta = [
        v
        for name in _AUTHOR_META
        for v in signals.meta_all.get(name, [])
        if not v.startswith("http")
    ]
    # The most explicit declaration wins whole: sites put desk or site names in the others.
    for found in ([selected] if selected else [], from_jsonld, from_meta):
        if found:
            return found
    return []


def _tags(signals: PageSignals) -> list[str]:
    tags = signals.meta_all.get("article:tag") or []
    if not tags:
        keywords = signals.article.get("keywords")
        tags = (
            as_texts(keywords)
            if isinstance(keywords, list)
            else (as_text(keywords) or "").split(",")
        )
    if not any(t.strip() for t in tags):
        tags = (signals.meta.get("news_keywords") or signals.meta.get("keywords") or "").split(",")
    return list(dict.fromkeys(t.strip() for t in tags if t.strip()))


def _image(article: dict[str, Any]) -> str | None:
    image: Any = article.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        return as_text(image.get("url") or image.get("contentUrl"))
    return as_text(image)


def _paywalled(signals: PageSignals) -> bool | None:
    """True/False only when the page declares it (isAccessibleForFree, content tier)."""
    for node in [signals.article, *signals.jsonld_nodes]:
        for holder in [node, *(p for p in _as_list(node.get("hasPart")) if isinstance(p, dict))]:
            value = holder.get("isAccessibleForFree")
            if value is not None and (holder is node or "webpageelement" in node_types(holder)):
                return str(value).strip().lower() in {"false", "0", "no"}
    tier = signals.meta.get("article:content_tier", "").lower()
    return True if tier == "locked" else (False if tier == "free" else None)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []
