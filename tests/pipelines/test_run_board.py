"""The run board in Redis: workers find running runs, and the owner tells workers that
hold requests from ones that finished or died (against the test Redis)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from pipelines.run_board import RunBoard
from pipelines.run_status import WORKERS_LOST_STAT, run_ending
from spiders.source_spider import LISTINGS_FETCHED

pytestmark = pytest.mark.redis


@pytest.fixture
def board(redis_url: str) -> Iterator[RunBoard]:
    server = redis.Redis.from_url(redis_url)
    prefix = f"test:{uuid.uuid4().hex}:"
    yield RunBoard(server, prefix, ttl_seconds=1)
    for key in server.scan_iter(match=f"{prefix}*"):
        server.delete(key)
    server.close()


def test_workers_find_published_runs_until_they_are_withdrawn(board: RunBoard) -> None:
    board.publish("a", 7)
    board.publish("b", 9)
    board.hold("a", 7, "w1", "host 1")  # a run's own keys are not runs
    assert board.active() == {"a": 7, "b": 9}
    assert board.active(["b", "c"]) == {"b": 9}
    board.withdraw("a", 6)  # an older run of the source: the running one stays
    assert board.current("a") == 7
    board.withdraw("a", 7)
    assert board.active() == {"b": 9}


def test_a_run_key_the_owner_stops_refreshing_expires(board: RunBoard) -> None:
    board.publish("a", 7)
    time.sleep(1.2)
    assert board.current("a") is None


def test_a_worker_holds_only_while_its_run_is_the_running_one(board: RunBoard) -> None:
    assert not board.hold("a", 7, "w1", "host 1")  # not published (yet, or any more)
    board.publish("a", 8)
    assert not board.hold("a", 7, "w1", "host 1")  # run 7 ended, 8 runs: its queue is 8's
    assert board.hold("a", 8, "w1", "host 1")
    assert board.holders("a", 7).alive == [] and board.holders("a", 8).alive == ["host 1"]


def test_runs_with_owner_only_options_are_marked_solo_and_junk_is_not_a_run(
    board: RunBoard,
) -> None:
    board.publish("a", 7)
    board.keep_solo("a", 7, "--limit")
    assert board.solo("a", 7) == "--limit" and board.solo("a", 8) is None
    board.server.set(f"{board.prefix}junk", "not a number")
    assert board.active() == {"a": 7}
    board.withdraw("a", 7)
    assert board.solo("a", 7) is None


def test_holders_alive_released_and_dead(board: RunBoard) -> None:
    board.publish("a", 7)
    assert board.hold("a", 7, "w1", "host 1")
    assert board.hold("a", 7, "w2", "host 2")
    assert sorted(board.holders("a", 7).alive) == ["host 1", "host 2"]
    board.release("a", 7, "w1")
    time.sleep(0.6)
    board.still_alive("a", 7, "w2")
    board.publish("a", 7)
    assert board.holders("a", 7).alive == ["host 2"]
    time.sleep(1.2)  # w2 stops refreshing: it died holding requests
    holders = board.holders("a", 7)
    assert (holders.alive, holders.dead) == ([], ["host 2"])
    assert board.holders("a", 7).dead == []  # reported once


def test_a_run_a_worker_died_in_is_failed_and_others_pages_count_as_fetched() -> None:
    lost = {LISTINGS_FETCHED: 1, WORKERS_LOST_STAT: ["host 2"]}
    status, reason = run_ending("finished", lost)
    assert status == "failed"
    assert reason == "worker host 2 died holding requests: the next run fetches what it held"
    # The owner fetched nothing itself (workers popped every listing): the run still ran.
    assert run_ending("finished", {}, others=40) == ("finished", None)
    assert run_ending("finished", {})[0] == "failed"
