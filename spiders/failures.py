"""Plain-words reasons for failed and skipped requests, grouped so `syndicate runs` can count
them. The vocabulary is documented in docs/operations.md ("Outcomes and reasons")."""

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
    # Scrapy cancels a download only when its body passes DOWNLOAD_MAXSIZE (announced or
    # received): nothing in our settings stops downloads otherwise.
    (DownloadCancelledError, "too large"),
    (UnsupportedURLSchemeError, "unsupported URL scheme"),
    (DownloadFailedError, "download failed"),
    (DNSLookupError, "DNS lookup failed"),
    (ConnectionRefusedError, "connection refused"),
    (TimeoutError, "timed out"),
    (TCPTimedOutError, "timed out"),
    (ConnectionLost, "connection lost"),
    (ResponseFailed, "connection lost"),
)


# Scrapy 2.19 raises a plain IgnoreRequest for these failures too; only its message tells
# them from a skip (tests/e2e/test_fault_site.py fails if a Scrapy upgrade changes one).
_IGNORED_BUT_FAILED = (
    (
        "during decompression",
        "too large",
    ),  # HttpCompressionMiddleware: a bomb past DOWNLOAD_MAXSIZE
    ("max redirections reached", "too many redirects"),  # REDIRECT_MAX_TIMES, meta refresh too
)
_ROBOTS = "Forbidden by robots.txt"  # RobotsTxtMiddleware


class RequestRefused(IgnoreRequest):
    """The network guard refused the request (private address, scheme): a failure, not a skip."""


class RequestSkipped(IgnoreRequest):
    """A request we chose not to make, and why in the skip vocabulary (`already stored`…)."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.reason = reason


def is_skip(failure: Failure) -> bool:
    """A request we chose not to make (already stored, robots.txt, limit): not a failure."""
    error = failure.value
    if not isinstance(error, IgnoreRequest) or isinstance(error, HttpError | RequestRefused):
        return False
    return _ignored_failure(error) is None


def describe_skip(failure: Failure) -> str:
    """`already stored`, `over limit`, `robots.txt`, or `ignored` for any other skip."""
    error = failure.value
    if isinstance(error, RequestSkipped):
        return error.reason
    if str(error) == _ROBOTS:
        return "robots.txt"
    return "ignored"


def describe_failure(failure: Failure) -> str:
    """`HTTP 404`, `timed out`, `too large`…: short, stable, countable."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status}"
    if isinstance(error, RequestRefused):
        return f"refused: {error}"
    if isinstance(error, IgnoreRequest) and (reason := _ignored_failure(error)):
        return reason
    for error_type, known in _REASONS:
        if isinstance(error, error_type):
            return known
    return f"download error: {type(error).__name__}"


def _ignored_failure(error: IgnoreRequest) -> str | None:
    message = str(error)
    return next((reason for marker, reason in _IGNORED_BUT_FAILED if marker in message), None)
