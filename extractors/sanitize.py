"""HTML safe to render on another site: a structural allow-list enforced by nh3 (Ammonia)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "table", "thead", "tbody", "tr", "th", "td", "b", "strong", "i", "em", "a",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href"}}


def sanitize_html(markup: str) -> str:
    """No scripts, event handlers, styles, iframes or javascript: URLs survive."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
