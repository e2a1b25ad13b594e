"""Article metadata from what the page declares (source selectors, JSON-LD, OpenGraph, <meta>)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import lxml.etree
import lxml.html

from extractors.authors import agency_names, clean_authors, is_handle, without_desks
from extractors.bylines import headline_bylines, visible_bylines
from extractors.content import selector_text
from extractors.dates import found_date, local_offset, page_timezone, parse_date
from extractors.source_rules import SourceRules, name_key
from extractors.structured import PageSignals, as_text, as_texts, node_types
from extractors.titles import headline, strip_site_name
from extractors.urls import InvalidURLError, absolute, canonical_url, host_of

# Markup in a declared text field: a tag, a closing tag, a comment or a declaration.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_MARKUP_PASSES = 4
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "publishdate", "pubdate", "publish-date", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dc.date", "dcterms.created", "date", "cxenseparse:recs:publishtime", "article.published",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "last-modified",
)
_CARD_PAIRS = 4  # twitter:label1 … twitter:label4
_AUTHOR_LABEL = re.compile(r"^\s*(written by|by|author|autor|auteur|von|por|par)\s*:?\s*$", re.I)
_TRUSTED_GROUPS = 2  # the source's selector and JSON-LD people: desks declared there stay
_MIN_HOST_LABEL = 3  # "co", "com" and "www" are not names of a site
# "author" last: sites put the publisher there more often than in the specific names.
_AUTHOR_META = (
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "author",
)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    description: str | None = None
    site_name: str | None = None
    author_candidates: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)  # named in a byline: the story's credit
    desks: list[str] = field(default_factory=list)  # bylines that are no one: still bylines
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
    published = [as_text(art.get("datePublished")), *_metas(meta, _PUBLISHED_META)]
    modified = [as_text(art.get("dateModified")), *_metas(meta, _MODIFIED_META)]
    timezone = page_timezone(
        [v for v in (*published, *modified) if v],
        host_of(url),
        language,
        rules.timezone if rules else None,
    )
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
    declared_dates = [rule_date, *published, _time_tag(tree)]
    published_at = date(*declared_dates)
    if published_at is not None and timezone is None:  # a known zone already dates the page
        published_at = local_offset(published_at, declared_dates, language=language)
    agencies: list[str] = []
    desks: list[str] = []
    return _plain_fields(Metadata(
        title=_title(tree, signals, rules, _site_names(site_name, url)),
        description=meta.get("og:description") or meta.get("description") or as_text(art.get("description")),
        site_name=site_name,
        author_candidates=_authors(tree, signals, rules, language, not_names=_site_names(site_name, url), agencies=agencies, desks=desks),
        agencies=agencies,
        desks=desks,
        published_at=published_at
        or found_date(tree, url, timezone=timezone, fetched_at=fetched_at, language=language),
        modified_at=date(*modified),
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
    # Markup inside a raw-text element (<xmp>, <noscript>, <iframe>) or entity-encoded twice
    # comes out of one pass as text that is markup again: strip until none is left.
    for _ in range(_MARKUP_PASSES):
        if not _MARKUP.search(text):
            break
        text = " ".join(_without_tags(text).split())
    if _MARKUP.search(text):
        return None  # still markup after every pass: no words worth keeping
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
    site_names: list[str],
) -> str | None:
    """The source's selector, else the on-page <h1>, else the declared titles, site name off."""
    declared = [
        " ".join(t.split())
        for t in (
            as_text(signals.article.get("headline")),
            signals.meta.get("og:title"),
            signals.meta.get("twitter:title"),
            _first_text(tree, ".//title"),
        )
        if t and t.strip()
    ]
    selected = selector_text(tree, rules.title_selector) if rules else None
    for candidate in (selected, headline(tree, declared, site_names), *declared):
        if candidate and (title := strip_site_name(" ".join(candidate.split()), site_names)):
            return title
    return None


def _first_text(tree: lxml.html.HtmlElement, path: str) -> str | None:
    node = tree.find(path)
    return " ".join("".join(node.itertext()).split()) if node is not None else None


def _authors(
    tree: lxml.html.HtmlElement,
    signals: PageSignals,
    rules: SourceRules | None,
    language: str | None,
    *,
    not_names: list[str],
    agencies: list[str],
    desks: list[str],
) -> list[str]:
    """Names from the most explicit declaration that still names a person once cleaned.

    Order: the source's selector, JSON-LD people, the visible byline, <meta> authors, then
    JSON-LD organisations; sites put desk or outlet names in the later ones.
    """
    selected = selector_text(tree, rules.author_selector) if rules else None
    people, others = _jsonld_authors(signals.article.get("author"))
    from_meta = [
        [v for v in signals.meta_all.get(name, []) if not v.startswith("http")]
        for name in _AUTHOR_META
    ]
    from_meta.append(_labelled_authors(signals.meta))
    groups: list[Callable[[], list[str]]] = [
        lambda: [selected] if selected else [],
        lambda: people,
        *(lambda values=values: values for values in from_meta),
    ]
    for index, group in enumerate(groups):
        agencies.extend(agency_names(group(), not_names=not_names, language=language))
        found = clean_authors(group(), not_names=not_names, language=language)
        if found := found if index < _TRUSTED_GROUPS else _people(found, desks):
            return _spelled_out(found, tree, language, not_names)
    for texts in _bylines(tree):  # lazily: most pages stop before the tree walks
        agencies.extend(agency_names(texts, not_names=not_names, language=language))
        if found := _people(clean_authors(texts, not_names=not_names, language=language), desks):
            return found
    return _people(clean_authors(others, not_names=not_names, language=language), desks)


def _bylines(tree: lxml.html.HtmlElement) -> Iterator[list[str]]:
    """Byline markup, most specific first, then a bare "By …" line by the headline."""
    yield from visible_bylines(tree)
    yield headline_bylines(tree)


def _labelled_authors(meta: dict[str, str]) -> list[str]:
    """Twitter card label/data pairs: twitter:label1 "Written by", twitter:data1 "Ellyn Shook"."""
    return [
        meta[f"twitter:data{n}"]
        for n in range(1, _CARD_PAIRS + 1)
        if _AUTHOR_LABEL.match(meta.get(f"twitter:label{n}", "")) and f"twitter:data{n}" in meta
    ]


def _spelled_out(
    names: list[str], tree: lxml.html.HtmlElement, language: str | None, not_names: list[str]
) -> list[str]:
    """Account names ("mikecason") as the visible byline spells them ("Mike Cason")."""
    if not any(is_handle(n) for n in names):
        return names
    shown = {
        name_key(n): n
        for texts in visible_bylines(tree)
        for n in clean_authors(texts, not_names=not_names, language=language)
    }
    return [shown.get(name_key(n), n) if is_handle(n) else n for n in names]


def _people(names: list[str], desks: list[str]) -> list[str]:
    """`names` without desks and outlets, which go to `desks` (the body's byline lines)."""
    people = without_desks(names)
    desks.extend(n for n in names if n not in people)
    return people


def _site_names(site_name: str | None, url: str) -> list[str]:
    """The site's name, host and host labels ("itmedia"): names that are not authors."""
    host = host_of(url)
    labels = [part for part in host.split(".")[:-1] if len(part) > _MIN_HOST_LABEL]
    return [n for n in (site_name, host, *labels) if n]


def _jsonld_authors(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD authors split into people (Person or a bare name) and organisations."""
    people: list[str] = []
    others: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        text = as_text(item)
        if not text or text.startswith("http"):
            continue
        is_org = isinstance(item, dict) and not {"person"} & node_types(item)
        (others if is_org and node_types(item) else people).append(text)
    return people, others


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
