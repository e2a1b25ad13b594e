"""Failed requests get the short, countable reasons `syndicate runs` groups by, for Scrapy
2.19's own download exceptions as for Twisted's."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from spiders.failures import describe_failure, is_skip


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
