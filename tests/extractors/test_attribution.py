"""Attribution: this site as publisher; credited or canonical origin resolved through the registry."""

from __future__ import annotations

from extractors.extraction import extract
from extractors.source_rules import Publisher, PublisherRegistry, SourceRules
from tests.support.html_pages import article_page

REGISTRY = PublisherRegistry.of(
    [
        Publisher("elcomercio", "El Comercio", ("Elcomercio", "elcomercio.pe"), ("elcomercio.pe",)),
        Publisher("efe", "Agencia EFE", ("EFE",), ("efe.com", "www.efe.com")),
    ]
)


def test_registry_folds_case_accents_spacing_and_hosts() -> None:
    for name in ("Elcomercio", "EL COMERCIO", "El  Comércio", "elcomercio.pe", "elcomercio"):
        found = REGISTRY.by_name(name)
        assert found is not None and found.key == "elcomercio", name
    assert REGISTRY.by_name("El Tiempo") is None
    by_url = REGISTRY.by_url("https://elcomercio.pe/mundo/x-noticia/")
    assert by_url is not None and by_url.key == "elcomercio"


def test_credit_with_article_link_gives_original_url() -> None:
    line = 'Fuente: <a href="https://elcomercio.pe/mundo/europa/putin-visita-minsk-noticia/">El Comercio</a>'
    article = extract(
        article_page(line, lang="es").encode(), "https://agg.example/nota/", registry=REGISTRY
    )
    assert article.attribution.original_source == "elcomercio"
    assert article.attribution.original_publisher == "El Comercio"
    assert (
        article.attribution.original_url
        == "https://elcomercio.pe/mundo/europa/putin-visita-minsk-noticia/"
    )
    assert article.attribution.credit == "Fuente: El Comercio"


def test_cross_site_canonical_names_the_original() -> None:
    head = '<link rel="canonical" href="https://elcomercio.pe/mundo/x-noticia/?utm_source=agg">'
    article = extract(article_page(head=head).encode(), "https://agg.example/x/", registry=REGISTRY)
    assert article.canonical_url == "https://elcomercio.pe/mundo/x-noticia/"
    assert article.attribution.original_url == "https://elcomercio.pe/mundo/x-noticia/"
    assert article.attribution.original_source == "elcomercio"


def test_own_credit_is_not_syndication() -> None:
    rules = SourceRules(key="elcomercio", name="El Comercio", homepage="https://elcomercio.pe/")
    article = extract(
        article_page("Fuente: El Comercio", lang="es").encode(),
        "https://elcomercio.pe/lima/x-noticia/",
        rules=rules,
        registry=REGISTRY,
    )
    assert article.attribution.publisher == "El Comercio"
    assert article.attribution.original_source is None
    assert article.attribution.credit == "Fuente: El Comercio"


def test_unknown_agency_is_kept_as_written() -> None:
    article = extract(
        article_page("Source: Kyodo News").encode(), "https://agg.example/y/", registry=REGISTRY
    )
    assert article.attribution.original_publisher == "Kyodo News"
    assert article.attribution.original_source is None


def test_byline_moves_to_authors_when_the_page_declares_none() -> None:
    page = article_page().replace(
        "<div class='entry-content'>", "<div class='entry-content'><p>By Jane Doe and John Roe</p>"
    )
    article = extract(page.encode(), "https://agg.example/z/")
    assert article.authors == ["Jane Doe", "John Roe"]
    assert "By Jane Doe" not in article.text
