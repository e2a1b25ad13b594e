"""JSON-LD read from the page itself: every script, comments tolerated, a broken one skipped."""

from __future__ import annotations

from extractors.extraction import extract
from extractors.parsing import parse_html
from extractors.structured import read_signals

URL = "https://elcomercio.pe/politica/presupuesto-noticia/"
ARTICLE = """{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "Congreso aprueba el presupuesto", "datePublished": "2024-03-14T09:30:00-05:00",
  "author": {"@type": "Person", "name": "Ana Pérez"}}"""
BODY = "".join(
    f"<p>Párrafo {n} sobre el debate del presupuesto en el Congreso.</p>" for n in range(8)
)


def page(*scripts: str) -> str:
    tags = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<html><head><title>x</title>{tags}</head><body><article>{BODY}</article></body></html>"


def signals_of(html: str) -> dict[str, object]:
    return read_signals(parse_html(html), URL).article


def test_a_broken_script_does_not_cost_the_others() -> None:
    found = signals_of(page("{not json at all", ARTICLE))
    assert found.get("headline") == "Congreso aprueba el presupuesto"


def test_comments_and_trailing_commas_are_tolerated() -> None:
    commented = "<!-- schema -->\n" + ARTICLE.replace('"Ana Pérez"}', '"Ana Pérez",},')[:-1] + "}"
    assert signals_of(page(commented)).get("headline") == "Congreso aprueba el presupuesto"


def test_graphs_and_lists_are_walked_to_the_article() -> None:
    graph = '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, ' + ARTICLE + "]}"
    listed = '[{"@type": "Organization", "name": "El Comercio"}, ' + ARTICLE + "]"
    for script in (graph, listed):
        assert signals_of(page(script)).get("datePublished") == "2024-03-14T09:30:00-05:00"


def test_the_article_fields_come_from_the_json_ld() -> None:
    article = extract(page("[]", "null", ARTICLE).encode(), URL)
    assert article.title == "Congreso aprueba el presupuesto"
    assert article.published_at == "2024-03-14T09:30:00-05:00"
    assert article.authors == ["Ana Pérez"]
