"""Authors and titles that hold on unseen pages: bylines split per language, junk names
dropped, the visible byline and <h1> preferred over outlet names and shortened titles."""

from __future__ import annotations

import pytest

from extractors.authors import clean_authors, without_desks
from extractors.extraction import extract

BODY = "<p>" + "The council met on Tuesday and voted on the new budget for the city. " * 8 + "</p>"


def _page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body>{body}<article>{BODY}</article></body></html>"


@pytest.mark.parametrize(
    ("byline", "language", "expected"),
    [
        ("Jochen Bittner und Tina Hildebrandt", "de", ["Jochen Bittner", "Tina Hildebrandt"]),
        ("Kari Nordmann og Ola Hansen", "no", ["Kari Nordmann", "Ola Hansen"]),
        ("Ana Pérez y Luis Gómez", "es", ["Ana Pérez", "Luis Gómez"]),
        ("Marie Dupont et Jean Martin", "fr", ["Marie Dupont", "Jean Martin"]),
        ("By Jane Roe and John Doe", "en", ["Jane Roe", "John Doe"]),
        ("Von Anna Schmidt", "de", ["Anna Schmidt"]),
    ],
)
def test_bylines_split_at_the_page_languages_and(
    byline: str, language: str, expected: list[str]
) -> None:
    assert clean_authors([byline], language=language) == expected


def test_and_of_another_language_does_not_split_a_name() -> None:
    # "Og" is a Norwegian "and", not an English one.
    assert clean_authors(["Peter Og Smith"], language="en") == ["Peter Og Smith"]


def test_last_first_stays_one_name_in_byline_order() -> None:
    # parsely-author "Gillman, Steve" is the byline's "Steve Gillman", not two people.
    assert clean_authors(["Gillman, Steve"]) == ["Steve Gillman"]
    assert clean_authors(["Smith, AP"]) == ["Smith, AP"]  # capitals: not a first name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Pete Evans · CBC News", ["Pete Evans"]),
        ("홍길동 기자", ["홍길동"]),
        ("Howard Blume Staff Writer", ["Howard Blume"]),
        ("文● オカモト／ASCII編集部", ["オカモト"]),
        ("Sam Levin (Image: Getty Images", ["Sam Levin"]),
        ("Mike Cason | mcason@al.com", ["Mike Cason"]),
        ("Written by Michael Larabel in Valve on 1 June 2019 at 08:34 PM EDT", ["Michael Larabel"]),
        ("By Meg Wagner NEW YORK DAILY NEWS", ["Meg Wagner"]),
        ("Laura E. Adkins December 28, 2016", ["Laura E. Adkins"]),
        ("Cécile Ducourtieux (Bruxelles, bureau européen)", ["Cécile Ducourtieux"]),
        ("Alyssa Newcomb, technology", ["Alyssa Newcomb"]),
        ("All India Edited by Swati Bhasin", ["Swati Bhasin"]),
        ("Politics | By Jane Roe", ["Jane Roe"]),
    ],
)
def test_roles_labels_and_credits_come_off(value: str, expected: list[str]) -> None:
    # What the page's byline and <meta> authors go through (JSON-LD people keep desks).
    assert without_desks(clean_authors([value])) == expected


@pytest.mark.parametrize(
    "value", ["chuck-ross", "Redaktion", "The Associated Press", "Reuters", "EFE", "By"]
)
def test_slugs_desks_and_agencies_are_not_authors(value: str) -> None:
    assert clean_authors([value]) == []


def test_a_name_that_is_a_month_or_a_prefix_stays() -> None:
    assert clean_authors(["Mark May", "Juli Clover", "Diana Byrne", "Stand By Me"]) == [
        "Mark May",
        "Juli Clover",
        "Diana Byrne",
        "Stand By Me",
    ]


def test_author_links_with_nothing_between_are_two_names() -> None:
    html = _page(
        body="<div class='byline'><a href='/author/pw'>Paul Wiseman</a>"
        "<a href='/author/fh'>Fatima Hussein</a></div>"
    )
    assert extract(html, "https://news.example/story").authors == [
        "Paul Wiseman",
        "Fatima Hussein",
    ]


def test_visible_byline_beats_the_outlet_in_meta_author() -> None:
    html = _page(
        "<meta name='author' content='Daily Planet'><meta property='og:site_name' content='Daily Planet'>",
        "<div class='byline'>By <a href='/author/lois-lane'>Lois Lane</a> and "
        "<a href='/author/clark-kent'>Clark Kent</a></div>",
    )
    assert extract(html, "https://dailyplanet.example/2024/05/01/budget").authors == [
        "Lois Lane",
        "Clark Kent",
    ]


def test_jsonld_person_beats_jsonld_organisation_and_desk_meta() -> None:
    html = _page(
        "<meta name='author' content='Metro Desk'>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget",'
        '"author": [{"@type": "Organization", "name": "Daily Planet"},'
        '{"@type": "Person", "name": "Jimmy Olsen"}]}</script>'
    )
    assert extract(html, "https://dailyplanet.example/news/budget").authors == ["Jimmy Olsen"]


def test_desk_names_in_meta_are_dropped() -> None:
    html = _page("<meta name='author' content='AOL Staff'>")
    assert extract(html, "https://aol.example/news/budget").authors == []


def test_related_story_bylines_are_not_the_articles() -> None:
    html = _page(
        body="<div class='byline'><a rel='author' href='/author/a'>Perry White</a></div>"
        + "<p>x</p>" * 3
        + "<section class='related-stories'><div><div><span class='byline'>"
        "<a rel='author' href='/author/b'>Cat Grant</a></span></div></div></section>"
    )
    assert extract(html, "https://dailyplanet.example/news/budget").authors == ["Perry White"]


def test_meta_value_attribute_is_read_like_content() -> None:
    # Snapshots made by some renderers keep <meta> values in `value`, not `content`.
    html = _page("<meta name='author' value='Aja Romano'>")
    assert extract(html, "https://vox.example/2016/12/10/story").authors == ["Aja Romano"]


def test_h1_headline_first_and_site_suffix_off() -> None:
    html = _page(
        "<title>Council passes budget | Daily Planet</title>"
        "<meta property='og:title' content='Budget passes'>",
        "<h1 class='site-logo'><a href='/'>Daily Planet</a></h1>"
        "<h1 class='headline'>Council passes the budget after a long night</h1>",
    )
    assert extract(html, "https://dailyplanet.example/news/budget").title == (
        "Council passes the budget after a long night"
    )


def test_logo_and_hidden_h1_are_skipped_for_the_declared_title() -> None:
    html = _page(
        "<title>Council passes budget – Daily Planet</title>",
        "<h1><a href='https://dailyplanet.example/'><svg><title>Daily Planet</title></svg></a></h1>"
        "<h1 class='visuallyhidden'>Daily Planet</h1>",
    )
    assert extract(html, "https://dailyplanet.example/news/budget").title == (
        "Council passes budget"
    )


def test_home_link_inside_the_h1_is_not_part_of_the_headline() -> None:
    html = _page(
        body="<h1><span>Council passes the budget</span><a href='/'>Daily Planet Metro</a></h1>"
    )
    title = extract(html, "https://dailyplanet.example/news/budget").title
    assert title == "Council passes the budget"


def test_site_name_segment_of_title_is_not_taken_as_h1() -> None:
    html = _page(
        "<title>Planet Blog - Council passes the budget after a long night</title>",
        "<h1>Planet Blog</h1>",
    )
    title = extract(html, "https://blog.example/budget").title
    assert title == "Planet Blog - Council passes the budget after a long night"


@pytest.mark.parametrize(
    ("title", "site", "host", "expected"),
    [
        ("Why Trump won't change | CNN Politics", "CNN", "cnn.com", "Why Trump won't change"),
        ("Housing market slows | CBC News", "CBC", "cbc.ca", "Housing market slows"),
        ("Rahami Is Arrested (Published 2016)", "NYT", "nytimes.com", "Rahami Is Arrested"),
        ("芸術祭賞が受賞：朝日新聞デジタル", "朝日新聞デジタル", "asahi.com", "芸術祭賞が受賞"),
        (
            "Lust for Youth: Lust for Youth",
            "Pitchfork",
            "pitchfork.com",
            "Lust for Youth: Lust for Youth",
        ),
    ],
)
def test_site_name_suffixes_come_off_declared_titles(
    title: str, site: str, host: str, expected: str
) -> None:
    html = _page(f"<title>{title}</title><meta property='og:site_name' content='{site}'>")
    assert extract(html, f"https://www.{host}/story").title == expected


def test_agency_in_the_byline_is_the_credit_not_an_author() -> None:
    html = _page(body="<div class='byline'>By Jane Roe and The Associated Press</div>")
    article = extract(html, "https://dailyplanet.example/news/budget")
    assert article.authors == ["Jane Roe"]
    assert article.attribution.credit == "The Associated Press"


def test_an_agency_on_its_own_site_credits_nobody() -> None:
    html = _page(
        "<meta name='author' content='Reuters'><meta property='og:site_name' content='Reuters'>"
    )
    article = extract(html, "https://www.reuters.com/world/budget")
    assert article.authors == []
    assert article.attribution.credit is None
