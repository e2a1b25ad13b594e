"""The one entry point: HTML bytes + URL (+ source rules, fetch time) -> Article."""

from __future__ import annotations

from datetime import datetime

from extractors.article import Article
from extractors.attribution import build_attribution
from extractors.authors import clean_authors
from extractors.blocks import count_words, render_html, render_text
from extractors.cleaning import clean_blocks
from extractors.content import main_blocks
from extractors.dates import iso
from extractors.decoding import Decoded, decode_page
from extractors.errors import ExtractionError
from extractors.metadata import read_metadata
from extractors.parsing import DEFAULT_MAX_BYTES, check_bytes, parse_html, prepare_text
from extractors.rule_files import load_rules
from extractors.sanitize import sanitize_html
from extractors.source_rules import PublisherRegistry, SourceRules
from extractors.structured import read_signals, short_links
from extractors.teaser_class import may_name_teasers
from extractors.urls import host_of


def extract(
    html: bytes | str,
    url: str,
    *,
    rules: SourceRules | None = None,
    registry: PublisherRegistry | None = None,
    fetched_at: datetime | None = None,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Extract a clean, attributed article; raises ExtractionError (with a reason) for non-pages.

    `fetched_at` anchors relative dates ("hace 2 horas"); without it they are not resolved.
    """
    try:
        data = html.encode("utf-8", "replace") if isinstance(html, str) else html
        check_bytes(data, max_bytes)
        # Text given as str was decoded by the caller: no charset of ours to record.
        decoded = Decoded(html, None) if isinstance(html, str) else decode_page(data, content_type)
        article = _build(prepare_text(decoded.text), url, rules, registry, fetched_at)
        article.encoding = decoded.encoding
        return article
    except ExtractionError as exc:
        exc.url = exc.url or url
        raise
    except RecursionError as exc:
        raise ExtractionError("page structure too deeply nested to extract", url=url) from exc


def _build(
    text: str,
    url: str,
    rules: SourceRules | None,
    registry: PublisherRegistry | None,
    fetched_at: datetime | None,
) -> Article:
    tree = parse_html(text)
    signals = read_signals(tree, url)
    meta = read_metadata(tree, signals, url, rules, fetched_at)
    blocks = main_blocks(
        tree, url, rules, reparse=lambda: parse_html(text), names_teasers=may_name_teasers(text)
    )
    ruleset = load_rules(rules.boilerplate if rules else ())
    bylines = [*meta.author_candidates, *meta.desks]  # a desk's byline line is not body text
    cleaned = clean_blocks(blocks, ruleset, title=meta.title, authors=bylines)
    site_name = meta.site_name or host_of(url) or None
    attribution = build_attribution(
        url=url,
        canonical_url=meta.canonical_url,
        site_name=site_name,
        credits=cleaned.credits,
        rules=rules,
        registry=registry,
        find_links=lambda: short_links(parse_html(text), url),
    )
    if attribution.credit is None and meta.agencies:
        attribution.credit = meta.agencies[0]  # "By Jane Roe, Reuters": the agency credits it
    not_names = [n for n in (site_name, attribution.publisher, host_of(url)) if n]
    body_text = render_text(cleaned.blocks)
    return Article(
        url=url,
        canonical_url=meta.canonical_url,
        source=rules.key if rules else None,
        site_name=site_name,
        title=meta.title,
        description=meta.description,
        authors=clean_authors(meta.author_candidates or cleaned.bylines, not_names=not_names),
        published_at=iso(meta.published_at),
        modified_at=iso(meta.modified_at),
        language=meta.language,
        section=meta.section,
        tags=meta.tags,
        image=meta.image,
        text=body_text,
        html=sanitize_html(render_html(cleaned.blocks)),
        word_count=count_words(body_text),
        attribution=attribution,
        removed=cleaned.removed,
        paywalled=meta.paywalled,
    )
