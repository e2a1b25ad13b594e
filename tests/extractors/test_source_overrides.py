"""A source's own rules win: body/strip selectors, title/author selectors, extra boilerplate."""

from __future__ import annotations

from extractors.extraction import extract
from extractors.source_rules import SourceRules
from tests.support.html_pages import FILLER

PAGE = (
    "<html lang='en'><head><title>Site | Wrong title</title></head><body>"
    "<div class='promo'><p>" + FILLER + " PROMO</p></div>"
    "<h1 class='headline'>The right headline</h1><span class='who'>Ana Torres</span>"
    "<div class='story'><p>"
    + FILLER
    + " ONE</p><div class='inline-ad'><p>"
    + FILLER
    + " AD</p></div>"
    "<p>Partner content: brought to you by Acme</p><p>" + FILLER + " TWO</p></div>"
    "<aside><p>" + FILLER + " ASIDE</p></aside></body></html>"
)
RULES = SourceRules(
    key="demo",
    name="Demo News",
    body_selector="div.story",
    strip_selectors=("div.inline-ad",),
    title_selector="h1.headline",
    author_selector="span.who",
    boilerplate=((r"^partner content:", "sponsored line"),),
)


def test_source_selectors_and_patterns_win() -> None:
    article = extract(PAGE.encode(), "https://demo.example/a/", rules=RULES)
    assert article.title == "The right headline"
    assert article.authors == ["Ana Torres"]
    assert "ONE" in article.text and "TWO" in article.text
    for gone in ("PROMO", "ASIDE", " AD", "Partner content"):
        assert gone not in article.text
    assert ("Partner content: brought to you by Acme", "sponsored line") in [
        (r.text, r.reason) for r in article.removed
    ]
    assert article.source == "demo" and article.attribution.publisher == "Demo News"


def test_selector_that_no_longer_matches_falls_back_to_generic_extraction() -> None:
    rules = SourceRules(key="demo", name="Demo News", body_selector="div.renamed-by-redesign")
    article = extract(PAGE.encode(), "https://demo.example/a/", rules=rules)
    assert "ONE" in article.text
