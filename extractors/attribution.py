"""Who published this copy and who published it first: credit lines, cross-site canonicals, registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from extractors.article import Attribution
from extractors.cleaning import Credit
from extractors.source_rules import PublisherRegistry, SourceRules, name_key
from extractors.urls import host_of

# A credit link with this many path segments (/section/story) is a story, not a homepage.
_MIN_ARTICLE_PATH_SEGMENTS = 2
# A path segment with this many hyphens is a story slug (/minister-resigns-after-vote).
_MIN_SLUG_HYPHENS = 3


def build_attribution(
    *,
    url: str,
    canonical_url: str,
    site_name: str | None,
    credits: list[Credit],
    rules: SourceRules | None,
    registry: PublisherRegistry | None,
    find_links: Callable[[], Mapping[str, str]],
) -> Attribution:
    """`publisher` is this site; `original_*` name the credited or canonical origin when it differs.

    `find_links` maps the page's short link texts to their targets; it is called only when
    the page has a credit line (rare), since it costs another parse.
    """
    here = registry.by_url(url) if registry else None
    publisher = rules.name if rules else (here.name if here else site_name or host_of(url))
    own_key = rules.key if rules else (here.key if here else None)
    attribution = Attribution(publisher=publisher)
    credit = _best_credit(credits)
    if credit is not None:
        attribution.credit = credit.text
        if not credit.keep_text:  # a dateline's agency has no link to look for
            credit.link = credit.link or find_links().get(name_key(credit.name))
        _credit_origin(attribution, credit, registry)
    if host_of(canonical_url) != host_of(url) and host_of(canonical_url):
        # A cross-site canonical is how syndication partners declare the original.
        attribution.original_url = attribution.original_url or canonical_url
        origin = registry.by_url(canonical_url) if registry else None
        if origin and not attribution.original_source:
            attribution.original_publisher, attribution.original_source = origin.name, origin.key
    if own_key and attribution.original_source == own_key:
        # Crediting yourself is not syndication.
        attribution.original_publisher = attribution.original_source = None
        attribution.original_url = None
    return attribution


def _best_credit(credits: list[Credit]) -> Credit | None:
    # A removed credit line ("Source: X") says more than a dateline agency in the lead.
    lines = [c for c in credits if not c.keep_text] or credits
    return lines[-1] if lines else None


def _credit_origin(
    attribution: Attribution, credit: Credit, registry: PublisherRegistry | None
) -> None:
    known = registry.by_name(credit.name) if registry else None
    if known is None and registry and credit.link:
        known = registry.by_url(credit.link)
    if known is not None:
        attribution.original_publisher, attribution.original_source = known.name, known.key
    else:
        attribution.original_publisher = credit.name
    if credit.link and _looks_like_article(credit.link):
        attribution.original_url = credit.link


def _looks_like_article(link: str) -> bool:
    """A credit link to a story, not to a homepage or section front."""
    segments = [s for s in urlsplit(link).path.split("/") if s]
    return len(segments) >= _MIN_ARTICLE_PATH_SEGMENTS or any(
        s.count("-") >= _MIN_SLUG_HYPHENS for s in segments
    )
