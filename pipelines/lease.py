"""This process as a lease holder, and whether another holder's process is gone.

Only a holder on the same host can be checked (a signal 0 to its pid); a holder on another
host is trusted until its lease expires.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from storage.leases import Holder

# How long a lease lasts without a heartbeat, and how often a live crawl renews it.
DEFAULT_LEASE_SECONDS = 60
DEFAULT_HEARTBEAT_SECONDS = 10


def this_holder() -> Holder:
    """This process, with a fresh token (two crawls in one process hold different leases)."""
    return Holder(host=socket.gethostname(), pid=os.getpid(), token=uuid.uuid4().hex)


def process_gone(host: str, pid: int) -> bool:
    """True only when `pid` is known to be dead: it is on this host and no such process exists."""
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by another user
        return False
    return False


def lease_ttl(seconds: float | None = None) -> timedelta:
    return timedelta(seconds=seconds or DEFAULT_LEASE_SECONDS)
