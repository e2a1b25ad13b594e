"""A heading keeps its words when its only link is a textless permalink anchor."""

from __future__ import annotations

from extractors.extraction import extract

URL = "https://blog.example.com/2024/03/interview-erin.html"

PARAGRAPH = (
    "<p>She grew up in rural Georgia, taught herself to program from library books, and has "
    "worked on flight software for six years, most of it on the systems that land the "
    "boosters back on the drone ships.</p>"
)

INTERVIEW = f"""<html><head><title>Interview: Erin, software engineer</title></head><body>
<header><nav><a href="/">Blog</a> <a href="/community">Community</a></nav></header>
<main><article><h1>Interview: Erin, software engineer</h1>
<div class="post-content markdown-body">
{PARAGRAPH}
<h2 id="start"><b>How did you get started? </b><a href="#start" class="heading-link"
 aria-label="How did you get started?"></a></h2>
{PARAGRAPH.replace("She grew up", "I started")}
<h2 id="next"><b>What are you looking forward to next? </b><a href="#next"
 class="heading-link"><svg viewBox="0 0 16 16"><path d="M4 9h1v1H4"></path></svg></a></h2>
{PARAGRAPH.replace("She grew up", "Next I will be")}
</div></article></main><footer>© Example blog</footer></body></html>"""


def test_headings_with_textless_anchor_links_stay_in_the_text() -> None:
    article = extract(INTERVIEW, URL)
    assert "How did you get started?" in article.text
    assert "What are you looking forward to next?" in article.text
    assert "Next I will be" in article.text
