"""The shared politeness limiter on a real Redis: slots, delay and expiry hold across clients,
and the checks that turn a missing Redis into one plain reason."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import Awaitable, Callable

import pytest
import redis.asyncio

from pipelines.redis_health import redis_problem
from pipelines.redis_limits import HostLimiter
from pipelines.run_status import REDIS_LOST, run_ending

pytestmark = pytest.mark.redis

HOST = "news.example"


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_limiters(
    redis_url: str, count: int, body: Callable[[list[HostLimiter]], Awaitable[None]], **kw: float
) -> None:
    """Run `body` with `count` limiters, each on its own connection (like separate workers),
    sharing a key prefix no other test uses."""
    prefix = f"test:politeness:{uuid.uuid4().hex}:"

    async def main() -> None:
        clients = [redis.asyncio.Redis.from_url(redis_url) for _ in range(count)]
        lease = kw.get("lease_seconds", 30.0)
        try:
            await body([HostLimiter(c, lease_seconds=lease, prefix=prefix) for c in clients])
        finally:
            for key in await clients[0].keys(f"{prefix}*"):
                await clients[0].delete(key)
            for client in clients:
                await client.aclose()

    asyncio.run(main())


def test_at_most_concurrency_slots_are_held_across_clients(redis_url: str) -> None:
    async def body(limiters: list[HostLimiter]) -> None:
        a, b = limiters
        assert await a.try_acquire(HOST, "t1", 2, 0) == 0
        assert await b.try_acquire(HOST, "t2", 2, 0) == 0
        assert await b.try_acquire(HOST, "t3", 2, 0) == -1  # full, whoever asks
        assert await a.try_acquire("other.example", "t4", 2, 0) == 0  # hosts are apart
        await a.release(HOST, "t1")
        assert await b.try_acquire(HOST, "t3", 2, 0) == 0
        assert await a.holders(HOST) == 2

    with_limiters(redis_url, 2, body)


def test_the_delay_spaces_starts_across_clients(redis_url: str) -> None:
    async def body(limiters: list[HostLimiter]) -> None:
        a, b = limiters
        assert await a.try_acquire(HOST, "t1", 5, 0.5) == 0
        wait = await b.try_acquire(HOST, "t2", 5, 0.5)
        assert 300 < wait <= 500  # the other client must wait for the rest of the delay
        started = time.monotonic()
        await b.acquire(HOST, 5, 0.5)
        assert time.monotonic() - started >= (wait - 50) / 1000

    with_limiters(redis_url, 2, body)


def test_a_dead_holders_lease_expires(redis_url: str) -> None:
    async def body(limiters: list[HostLimiter]) -> None:
        (a,) = limiters
        assert await a.try_acquire(HOST, "dead", 1, 0) == 0  # never released: its worker died
        assert await a.try_acquire(HOST, "next", 1, 0) == -1
        await asyncio.sleep(0.35)
        assert await a.try_acquire(HOST, "next", 1, 0) == 0

    with_limiters(redis_url, 1, body, lease_seconds=0.3)


def test_many_waiting_requests_never_exceed_the_limit(redis_url: str) -> None:
    in_flight, peak = 0, 0

    async def request(limiter: HostLimiter) -> None:
        nonlocal in_flight, peak
        token = await limiter.acquire(HOST, 3, 0)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.03)
        in_flight -= 1
        await limiter.release(HOST, token)

    async def body(limiters: list[HostLimiter]) -> None:
        await asyncio.gather(*(request(limiters[n % 4]) for n in range(24)))

    with_limiters(redis_url, 4, body)
    assert peak == 3


def test_redis_problem_names_why_and_none_when_redis_answers(redis_url: str) -> None:
    assert redis_problem(redis_url) is None
    down = redis_problem(f"redis://:secret@127.0.0.1:{unused_port()}/0", timeout=2)
    assert down is not None and "Connection refused" in down and "secret" not in down
    assert redis_problem("http://127.0.0.1/") == (
        "invalid URL: Redis URL must specify one of the following schemes "
        "(redis://, rediss://, unix://)"
    )


def test_a_lost_redis_fails_the_run_with_that_reason() -> None:
    stats = {"downloader/response_count": 10, "syndicate/listings/fetched": 2}
    assert run_ending(REDIS_LOST, stats) == ("failed", "redis: connection lost")
