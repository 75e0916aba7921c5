"""Two plain ASGI wrappers: the request size limit and the audit trail.

The audit wrapper is outermost, so refusals (too large, not signed in) are recorded too.
Handlers name the signed-in user in `request.state.audit_user`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iro_desktop.server.db import Database
from iro_desktop.server.tables import AuditEntry
from iro_desktop.sync.protocol import readable

log = logging.getLogger(__name__)

AUDIT_USER = "audit_user"


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413 and a reason, before any handler runs.

    The body is read here (it is small by definition) so chunked uploads are counted too.
    An oversized body is drained up to a bound, so the client reliably gets the 413 rather
    than a connection reset while it is still sending.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.drain_bytes = max(16 * max_bytes, 32 * 1024 * 1024)

    def _too_large(self, size: int | str) -> str:
        return f"The request body is {size} bytes; the limit is {self.max_bytes} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _send_json(send, 400, "The Content-Length header is not a number.")
                return
            if int(declared) > self.drain_bytes:
                await _send_json(send, 413, self._too_large(int(declared)))
                return
        body = bytearray()
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.max_bytes:
                body += chunk
            elif size > self.drain_bytes:
                break
            more = message.get("more_body", False)
        if size > self.max_bytes:
            shown = size if not more else f"more than {self.drain_bytes}"
            await _send_json(send, 413, self._too_large(shown))
            return

        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class Audit:
    """One audit row per request: who, when, method, path, status, client address."""

    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db

    def _record(self, entry: dict[str, Any]) -> None:
        try:
            with self.db.write() as session:
                session.add(AuditEntry(**entry))
        except Exception:  # the response has gone; a failed audit write must still be seen
            log.exception("Could not write the audit entry %s", entry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})
        recorded = False

        async def record(status: int) -> None:
            nonlocal recorded
            recorded = True
            query = scope.get("query_string", b"").decode("latin-1")
            path = scope["path"] + (f"?{query}" if query else "")
            client = scope.get("client")
            entry = {
                "at": datetime.now(UTC),
                # The name as typed at sign-in: possibly not storable text (see protocol).
                "username": readable(scope["state"].get(AUDIT_USER)),
                "method": scope["method"],
                "path": path[:400],
                "status": status,
                "client_addr": client[0] if client else None,
            }
            await run_in_threadpool(self._record, entry)

        async def watch(message: Message) -> None:
            # Written before the response leaves: no request is answered unaudited.
            if message["type"] == "http.response.start":
                await record(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if not recorded:  # failed before any response started
                await record(500)
