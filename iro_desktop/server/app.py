"""The HTTP interface of the sync server (FastAPI). Thin: each route reads its input, checks
who is calling, and hands over to push / pull / views, which do the work."""

import json
import time
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from iro_desktop import __version__
from iro_desktop.domain.report_facts import FIRST_REPORT_YEAR, LAST_REPORT_YEAR
from iro_desktop.server.auth import AuthError, Caller, caller_for_token, sign_in, sign_out
from iro_desktop.server.config import ServerConfig
from iro_desktop.server.db import Database
from iro_desktop.server.errors import NESTED_TOO_DEEPLY
from iro_desktop.server.errors import install as install_error_replies
from iro_desktop.server.middleware import AUDIT_USER, Audit, BodyLimit
from iro_desktop.server.pull import pull
from iro_desktop.server.push import push
from iro_desktop.server.ratelimit import SignInLimiter
from iro_desktop.server.service_report import UnknownTeam, annual_report, csv_text
from iro_desktop.server.views import escalations, signoff_inbox
from iro_desktop.sync.protocol import (
    ITEM_KINDS,
    MAX_BATCH_ITEMS,
    MAX_PULL_ITEMS,
    MAX_WHOLE_NUMBER,
    PROTOCOL_VERSION,
    ProtocolError,
    decode_batch,
    pull_response_to_wire,
    push_response_to_wire,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def london_today() -> date:
    """Deadlines are English working days, so 'today' is the date in England."""
    try:
        return datetime.now(ZoneInfo("Europe/London")).date()
    except ZoneInfoNotFoundError:
        return utc_now().date()


class TokenRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    username: str
    role: str


_PUSH_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["protocol", "client_id", "items"],
                "properties": {
                    "protocol": {"type": "integer", "enum": [PROTOCOL_VERSION]},
                    "client_id": {"type": "string", "maxLength": 64},
                    "items": {
                        "type": "array",
                        "maxItems": MAX_BATCH_ITEMS,
                        "items": {
                            "type": "object",
                            "required": ["kind", "id"],
                            "properties": {
                                "kind": {"type": "string", "enum": list(ITEM_KINDS)},
                                "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                            },
                        },
                    },
                },
            }
        }
    },
}


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not allowed in JSON")


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise HTTPException(400, f"Malformed JSON: {error}") from None
    except RecursionError:
        raise HTTPException(400, NESTED_TOO_DEEPLY) from None


_bearer = HTTPBearer(auto_error=False, description="Token from POST /v1/auth/token")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_caller(request: Request, credentials: BearerDep) -> Caller:
    """The signed-in user, from the bearer token; 401 with the reason otherwise."""
    if credentials is None:
        raise HTTPException(401, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    database: Database = request.app.state.database
    try:
        with database.read() as session:
            caller = caller_for_token(session, credentials.credentials, now=utc_now())
    except AuthError as error:
        challenge = f'Bearer error="invalid_token", error_description="{error}"'
        raise HTTPException(401, str(error), {"WWW-Authenticate": challenge}) from None
    setattr(request.state, AUDIT_USER, caller.name)
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def create_app(config: ServerConfig, db: Database | None = None) -> FastAPI:
    database = db or Database(config.database_url)
    database.create_schema()
    app = FastAPI(
        title="IRO Desktop sync server",
        version=__version__,
        description="Escalation events and sign-off items between IRO laptops and managers.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = database
    install_error_replies(app)
    limiter = SignInLimiter()

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        try:
            with database.read() as session:
                session.execute(text("SELECT 1"))
        except Exception as error:
            raise HTTPException(503, f"database unavailable: {type(error).__name__}") from None
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "version": __version__}

    @app.post("/v1/auth/token")
    def token(body: TokenRequest, request: Request) -> TokenResponse:
        setattr(request.state, AUDIT_USER, body.username)
        address = request.client.host if request.client else None
        refusal = limiter.check(body.username, address, time.monotonic())
        if refusal is not None:
            raise HTTPException(429, refusal.message, {"Retry-After": str(refusal.retry_after)})
        try:
            with database.write() as session:
                issued, expires_at, caller = sign_in(
                    session,
                    body.username,
                    body.password,
                    now=utc_now(),
                    lifetime=config.token_lifetime,
                )
        except AuthError as error:
            limiter.failed(body.username, address, time.monotonic())
            raise HTTPException(401, str(error), {"WWW-Authenticate": "Bearer"}) from None
        limiter.succeeded(body.username)
        return TokenResponse(
            access_token=issued, expires_at=expires_at, username=caller.name, role=caller.role
        )

    @app.delete("/v1/auth/token", status_code=204)
    def revoke(caller: CallerDep, credentials: BearerDep) -> None:
        assert credentials is not None  # get_caller has checked it
        with database.write() as session:
            sign_out(session, credentials.credentials)

    @app.get("/v1/me")
    def me(caller: CallerDep) -> dict[str, Any]:
        return {
            "username": caller.name,
            "role": caller.role,
            "team": caller.team,
            "manager": caller.manager_name,
        }

    @app.post("/v1/push", openapi_extra={"requestBody": _PUSH_BODY})
    async def push_items(request: Request, caller: CallerDep) -> dict[str, Any]:
        data = _parse_json(await request.body())
        try:
            batch = decode_batch(data)
        except ProtocolError as error:
            raise HTTPException(422, error.reason) from None
        response = await run_in_threadpool(push, database, config, caller, batch, utc_now())
        return push_response_to_wire(response)

    @app.get("/v1/pull")
    def pull_items(
        caller: CallerDep,
        since: Annotated[
            int, Query(ge=0, le=MAX_WHOLE_NUMBER, description="Cursor from the last pull")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_ITEMS)] = config.pull_limit,
    ) -> dict[str, Any]:
        return pull_response_to_wire(pull(database, caller, since, limit))

    @app.get("/v1/escalations")
    def list_escalations(
        caller: CallerDep,
        status: Literal["open", "all"] = "open",
        include_events: bool = False,
    ) -> dict[str, Any]:
        listed = escalations(
            database,
            config,
            caller,
            today=london_today(),
            only_open=status == "open",
            include_events=include_events,
        )
        return {"protocol": config.protocol.name, "escalations": listed}

    @app.get("/v1/signoff/inbox")
    def inbox(caller: CallerDep) -> dict[str, Any]:
        if caller.role not in ("manager", "admin"):
            raise HTTPException(403, "Only managers and admins have a sign-off inbox.")
        return {"submissions": signoff_inbox(database, caller)}

    @app.get("/v1/reports/annual", response_model=None)
    def service_annual_report(
        caller: CallerDep,
        year: Annotated[
            int,
            Query(
                ge=FIRST_REPORT_YEAR, le=LAST_REPORT_YEAR, description="The year ending 31 March"
            ),
        ],
        team: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        format: Literal["json", "csv"] = "json",  # noqa: A002 (the query parameter's name)
    ) -> dict[str, Any] | Response:
        """The service's annual report from the laptops' name-free facts (managers only).
        PDF is drawn from this JSON on the laptop (iro_desktop.pdf.service_report_pdf)."""
        if caller.role not in ("manager", "admin"):
            raise HTTPException(403, "Only managers and admins can see the service's report.")
        try:
            report = annual_report(database, config, year=year, team=team, today=london_today())
        except UnknownTeam as error:
            raise HTTPException(404, str(error)) from None
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
        if format == "csv":
            return Response(csv_text(report), media_type="text/csv; charset=utf-8")
        return report.to_json()

    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(Audit, db=database)
    return app
