"""Every refusal is a 4xx with one line of JSON, `{"error": "..."}`, whatever raised it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

_MEANINGS = {
    304: "Not Modified: the copy named by If-None-Match or If-Modified-Since is current",
    400: "A parameter is invalid: `error` says which and why",
    404: "No such article, source or feed",
}


class WebError(Exception):
    """A request the server refuses: `status` and the one-line reason a client reads."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ErrorBody(BaseModel):
    """The body of every refusal, one line for a person to read."""

    error: str


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` a route answers besides 200, so clients (and schemathesis)
    know them: 304 without a body, refusals with `ErrorBody`."""
    return {
        status: {"description": _MEANINGS[status]} | ({} if status == 304 else {"model": ErrorBody})
        for status in statuses
    }


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Map our refusals, routing errors (404, 405) and parameter errors (422 -> 400)."""

    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, WebError)
        return error_response(exc.status, exc.message)

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        message = "method not allowed: only GET and HEAD" if exc.status_code == 405 else exc.detail
        return error_response(exc.status_code, str(message), dict(exc.headers or {}))

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(400, validation_message(exc))

    app.add_exception_handler(WebError, refused)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)


def validation_message(exc: RequestValidationError) -> str:
    """FastAPI's first validation error as "name: what is wrong" (one line)."""
    errors = exc.errors()
    if not errors:
        return "bad request"
    first = errors[0]
    name = str(first.get("loc", ("?",))[-1])
    return f"{name}: {first.get('msg', 'invalid')}".splitlines()[0]
