"""The request pipeline of the real server, as an ASGI application:

faults -> CORS -> body parsing -> unmatched route 404 -> sanitising -> rate limit -> guards ->
validation -> handler -> one global error filter. Only `/__sandbox__/*` is outside it."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import logging
from typing import Any
from urllib.parse import parse_qs, parse_qsl

import anyio.to_thread

from viva_desktop.sandbox import control, docs
from viva_desktop.sandbox.errors import (
    INTERNAL_ERROR,
    TooManyRequests,
    error_body,
    reason_phrase,
    status_and_message,
)
from viva_desktop.sandbox.guards import run_guards
from viva_desktop.sandbox.headers import (
    cors_headers,
    helmet_headers,
    origin_allowed,
    preflight_headers,
)
from viva_desktop.sandbox.jsonutil import dumps
from viva_desktop.sandbox.ratelimit import rate_limit_headers, throttles_for
from viva_desktop.sandbox.routing import EMPTY, JSON_TYPE, Ctx, Reply, Route
from viva_desktop.sandbox.sanitizer import sanitize
from viva_desktop.sandbox.state import AppState
from viva_desktop.sandbox.validation import validate

log = logging.getLogger("viva_desktop.sandbox")

BODY_LIMIT = 100 * 1024
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
Headers = list[tuple[str, str]]


def _page_size_over(query: str, maximum: int | None) -> str | None:
    """The 400 message of the `max_page_size` fault for this query string, or None."""
    if maximum is None:
        return None
    for name, value in parse_qsl(query):
        if name in ("limit", "take") and value.isdigit() and int(value) > maximum:
            return f"{name} must not be greater than {maximum}"
    return None


class _Request:
    """The parts of an ASGI request the pipeline reads."""

    def __init__(self, scope: dict[str, Any], receive) -> None:
        self.scope = scope
        self.receive = receive
        self.method: str = scope["method"].upper()
        raw_path = scope.get("raw_path") or scope["path"].encode()
        self.path: str = raw_path.decode("latin-1").split("?", 1)[0] or "/"
        self.query_string: str = scope.get("query_string", b"").decode("latin-1")
        self.url = self.path + (f"?{self.query_string}" if self.query_string else "")
        self.headers: dict[str, str] = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        client = scope.get("client")
        self.ip: str = client[0] if client else "127.0.0.1"

    async def body(self) -> bytes | None:
        """The raw body, or None when it exceeds the 100 KB limit of the real server."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > BODY_LIMIT:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def query(self) -> dict[str, Any]:
        parsed = parse_qs(self.query_string, keep_blank_values=True)
        return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


COMPRESS_THRESHOLD = 1024
"""Bytes from which the real server's `compression` middleware gzips an answer (its default)."""
_COMPRESSIBLE = ("application/json", "text/")


def _gzip_wanted(request: _Request, status: int, payload: bytes, content_type: str | None) -> bool:
    """Whether Express' `compression` would gzip this answer: a body of 1 KB or more of a
    compressible type, to a client that accepts gzip; never for HEAD, 204 or 304."""
    return (
        request.method != "HEAD"
        and status not in (204, 304)
        and len(payload) >= COMPRESS_THRESHOLD
        and content_type is not None
        and content_type.startswith(_COMPRESSIBLE)
        and "gzip" in request.headers.get("accept-encoding", "").lower()
    )


def _etag(body: bytes) -> str:
    digest = base64.b64encode(hashlib.sha1(body, usedforsecurity=False).digest()).decode()[:27]
    return f'W/"{len(body):x}-{digest}"'


class SandboxApp:
    """ASGI callable; all state lives in `AppState`."""

    def __init__(self, state: AppState) -> None:
        self.state = state

    # ------------------------------------------------------------------ sending

    async def _send(
        self,
        send,
        request: _Request,
        status: int,
        body: bytes | None,
        headers: Headers,
        content_type: str | None = JSON_TYPE,
    ) -> None:
        out = list(headers)
        if body is not None and content_type is not None:
            out.append(("Content-Type", content_type))
        payload = body if body is not None else b""
        if body and request.method in ("GET", "HEAD") and 200 <= status < 300:
            tag = _etag(payload)
            out.append(("ETag", tag))
            if request.headers.get("if-none-match") == tag:
                status, payload = 304, b""
        if body is not None and content_type is not None and content_type.startswith(_COMPRESSIBLE):
            out.append(("Vary", "Accept-Encoding"))
        if _gzip_wanted(request, status, payload, content_type if body is not None else None):
            payload = gzip.compress(payload, compresslevel=6, mtime=0)
            out.append(("Content-Encoding", "gzip"))
        out.append(("Content-Length", str(len(payload))))
        out.append(("Connection", "keep-alive"))
        out.append(("Keep-Alive", "timeout=5"))
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in out],
            }
        )
        await send(
            {"type": "http.response.body", "body": b"" if request.method == "HEAD" else payload}
        )

    def _common_headers(self, request: _Request) -> Headers:
        return helmet_headers(self.state.config.production) + cors_headers(
            request.headers.get("origin")
        )

    async def _send_error(
        self,
        send,
        request: _Request,
        status: int,
        message: str,
        *,
        extra: Headers = (),
        exc: BaseException | None = None,
        security_headers: bool = True,
        development: bool | None = None,
    ) -> None:
        body = error_body(
            status=status,
            message=message,
            path=request.url,
            method=request.method,
            development=self.state.development if development is None else development,
            exc=exc,
        )
        headers = self._common_headers(request) if security_headers else []
        await self._send(send, request, status, dumps(body), headers + list(extra))

    async def _drop(self, send) -> None:
        """Close the connection without any response (the `drop_rate` fault)."""
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if transport is None:
            raise ConnectionAbortedError("sandbox fault: dropped connection")
        transport.close()
        for _ in range(5):  # let the server notice the disconnect before we return
            await asyncio.sleep(0)

    # ------------------------------------------------------------------ pipeline

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = _Request(scope, receive)
        try:
            await self._handle(request, send)
        except (ConnectionAbortedError, anyio.get_cancelled_exc_class()):
            raise
        except Exception as exc:  # a bug in the sandbox itself: still answer like the server
            log.exception("sandbox internal error on %s %s", request.method, request.url)
            await self._send_error(send, request, 500, INTERNAL_ERROR, exc=exc)

    async def _handle(self, request: _Request, send) -> None:
        state = self.state
        if request.path.startswith("/__sandbox__"):
            await self._control(request, send)
            return
        faults = state.faults.current
        if faults.applies_to(request.path):
            if faults.latency_ms:
                await asyncio.sleep(faults.latency_ms / 1000)
            if state.faults.roll(faults.drop_rate):
                await self._drop(send)
                return
            if state.faults.roll(faults.error_rate):
                status = faults.error_status
                await self._send_error(send, request, status, reason_phrase(status))
                return
            refused = _page_size_over(request.query_string, faults.max_page_size)
            if refused is not None:
                await self._send_error(send, request, 400, refused)
                return

        origin = request.headers.get("origin")
        production = state.config.production
        if not origin_allowed(origin, production, state.config.cors_origins):
            # Rejected by the CORS middleware, before Helmet: no security headers, Express' marker.
            await self._send_error(
                send,
                request,
                500,
                INTERNAL_ERROR,
                extra=[("X-Powered-By", "Express")],
                security_headers=False,
            )
            return
        if request.method == "OPTIONS":
            await self._send(send, request, 204, None, preflight_headers(origin), None)
            return

        raw = await request.body()
        if raw is None:
            await self._send_error(send, request, 413, "request entity too large")
            return
        body: Any = {}
        content_type = request.headers.get("content-type", "")
        if raw.strip():
            if "json" in content_type:
                try:
                    body = json.loads(raw)
                except ValueError as exc:
                    await self._send_error(send, request, 400, f"Unexpected token in JSON: {exc}")
                    return
            elif "application/x-www-form-urlencoded" in content_type:
                parsed = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
                body = {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}

        if not production and request.path.rstrip("/") in docs.PATHS and request.method == "GET":
            reply = docs.serve(request.path.rstrip("/"), state.router)
            await self._send(
                send, request, 200, reply.raw, self._common_headers(request), reply.content_type
            )
            return

        found = state.router.resolve(request.method, request.path)
        if found is None:
            await self._send_error(send, request, 404, f"Cannot {request.method} {request.url}")
            return
        route, params = found

        outcomes = state.limiter.hit(
            request.ip, route.key, throttles_for(route.throttle, state.limiter.window_ms)
        )
        limit_headers = rate_limit_headers(outcomes)
        if any(o.blocked for o in outcomes):
            exc = TooManyRequests()
            await self._send_error(send, request, 429, exc.message, extra=limit_headers, exc=exc)
            return

        ctx = Ctx(
            state=state,
            method=request.method,
            path=request.path,
            url=request.url,
            ip=request.ip,
            headers=request.headers,
            params=sanitize(params),
            query=sanitize(request.query()),
            body=sanitize(body),
            unit=state.db.unit(),
        )
        try:
            result = await anyio.to_thread.run_sync(self._execute, ctx, route)
        except Exception as exc:
            status, message = status_and_message(exc)
            if status >= 500:
                log.debug("%s %s -> %s", request.method, request.url, exc, exc_info=exc)
            await self._send_error(send, request, status, message, extra=limit_headers, exc=exc)
            return

        reply = result if isinstance(result, Reply) else Reply(body=result)
        status = reply.status or route.status or (201 if request.method == "POST" else 200)
        if (
            request.method in WRITE_METHODS
            and status < 400
            and faults.applies_to(request.path)
            and state.faults.roll(state.faults.current.error_after_write_rate)
        ):
            await self._send_error(send, request, 500, INTERNAL_ERROR, extra=limit_headers)
            return

        if reply.raw is not None:
            payload: bytes | None = reply.raw
        elif reply.body is EMPTY or reply.body is None:
            payload = None
        else:
            payload = dumps(reply.body)
        headers = self._common_headers(request) + limit_headers + reply.headers
        content_type = reply.content_type if payload is not None else None
        await self._send(send, request, status, payload, headers, content_type)

    def _execute(self, ctx: Ctx, route: Route) -> Any:
        """Guards, validation and handler in one unit of work (runs in a worker thread)."""
        try:
            run_guards(ctx, route)
            if route.dto is not None:
                ctx.body = validate(route.dto, ctx.body)
            result = route.handler(ctx)
        except BaseException:
            ctx.unit.finish(commit=False)
            raise
        ctx.unit.finish(commit=True)
        return result

    # ------------------------------------------------------------------ /__sandbox__

    async def _control(self, request: _Request, send) -> None:
        headers = [("Cache-Control", "no-store")]
        if request.path.rstrip("/") != "/__sandbox__/faults":
            await self._send_error(send, request, 404, f"Cannot {request.method} {request.url}")
            return
        try:
            if request.method == "GET":
                faults = self.state.faults.current
            elif request.method == "PUT":
                raw = await request.body()
                changes = json.loads(raw or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("the body must be a JSON object of fault switches")
                faults = control.set_faults(self.state, **changes)
            elif request.method == "DELETE":
                faults = control.clear_faults(self.state)
            else:
                await self._send_error(send, request, 404, f"Cannot {request.method} {request.url}")
                return
        except (ValueError, TypeError) as exc:
            await self._send_error(send, request, 400, str(exc), development=False)
            return
        await self._send(send, request, 200, dumps(faults.to_dict()), headers)
