"""Publication dates the page states without a date rule: datelines by the headline, ISO 8601
basic format, `og:article:published_time`, and the local offset a UTC instant hides.

The markup is cut from development-set pages (benchmarks/devset), names and classes kept.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from extractors.datelines import dateline_texts, day_of
from extractors.dates import iso, parse_date
from extractors.extraction import extract
from extractors.parsing import parse_html

FETCHED = datetime(2025, 1, 10, 15, 0, tzinfo=UTC)
_BODY = "<p>" + "The council met on Tuesday and voted on the new budget for the city. " * 8 + "</p>"


def _page(*, head: str = "", before: str = "", after: str = "", title: str = "Budget") -> bytes:
    return (
        f"<html lang='en'><head><title>{title}</title>{head}</head><body>{before}<article>"
        f"<h1>Council passes the budget</h1>{after}{_BODY}</article></body></html>"
    ).encode()


def _published(html: bytes, url: str = "https://news.example/budget") -> str | None:
    return extract(html, url, fetched_at=FETCHED).published_at


def test_iso_basic_format_keeps_its_offset() -> None:
    # Nikkei's JSON-LD: "datePublished": "20180619T055000+0900".
    assert iso(parse_date("20180619T055000+0900")) == "2018-06-19T05:50:00+09:00"
    html = _page(
        head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget",'
        ' "datePublished": "20180619T055000+0900"}</script>'
    )
    assert _published(html) == "2018-06-19T05:50:00+09:00"


def test_og_article_published_time_wins_over_a_later_sailthru_date() -> None:
    # Reuters: sailthru.date is the revision; og:article:published_time the first version.
    html = _page(
        head='<meta name="sailthru.date" content="2016-12-15T13:50:38Z">'
        '<meta property="og:article:published_time" content="2016-12-14T06:02:15Z">'
        '<meta property="og:article:modified_time" content="2016-12-15T13:50:38Z">'
    )
    article = extract(html, "https://news.example/budget", fetched_at=FETCHED)
    assert article.published_at == "2016-12-14T06:02:15+00:00"
    assert article.modified_at == "2016-12-15T13:50:38+00:00"


def test_dateline_in_hashed_markup_after_the_headline_keeps_its_time() -> None:
    # ABC News: the only date on the page, in classes no rule names.
    after = '<div class="rQqmM "><div class="xTlfF  Vxqj ">December 16, 2016, 4:19 PM</div></div>'
    assert _published(_page(after=after)) == "2016-12-16T16:19:00+00:00"


def test_labelled_dateline_beats_a_year_alone() -> None:
    # Pitchfork: <time> holds the album's release year; the review's day is "Reviewed:".
    after = (
        '<time data-testid="SplitScreenContentHeaderReleaseYear">2019</time>'
        '<ul><li><p class="InfoSliceKey">Reviewed:</p><p class="InfoSliceValue">June 7, 2019</p>'
        "</li></ul>"
    )
    assert _published(_page(after=after)) == "2019-06-07T00:00:00+00:00"


def test_nearest_dateline_wins_over_a_list_of_other_news() -> None:
    # Sanwa: the release's day stands just above its <h1>; a news list follows it.
    html = (
        "<html lang='ja'><head><title>指紋認証機能付きマウスを発売。｜サンワサプライ株式会社</title>"
        "</head><body><h1 class='news-release-title'>ニュースリリース</h1>"
        "<dl class='date clfx'><dt>2019.03.08</dt></dl><h1>指紋認証機能付きマウスを発売</h1>"
        + _BODY
        + "".join(f"<dl><dt>2022.08.{day:02d}</dt><dd>新製品</dd></dl>" for day in range(1, 6))
        + "</body></html>"
    ).encode()
    assert _published(html, "https://www.example.co.jp/news/ma-irfp139bk/") == (
        "2019-03-08T00:00:00+09:00"
    )


def test_a_widgets_headline_leaves_the_dateline_at_the_top() -> None:
    # Elecom: the only <h1> is a translation widget's, at the end of the page.
    html = (
        "<html lang='ja'><head><title>[News] 薄型キーボード6モデルを発売</title></head><body>"
        "<table><tr><td><p class='section-last'>2019.03.05</p></td></tr></table>"
        + _BODY
        + "<div class='top'><h1 class='title gray'>Original text</h1></div></body></html>"
    ).encode()
    assert _published(html, "https://www.example.co.jp/news/keyboard/") == (
        "2019-03-05T00:00:00+09:00"
    )


def test_a_sentence_naming_a_date_is_no_dateline() -> None:
    # Golem: the teaser says when Firefox 5 ships; the dateline says when this was written.
    tree = parse_html(
        "<html><head><title>Firefox 5</title></head><body><h1>Firefox 5 kommt im Juni</h1>"
        "<p>Firefox 5 soll am 21. Juni 2011 erscheinen.</p>"
        "<p class='dateline'>OSS / 13.04.2011 / 22:55</p></body></html>"
    )
    assert list(dateline_texts(tree)) == ["OSS / 13.04.2011 / 22:55"]


def test_links_and_copyright_lines_are_no_datelines() -> None:
    tree = parse_html(
        "<html><head><title>Budget</title></head><body><h1>Budget</h1>"
        "<a href='/other'>Older story, March 3, 2019</a><p>© 2019 News, March 3</p>"
        "<span>Updated: Oct 9, 2019, 11:05 IST</span></body></html>"
    )
    assert list(dateline_texts(tree)) == ["Updated: Oct 9, 2019, 11:05 IST"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("OSS / 13.04.2011 / 22:55", date(2011, 4, 13)),
        ("2019.03.08", date(2019, 3, 8)),
        ("This story is from October 9, 2019", date(2019, 10, 9)),
        ("24. März 2004, 19:49 |", date(2004, 3, 24)),
        ("31.02.2019", None),
        ("2031.01.01", None),  # after the latest allowed day
    ],
)
def test_day_of_a_dateline(line: str, expected: date | None) -> None:
    assert day_of(line, date(2026, 1, 1)) == expected


def test_spanish_month_names_go_through_dateparser() -> None:
    after = "<div class='fecha'>lunes, 2 de diciembre de 2024</div>"
    html = _page(after=after).replace(b"lang='en'", b"lang='es'")
    assert _published(html) == "2024-12-02T00:00:00+00:00"


def test_utc_instant_takes_the_offset_its_local_time_reveals() -> None:
    # al.com: the UTC instant is 00:47 on the 23rd; the page was published on the 22nd, 6:47 PM.
    html = _page(
        head="<meta property='article:published_time' content='2016-12-23T00:47:31Z'>"
        "<meta name='sailthru.date' content='Thursday, December 22, 2016, 06:47 PM'>"
    )
    assert _published(html) == "2016-12-22T18:47:31-06:00"


def test_a_wall_clock_time_taken_as_utc_is_not_shifted() -> None:
    # Fast Company: the meta time has no offset (it is local); <time> states the instant in UTC.
    html = _page(
        head="<meta property='article:published_time' content='2017-01-09T05:00:00'>",
        after="<time datetime='2017-01-09T10:00:00Z'>01-09-17</time>",
    )
    assert _published(html) == "2017-01-09T05:00:00+00:00"


def test_a_known_zone_keeps_the_utc_instant_as_declared() -> None:
    html = _page(
        head="<meta property='article:published_time' content='2016-12-23T00:47:31Z'>"
        "<meta name='sailthru.date' content='Thursday, December 22, 2016, 06:47 PM'>"
    )
    assert _published(html, "https://news.example.de/budget") == "2016-12-23T00:47:31+00:00"


@pytest.mark.parametrize("value", ["2019", "June 2019"])
def test_a_year_or_month_is_no_day_even_with_a_fetch_time(value: str) -> None:
    # dateparser would take the missing day (and month) from the fetch time.
    assert parse_date(value, language="en", fetched_at=FETCHED) is None
