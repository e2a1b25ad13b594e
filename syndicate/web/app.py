"""The application factory: one read-only engine, the routers, one-line JSON errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from storage.database import make_engine
from syndicate.web import api, feeds, pages
from syndicate.web.errors import install_handlers
from syndicate.web.head import HeadAsGet


def create_app(database_url: str) -> FastAPI:
    """The server on `database_url`, opened read-only: it never migrates and never writes."""
    engine = make_engine(database_url, read_only=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="syndicate",
        summary="Read-only API, feeds and pages over syndicate's cleaned, attributed articles.",
        version="1",
        lifespan=lifespan,
    )
    app.state.engine = engine
    install_handlers(app)
    app.add_middleware(HeadAsGet)
    for router in (api.router, feeds.router, pages.router):
        app.include_router(router)
    return app
