"""An article body whose template names it a teaser keeps its text; real teasers still go.

On a real municipal-party page (benchmarks/devset, cdu-fraktion-erfurt.de) the article is
`<div id="blog_detail" class="blog_teaser_text">` and the sidebar's teasers (a headline and
an excerpt cut with "...") use the same class; the small page below follows that template.
"""

from __future__ import annotations

from extractors.extraction import extract
from extractors.parsing import parse_html
from extractors.teaser_class import keep_article_named_teaser
from tests.support.devset import load_devset

URL = "https://fraktion.example/inhalte/aktuelles/waldorfschule/index.html"
BODY = [
    "Ein positives Signal gab es diese Woche für die Waldorfschule in Bischleben. Im Stadtrat "
    "wurde der Bebauungsplan, der die Entwicklung der Schule ermöglichen soll, beschlossen.",
    "Die Schule ist ein guter Beleg, dass Schulen in freier Trägerschaft eine gute Arbeit "
    "leisten, sagte der Fraktionsvorsitzende und stellte auch den anderen Schulen ein gutes "
    "Zeugnis aus. Schon jetzt besuchen rund zehn Prozent der Schüler eine solche Schule.",
    "Die Fraktion setzt sich seit langem für diese Schulen ein. Ein Beispiel aus der in diesem "
    "Jahr beschlossenen Schulnetzplanung ist die Zusammenarbeit mit der Schulstiftung, für "
    "deren Gymnasium sie sich einen neuen und angemessenen Standort gewünscht hatte.",
    "Ein anderes positives Signal kam vom Verfassungsgericht. Die Richter erklärten das "
    "Finanzierungskonzept für die privaten Schulen als verfassungswidrig, so dass Eltern und "
    "Schüler auf eine gesicherte und bessere Finanzierung hoffen können.",
]
TEASER = (
    "Fraktion gegen drastische Erhöhung für Zoo-Eintritt",
    "Die Fraktion im Stadtrat ist verärgert über die erneute Diskussion zu den Eintrittspreisen. "
    "Nachdem nach langer Diskussion der Stadtrat...",
)


def _page(article_class: str) -> str:
    teasers = "".join(
        f'<div class="blog_teaser"><a href="/t{n}.html">{TEASER[0]} {n}</a>'
        f'<div class="blog_teaser_text">{TEASER[1]}</div></div>'
        for n in range(4)
    )
    body = "".join(f"<p>{paragraph}</p>" for paragraph in BODY)
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        "<title>Entwicklung der Waldorfschule ermöglicht</title></head><body>"
        f'<div id="main"><div class="sidebar">{teasers}</div><div class="content">'
        "<h1>Entwicklung der Waldorfschule ermöglicht</h1>"
        f'<div id="blog_detail" class="{article_class}">{body}</div></div></div></body></html>'
    )


def test_on_the_real_page_the_article_is_the_text_and_the_teasers_stay_out() -> None:
    page = next(
        p for p in load_devset() if p.id == "trafilatura-cache-cdu-fraktion-erfurt.de.waldorfschule"
    )
    text = extract(page.html(), page.url).text
    assert "Ein positives Signal gab es diese Woche für die Waldorfschule" in text
    assert text.rstrip().endswith("der steigenden Nachfrage gerecht zu werden.")
    # The sidebar's teasers: before, the whole page came back (jusText's last resort).
    assert "Zoo-Eintritt" not in text
    assert "Kindergipfels" not in text


def test_only_the_element_holding_most_paragraph_text_is_renamed() -> None:
    tree = parse_html(_page("blog_teaser_text"))
    keep_article_named_teaser(tree)
    assert tree.get_element_by_id("blog_detail").get("class") == "blog__text"
    # The sidebar's excerpts hold no article's worth of paragraphs: they keep their name.
    assert len(tree.find_class("blog_teaser_text")) == 4
    assert len(tree.find_class("blog_teaser")) == 4
