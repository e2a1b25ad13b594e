"""Several processes add to one run (the owner and its workers): each adds what it counted
since its last write, from threads at once, and the row ends with the sum."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Engine

from storage.database import session_scope
from storage.runs import add_to_run, end_run, get_run, start_run
from tests.support.sources import T0


def test_shares_added_at_once_from_many_threads_sum_up(engine: Engine) -> None:
    with session_scope(engine) as session:
        run_id = start_run(session, "elcomercio", T0)

    def share(n: int) -> int:
        with session_scope(engine) as session:
            return add_to_run(
                session,
                run_id,
                now=T0 + timedelta(seconds=n),
                counts={"pages": 3, "new": 2, "failed": 1},
                failures={"HTTP 500": 1, f"only worker {n % 2}": 1},
                discovered=5,
            )

    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(share, range(12)))
    with session_scope(engine) as session:
        end_run(
            session, run_id, finished_at=T0 + timedelta(minutes=1), status="finished", reason=None
        )
    with session_scope(engine) as session:
        run = get_run(session, run_id)
    assert run is not None
    assert (run.counts["pages"], run.counts["new"], run.counts["failed"]) == (36, 24, 12)
    assert run.failures == {"HTTP 500": 12, "only worker 0": 6, "only worker 1": 6}
    assert run.discovered == 60
    assert sorted(seen) == list(range(3, 37, 3))  # each add saw every earlier one
    assert (run.status, run.finished_at) == ("finished", T0 + timedelta(minutes=1))


def test_an_empty_share_changes_nothing_but_the_heartbeat(engine: Engine) -> None:
    with session_scope(engine) as session:
        run_id = start_run(session, "elcomercio", T0)
        add_to_run(session, run_id, now=T0 + timedelta(seconds=9), counts={}, failures={})
    with session_scope(engine) as session:
        run = get_run(session, run_id)
    assert run is not None
    assert run.counts["pages"] == 0 and run.failures == {} and run.discovered is None
    assert run.heartbeat_at == T0 + timedelta(seconds=9)
