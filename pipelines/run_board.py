"""Who works on which run, kept in the shared Redis beside the run's request queue.

Workers (`syndicate worker`) find the runs to join here, and the crawl that owns a run asks
here whether a worker still holds requests of it before it calls the run finished:

- `{prefix}{source}` holds the id of the source's running run. The owner publishes it when
  the run starts, refreshes it while the run lives, and withdraws it when the run ends; it
  expires if the owner dies, so workers leave a run nobody owns.
- `{prefix}{source}:{run}:holding` is a hash of the workers holding requests of the run
  (token -> "host pid"). A worker enters it BEFORE it pops a request and leaves it only
  when it is idle with its counts written, so an owner that sees an empty queue and no
  holder knows every popped request is done and counted.
- `{prefix}{source}:{run}:alive:{token}` expires unless the worker refreshes it: a holder
  without it died (kill -9, power loss) with requests in hand.
- `{prefix}{source}:{run}:solo` says why workers must not join (a run started with `--limit`
  or `--refresh`, whose options only its owner applies).

Entering the holders and reading them are Lua scripts: a worker enters only while its run is
still the source's running run (the queue is per source, so a worker of an ended run must
not take the next run's requests), and a holder is dead only if it holds and has no
liveness key at one instant (a worker releasing at that moment is not taken for dead).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import redis

DEFAULT_PREFIX = "syndicate:run:"
PREFIX_SETTING = "SYNDICATE_RUN_PREFIX"
TTL_SETTING = "SYNDICATE_RUN_TTL_SECONDS"
DEFAULT_TTL_SECONDS = 60.0

# KEYS: run key, holding hash, alive key. ARGV: run id, token, who, ttl ms. 1 = holding now.
_HOLD_IF_CURRENT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SET', KEYS[3], '1', 'PX', tonumber(ARGV[4]))
return 1
"""
# KEYS: holding hash. ARGV: alive key prefix. Returns {alive who..., '', dead who...}.
_HOLDERS = """
local held = redis.call('HGETALL', KEYS[1])
local alive, dead = {}, {}
for i = 1, #held, 2 do
  if redis.call('EXISTS', ARGV[1] .. held[i]) == 1 then
    table.insert(alive, held[i + 1])
  else
    table.insert(dead, held[i + 1])
    redis.call('HDEL', KEYS[1], held[i])
  end
end
local out = alive
table.insert(out, '')
for _, who in ipairs(dead) do table.insert(out, who) end
return out
"""


@dataclass(frozen=True, slots=True)
class Holders:
    """The workers holding requests of a run: alive ones, and ones that died holding them."""

    alive: list[str]
    dead: list[str]


class RunBoard:
    """Reads and writes the run keys above; every call is one round trip (or a pipeline)."""

    def __init__(self, server: redis.Redis, prefix: str, ttl_seconds: float) -> None:
        self.server = server
        self.prefix = prefix
        self.ttl_ms = max(1000, int(ttl_seconds * 1000))

    def _run_key(self, source: str) -> str:
        return f"{self.prefix}{source}"

    def _holding_key(self, source: str, run_id: int) -> str:
        return f"{self.prefix}{source}:{run_id}:holding"

    def _alive_key(self, source: str, run_id: int, token: str) -> str:
        return f"{self.prefix}{source}:{run_id}:alive:{token}"

    def publish(self, source: str, run_id: int) -> None:
        """The owner says (and keeps saying) that `run_id` is the source's running run."""
        self.server.set(self._run_key(source), str(run_id), px=self.ttl_ms)

    def withdraw(self, source: str, run_id: int) -> None:
        """The run is over: workers leave it. Only this run's key is removed."""
        key = self._run_key(source)
        if self.current(source) == run_id:
            self.server.delete(key)
        self.server.delete(
            self._holding_key(source, run_id), f"{self.prefix}{source}:{run_id}:solo"
        )

    def current(self, source: str) -> int | None:
        value = self.server.get(self._run_key(source))
        return int(value) if value is not None else None

    def active(self, sources: Iterable[str] | None = None) -> dict[str, int]:
        """Source -> running run id, for `sources` or (None) every source with a run."""
        if sources is not None:
            keys = list(sources)
            values = self.server.mget([self._run_key(key) for key in keys]) if keys else []
            return {
                key: int(v)
                for key, v in zip(keys, values, strict=True)
                if v is not None and v.isdigit()
            }
        found: dict[str, int] = {}
        for raw in self.server.scan_iter(match=f"{self.prefix}*", count=500):
            name = (raw.decode() if isinstance(raw, bytes) else str(raw))[len(self.prefix) :]
            if ":" in name:  # a run's holding or alive key, not a run
                continue
            value = self.server.get(raw)
            if value is not None and value.isdigit():  # anything else is not ours
                found[name] = int(value)
        return found

    def hold(self, source: str, run_id: int, token: str, who: str) -> bool:
        """This worker is about to pop requests of the run: it holds some until `release`.
        False (and nothing held) when the run is no longer the source's running run."""
        keys = [
            self._run_key(source),
            self._holding_key(source, run_id),
            self._alive_key(source, run_id, token),
        ]
        taken = self.server.eval(_HOLD_IF_CURRENT, 3, *keys, str(run_id), token, who, self.ttl_ms)
        return bool(int(taken))

    def still_alive(self, source: str, run_id: int, token: str) -> None:
        self.server.set(self._alive_key(source, run_id, token), "1", px=self.ttl_ms)

    def release(self, source: str, run_id: int, token: str) -> None:
        """The worker is idle and its counts are written: it holds nothing of the run."""
        pipe = self.server.pipeline()
        pipe.hdel(self._holding_key(source, run_id), token)
        pipe.delete(self._alive_key(source, run_id, token))
        pipe.execute()

    def holders(self, source: str, run_id: int) -> Holders:
        """Who holds requests of the run now; the dead are taken off the list as they are found."""
        alive_prefix = self._alive_key(source, run_id, "")
        found = self.server.eval(_HOLDERS, 1, self._holding_key(source, run_id), alive_prefix)
        names = [raw.decode() if isinstance(raw, bytes) else str(raw) for raw in found]
        cut = names.index("")
        return Holders(alive=names[:cut], dead=names[cut + 1 :])

    def keep_solo(self, source: str, run_id: int, why: str) -> None:
        """Workers must not join this run (`why`: the owner's options they cannot apply)."""
        self.server.set(f"{self.prefix}{source}:{run_id}:solo", why, px=self.ttl_ms * 10)

    def solo(self, source: str, run_id: int) -> str | None:
        """Why workers must not join the run, or None when they may."""
        value = self.server.get(f"{self.prefix}{source}:{run_id}:solo")
        return value.decode() if isinstance(value, bytes) else value
