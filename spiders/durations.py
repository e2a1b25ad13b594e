"""Durations as source files and settings write them: "45s", "30m", "2h", "1d"."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(\d+)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str) -> int:
    """Seconds in `value`; ValueError naming the value when it is not like "30m"."""
    found = _DURATION.match(value.strip())
    if found is None or int(found.group(1)) == 0:
        raise ValueError(f"{value!r} is not a duration like '45s', '30m', '2h' or '1d'")
    return int(found.group(1)) * _SECONDS[found.group(2)]
