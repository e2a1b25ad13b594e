"""Plain-words reasons for failed requests, grouped so `syndicate runs` can count them."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

# Scrapy 2.19 raises its own download exceptions (first rows); Twisted's remain for the rest.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (CannotResolveHostError, "DNS lookup failed"),
    (DownloadConnectionRefusedError, "connection refused"),
    (DownloadTimeoutError, "timed out"),
    (ResponseDataLossError, "connection lost"),
    (DownloadCancelledError, "download cancelled"),
    (UnsupportedURLSchemeError, "unsupported URL scheme"),
    (DownloadFailedError, "download failed"),
    (DNSLookupError, "DNS lookup failed"),
    (ConnectionRefusedError, "connection refused"),
    (TimeoutError, "timed out"),
    (TCPTimedOutError, "timed out"),
    (ConnectionLost, "connection lost"),
    (ResponseFailed, "connection lost"),
)


class RequestRefused(IgnoreRequest):
    """The network guard refused the request (private address, scheme): a failure, not a skip."""


def is_skip(failure: Failure) -> bool:
    """A request we chose not to make (already stored, robots.txt, limit): not a failure."""
    error = failure.value
    return isinstance(error, IgnoreRequest) and not isinstance(error, HttpError | RequestRefused)


def describe_failure(failure: Failure) -> str:
    """`HTTP 404`, `timed out`, `connection refused`…: short, stable, countable."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status}"
    if isinstance(error, RequestRefused):
        return f"refused: {error}"
    for error_type, reason in _REASONS:
        if isinstance(error, error_type):
            return reason
    return f"download error: {type(error).__name__}"
