"""Each request reads in one session of the app's read-only engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.database import session_scope

T = TypeVar("T")


def read(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in one read-only session (one consistent snapshot per request)."""
    engine: Engine = request.app.state.engine
    with session_scope(engine) as session:
        return work(session)
