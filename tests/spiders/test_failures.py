"""Failed requests get the short, countable reasons `syndicate runs` groups by, for Scrapy
2.19's own download exceptions as for Twisted's."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from spiders.failures import RequestSkipped, describe_failure, describe_skip, is_skip


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (CannotResolveHostError("news.example"), "DNS lookup failed"),
        (DNSLookupError("news.example"), "DNS lookup failed"),
        (DownloadConnectionRefusedError(), "connection refused"),
        (ConnectionRefusedError(), "connection refused"),  # type: ignore[no-untyped-call]  # twisted
        (DownloadTimeoutError("took longer than 30 s"), "timed out"),
        (TimeoutError(), "timed out"),  # type: ignore[no-untyped-call]  # twisted
        (ResponseDataLossError("body cut short"), "connection lost"),
        (DownloadCancelledError("Received 33617966 bytes which is larger than"), "too large"),
        # Scrapy 2.19's own words for a Content-Encoding bomb and an over-long redirect chain:
        # plain IgnoreRequests, yet failures, not skips.
        (
            IgnoreRequest(
                "Ignored response <200 https://news.example/a> because its body (1061908 B "
                "compressed, 33619968 B decompressed so far) exceeded DOWNLOAD_MAXSIZE "
                "(33554432 B) during decompression."
            ),
            "too large",
        ),
        (IgnoreRequest("max redirections reached"), "too many redirects"),
        (ValueError("odd"), "download error: ValueError"),
    ],
)
def test_each_download_error_has_its_reason(error: Exception, reason: str) -> None:
    failure = Failure(error)  # type: ignore[no-untyped-call]  # twisted's constructor is untyped
    failure.request = Request("https://news.example/a")  # type: ignore[attr-defined]  # as Scrapy sets it
    assert not is_skip(failure)
    assert describe_failure(failure) == reason


def test_a_deliberate_skip_is_not_a_failure() -> None:
    skipped = Failure(IgnoreRequest("already stored"))  # type: ignore[no-untyped-call]  # twisted
    assert is_skip(skipped)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (RequestSkipped("already stored", "https://news.example/a"), "already stored"),
        (RequestSkipped("over limit", "https://news.example/a"), "over limit"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots.txt"),  # Scrapy's RobotsTxtMiddleware
        (IgnoreRequest("some other middleware's reason"), "ignored"),
    ],
)
def test_each_skip_has_its_reason(error: IgnoreRequest, reason: str) -> None:
    skipped = Failure(error)  # type: ignore[no-untyped-call]  # twisted
    assert is_skip(skipped)
    assert describe_skip(skipped) == reason
