"""How the server answers requests it cannot use: a 4xx with the reason, never an echo.

FastAPI's own 422 repeats every submitted value it could not use ("input"), so a password
of the wrong type or length would come back in the response (and in any log of responses).
The reason is enough; the values are left out. A request nested too deeply for the JSON
reader is a 400 for that request, not a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

NESTED_TOO_DEEPLY = "The request's JSON is nested too deeply to read."


def without_values(errors: Any) -> list[dict[str, Any]]:
    """Validation errors as FastAPI reports them, minus the submitted values."""
    cleaned = []
    for error in errors:
        entry = {key: value for key, value in dict(error).items() if key not in ("input", "ctx")}
        cleaned.append(entry)
    return cleaned


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = jsonable_encoder(without_values(exc.errors()))
    return JSONResponse(status_code=422, content={"detail": detail})


async def _too_deep(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=400, content={"detail": NESTED_TOO_DEEPLY})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(RecursionError, _too_deep)
