"""Is the shared Redis usable? One plain-words answer, for a check before a crawl starts and for
the components that lose it mid-crawl.

A crawl that cannot reach its Redis must say so in one line and record no run, instead of
Scrapy's tracebacks: `syndicate crawl` asks `redis_problem` before it starts anything.
"""

from __future__ import annotations

import redis
import redis.exceptions

# How long the check before a crawl waits for Redis to answer: an unreachable host must not
# hold a crawl (or a systemd unit) for scrapy-redis's default 30 s.
CHECK_TIMEOUT_SECONDS = 5.0
# The errors that mean "Redis is gone or refuses us", as opposed to a bug in a command.
CONNECTION_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.AuthenticationError,
    redis.exceptions.BusyLoadingError,
    OSError,
)
# What a PING may also meet: a server that answers with an error (NOAUTH, a wrong password…).
CHECK_ERRORS: tuple[type[Exception], ...] = (*CONNECTION_ERRORS, redis.exceptions.ResponseError)


def redis_problem(url: str, timeout: float = CHECK_TIMEOUT_SECONDS) -> str | None:
    """Why Redis at `url` cannot be used (a PING fails), or None when it answers."""
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=None
        )
    except ValueError as error:  # not a redis:// URL
        return f"invalid URL: {error}"
    try:
        client.ping()
    except CHECK_ERRORS as error:
        return reason_of(error)
    finally:
        client.close()
    return None


def reason_of(error: BaseException) -> str:
    """The error's first line, which names the host and what went wrong (never a password:
    redis-py reports host and port only)."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
