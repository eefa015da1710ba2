"""An httpx transport whose in-flight requests can be aborted from another thread.

A blocked socket read cannot be interrupted by closing an httpx response that does not exist
yet (the server has not answered). Instead every network stream registers, for the duration of
each read or write, a callback on the cancel token of the request running in that thread; the
callback shuts the socket down, which wakes the blocked call at once. The connection is then
dead and the pool drops it.

httpx offers no public hook for httpcore's network backend, so the transport swaps the pool that
`HTTPTransport` builds for one with the wrapping backend; the tests of the client prove it.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import typing
import urllib.parse
import urllib.request
from contextvars import ContextVar

import certifi
import httpcore
import httpx

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.config import is_loopback_host

KEEPALIVE_EXPIRY = 4.0
"""Seconds an idle pooled connection is kept: below the server's 5 s keep-alive (§3.5)."""

active_cancel: ContextVar[CancelToken | None] = ContextVar("viva_active_cancel", default=None)
"""The cancel token of the request running in this thread, set by the client around a send."""


def ssl_context(verify: bool | str) -> ssl.SSLContext:
    """System trust store plus certifi; a path adds that CA bundle; False disables checks."""
    context = ssl.create_default_context()
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    with contextlib.suppress(OSError):
        context.load_verify_locations(certifi.where())
    if isinstance(verify, str) and verify:
        context.load_verify_locations(cafile=verify)
    return context


class _CancellableStream(httpcore.NetworkStream):
    """Each read and write registers an abort on the running request's cancel token.

    Written out rather than as a context manager: a request makes several reads and writes,
    and requests without a token (the common case) must pay only a context-variable lookup.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def _abort(self) -> None:
        sock = self._inner.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        token = active_cancel.get()
        if token is None:
            return self._inner.read(max_bytes, timeout)
        remove = token.on_cancel(self._abort)
        try:
            return self._inner.read(max_bytes, timeout)
        finally:
            remove()

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        token = active_cancel.get()
        if token is None:
            self._inner.write(buffer, timeout)
            return
        remove = token.on_cancel(self._abort)
        try:
            self._inner.write(buffer, timeout)
        finally:
            remove()

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        token = active_cancel.get()
        remove = token.on_cancel(self._abort) if token is not None else None
        try:
            return _CancellableStream(self._inner.start_tls(ssl_context, server_hostname, timeout))
        finally:
            if remove is not None:
                remove()

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _CancellableBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        token = active_cancel.get()
        if token is not None and token.cancelled:
            raise httpcore.ConnectError("cancelled before connecting")
        return _CancellableStream(
            self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _CancellableStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class CancellableTransport(httpx.HTTPTransport):
    """`HTTPTransport` with pooled, keep-alive connections that a cancel token can abort.

    `proxy` (an http:// or https:// proxy URL, credentials allowed) sends every request
    through that forward proxy, still abortable: the proxy connection is the socket that is
    shut down.
    """

    def __init__(
        self,
        *,
        verify: bool | str = True,
        limits: httpx.Limits | None = None,
        proxy: str | None = None,
    ) -> None:
        limits = limits or default_limits()
        context = ssl_context(verify)
        super().__init__(verify=context, limits=limits)
        pool_options = {
            "ssl_context": context,
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
            "network_backend": _CancellableBackend(),
        }
        if proxy:
            via = httpx.Proxy(proxy)
            if via.url.scheme not in ("http", "https"):
                raise ValueError(f"unsupported proxy scheme {via.url.scheme!r} (use http or https)")
            self._pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(
                    scheme=via.url.raw_scheme,
                    host=via.url.raw_host,
                    port=via.url.port,
                    target=via.url.raw_path,
                ),
                proxy_auth=via.raw_auth,
                proxy_headers=via.headers.raw,
                proxy_ssl_context=via.ssl_context,
                **pool_options,
            )
        else:
            self._pool = httpcore.ConnectionPool(**pool_options)


def environment_proxy(url: str) -> str | None:
    """The forward proxy the environment asks for `url` (`HTTPS_PROXY`, `HTTP_PROXY`,
    `ALL_PROXY`, minus `NO_PROXY`), or None. Loopback is never proxied: the embedded sandbox
    and local tunnels must keep working behind a corporate proxy."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if not host or is_loopback_host(host):
        return None
    proxies = urllib.request.getproxies_environment()
    if urllib.request.proxy_bypass_environment(host, proxies):
        return None
    return proxies.get(parts.scheme) or proxies.get("all") or None


def wants_compression(url: str) -> bool:
    """Whether to ask `url` for gzip answers: yes, except on loopback. The server compresses
    answers of 1 KB or more when asked; across a network that saves most of a page's transfer,
    but on loopback (the embedded sandbox, a local server) it only costs CPU at both ends, on
    the very cores the window needs to stay responsive during a sync."""
    host = urllib.parse.urlsplit(url).hostname or ""
    return not is_loopback_host(host)


def default_limits() -> httpx.Limits:
    return httpx.Limits(
        max_connections=20, max_keepalive_connections=10, keepalive_expiry=KEEPALIVE_EXPIRY
    )
