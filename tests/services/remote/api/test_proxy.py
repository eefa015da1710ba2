"""Behind a forward proxy: the environment's HTTP(S)_PROXY and NO_PROXY are honoured, loopback
is never proxied, and a request through the proxy can still be cancelled."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.client import ApiClient
from viva_desktop.services.remote.api.errors import Cancelled, NetworkUnreachable
from viva_desktop.services.remote.api.retry import RetryPolicy
from viva_desktop.services.remote.api.transport import environment_proxy

FAKE_HOST = "viva.proxied.test"  # never resolved by the client: only the proxy knows it


class ForwardProxy:
    """A minimal HTTP forward proxy that maps FAKE_HOST to the sandbox and records requests."""

    def __init__(self, target_port: int) -> None:
        self.seen: list[tuple[str, str, str | None]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                target = urllib.parse.urlsplit(self.path)  # absolute-form request target
                proxy.seen.append(
                    (self.command, self.path, self.headers.get("Proxy-Authorization"))
                )
                if target.hostname != FAKE_HOST:
                    self.send_error(502, "unknown host")
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("proxy-authorization", "proxy-connection", "host")
                }
                upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=10)
                path = target.path + (f"?{target.query}" if target.query else "")
                upstream.request(self.command, path, body=body, headers=headers)
                reply = upstream.getresponse()
                data = reply.read()
                self.send_response(reply.status)
                for key, value in reply.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def proxy(readonly_sandbox) -> Iterator[ForwardProxy]:
    port = urllib.parse.urlsplit(readonly_sandbox.url).port
    with ForwardProxy(port) as running:
        yield running


def clear_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def test_requests_go_through_the_environment_proxy(proxy, monkeypatch) -> None:
    clear_proxy_env(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", proxy.url.replace("http://", "http://scott:tiger@"))
    with ApiClient(f"http://{FAKE_HOST}:4000") as client:
        reply = client.get("/health")
    assert reply.status == 200
    assert reply.data["status"] == "ok"
    method, target, authorization = proxy.seen[-1]
    assert (method, target) == ("GET", f"http://{FAKE_HOST}:4000/health")
    assert authorization is not None  # credentials of the proxy URL are sent to the proxy


def test_no_proxy_and_loopback_bypass_the_proxy(proxy, readonly_sandbox, monkeypatch) -> None:
    clear_proxy_env(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", f"example.org,{FAKE_HOST}")
    assert environment_proxy(f"http://{FAKE_HOST}/") is None
    assert environment_proxy("http://127.0.0.1:3001/") is None
    assert environment_proxy("http://localhost:3001/") is None
    assert environment_proxy("http://elsewhere.test/") == proxy.url
    with ApiClient(readonly_sandbox.url) as client:  # loopback: straight to the sandbox
        assert client.get("/health").status == 200
    no_retry = RetryPolicy(max_attempts=1)
    with (
        ApiClient(f"http://{FAKE_HOST}:4000", retry=no_retry, timeout=5) as client,
        pytest.raises(NetworkUnreachable),
    ):
        client.get("/health")  # bypassed, and the name does not resolve without the proxy
    assert proxy.seen == []


def test_a_request_through_the_proxy_can_be_cancelled(sandbox, monkeypatch) -> None:
    clear_proxy_env(monkeypatch)
    sandbox.set_faults(latency_ms=1_500, paths=["/health/status"])
    with ForwardProxy(urllib.parse.urlsplit(sandbox.url).port) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        token = CancelToken()
        with ApiClient(f"http://{FAKE_HOST}:4000", timeout=30) as client:
            timer = threading.Timer(0.3, token.cancel)  # from another thread, mid-request
            timer.start()
            with pytest.raises(Cancelled):
                client.get("/health/status", cancel=token)
            timer.join()
        assert proxy.seen[-1][:2] == ("GET", f"http://{FAKE_HOST}:4000/health/status")
