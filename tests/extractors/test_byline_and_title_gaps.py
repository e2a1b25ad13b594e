"""Authors and titles the metadata rules used to miss; markup cut from development-set pages
(benchmarks/devset), classes and names kept."""

from __future__ import annotations

from extractors.authors import clean_authors, without_desks
from extractors.bylines import headline_bylines, visible_bylines
from extractors.extraction import extract
from extractors.parsing import parse_html

_BODY = "<p>" + "The council met on Tuesday and voted on the new budget for the city. " * 8 + "</p>"


def _page(*, head: str = "", body: str = "", body_class: str = "", title: str = "Budget") -> bytes:
    return (
        f"<html lang='en'><head><title>{title}</title>{head}</head><body class='{body_class}'>"
        f"<article><h1>Council passes the budget</h1>{body}{_BODY}</article></body></html>"
    ).encode()


def _authors(html: bytes) -> list[str]:
    return extract(html, "https://news.example/budget").authors


def test_a_role_after_the_name_is_not_part_of_it() -> None:
    # The Obama White House blog's author card.
    byline = "Kori Schulman Special Assistant to the President and Deputy Chief Digital Officer"
    assert clean_authors([byline]) == ["Kori Schulman"]


def test_a_masthead_in_capitals_beside_a_person_is_no_author() -> None:
    # Fortune: <meta name="author" content="John Patrick Pullen, TIME">.
    assert without_desks(["John Patrick Pullen", "TIME"]) == ["John Patrick Pullen"]
    assert without_desks(["KT"]) == ["KT"]  # alone, it is how the site signs its writer


def test_an_account_name_takes_the_bylines_spelling() -> None:
    # al.com: sailthru.author is the account; the byline spells the name out.
    html = _page(
        head="<meta name='sailthru.author' content='mikecason'>",
        body="<div class='byline'>By <a href='/staff/mcason/posts.html'>Mike Cason</a>"
        " | mcason@al.com</div>",
    )
    assert _authors(html) == ["Mike Cason"]


def test_an_account_name_alone_stays() -> None:
    html = _page(head="<meta name='author' content='doumae'>")
    assert _authors(html) == ["doumae"]


def test_twitter_card_written_by_label() -> None:
    # LinkedIn Pulse: the author is only in the card's label/data pair.
    html = _page(
        head='<meta name="twitter:label1" value="Written by">'
        '<meta name="twitter:data1" value="Ellyn Shook">'
        '<meta name="twitter:label2" value="Reading time">'
        '<meta name="twitter:data2" value="2 min read">'
    )
    assert _authors(html) == ["Ellyn Shook"]


def test_page_wide_feature_classes_do_not_hide_the_byline() -> None:
    # Deadspin's <body> class lists flags such as "f_comment_nofollow_on".
    html = _page(
        body_class="deadspin f_comment_nofollow_on f_related_stories_inset_on",
        body="<div class='sc-1jc3ukb-3'><a href='/author/miserableshitehawk'>Chris Thompson</a>"
        "</div>",
    )
    assert _authors(html) == ["Chris Thompson"]


def test_an_avatar_link_does_not_hide_the_name_beside_it() -> None:
    # LittleThings: the picture and the name are two links to the author page.
    tree = parse_html(
        "<html><body><header><div class='PostHeader__ScSubTitleContainer'>"
        "<div class='ScAuthorImageSection'><div class='ScAuthorImage'>"
        "<a href='/author/bethany-braun-silva'><img src='a.jpg'></a></div></div>"
        "<div class='ScSubTitleBox'><div class='ScContentBox'><div class='ScAuthorNameSection'>"
        "<a href='/author/bethany-braun-silva'>Bethany Braun-Silva</a></div></div></div>"
        "</div></header></body></html>"
    )
    assert list(visible_bylines(tree)) == [["Bethany Braun-Silva"]]


def test_by_line_in_hashed_markup_after_the_headline() -> None:
    # Quartz and ABC News: "By" lines with no byline class.
    tree = parse_html(
        "<html><body><h1>Nigeria's economy</h1><div class='MiiXW'><div class='_ceVT'>By "
        "<span class='rlwyg'>Yomi Kazeem</span></div></div>"
        "<div class='iDmZj'><span class='xTlfF'>By</span><span>by JOSH HASKELL, DAVID CAPLAN"
        " and PATRICK REEVELL</span></div>"
        "<p>By the end of the year the economy grew.</p>"
        "<p>Por su parte, el gobierno dijo que no.</p></body></html>"
    )
    assert headline_bylines(tree) == [
        "By Yomi Kazeem",
        "by JOSH HASKELL, DAVID CAPLAN and PATRICK REEVELL",
    ]
    assert clean_authors(headline_bylines(tree)) == [
        "Yomi Kazeem",
        "JOSH HASKELL",
        "DAVID CAPLAN",
        "PATRICK REEVELL",
    ]


def test_a_title_part_equal_to_og_title_is_the_headline_not_the_site() -> None:
    # Medium: "<title>Headline - Longer subtitle</title>", og:title the headline; a second
    # <h1> further down is a section of the talk.
    html = (
        "<html><head><title>WTF? What’s The Future? - From the WTF? Economy to the Next Economy"
        "</title><meta property='og:title' content='WTF? What’s The Future?'></head><body>"
        "<article><h1 class='lg b lh lo by'>WTF? What’s The Future?</h1>"
        "<h1 id='a423'>My talk at the White House Frontiers Conference</h1>"
        f"{_BODY}</article></body></html>"
    ).encode()
    assert extract(html, "https://medium.com/x/wtf").title == "WTF? What’s The Future?"


def test_a_lone_widget_heading_is_not_the_title() -> None:
    # Elecom: the page's only <h1> belongs to a translation widget.
    html = (
        "<html lang='ja'><head><title>[News] 薄型キーボード6モデルを発売</title></head><body>"
        f"<div>{_BODY}</div><div class='top'><h1 class='title gray'>Original text</h1></div>"
        "</body></html>"
    ).encode()
    assert extract(html, "https://www.example.co.jp/news/").title == (
        "[News] 薄型キーボード6モデルを発売"
    )


def test_a_section_before_the_byline_is_no_author() -> None:
    # Die Zeit's e-paper: <div class="article__author">Politik · Jochen Bittner, Tina …</div>.
    assert clean_authors(["Politik · Jochen Bittner, Tina Hildebrandt"]) == [
        "Jochen Bittner",
        "Tina Hildebrandt",
    ]


def test_each_itemprop_name_is_one_person() -> None:
    # Investment Executive: two names in one Person, with nothing between them.
    tree = parse_html(
        "<html><body><div class='hidden' itemprop='author' itemscope=''>"
        "<span itemprop='name'>Paul Wiseman</span>"
        "<span itemprop='name'>Fatima Hussein, The Associated Press</span></div></body></html>"
    )
    texts = next(visible_bylines(tree))
    assert clean_authors(texts) == ["Paul Wiseman", "Fatima Hussein"]
