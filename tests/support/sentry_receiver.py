"""A local stand-in for Sentry's ingest endpoint: records every envelope sentry-sdk posts."""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Envelope:
    headers: dict[str, Any]
    items: list[tuple[dict[str, Any], Any]] = field(default_factory=list)

    def events(self) -> list[dict[str, Any]]:
        """Error and message events (item type "event")."""
        return [payload for header, payload in self.items if header.get("type") == "event"]


def parse_envelope(raw: bytes) -> Envelope:
    lines = raw.split(b"\n")
    envelope = Envelope(headers=json.loads(lines[0] or b"{}"))
    i = 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        header = json.loads(lines[i])
        i += 1
        length = header.get("length")
        if length is not None:
            # The payload may contain newlines; take exactly `length` bytes after the header.
            start = sum(len(part) + 1 for part in lines[:i])
            payload_bytes = raw[start : start + length]
            consumed = payload_bytes.count(b"\n") + 1
            i += consumed
        else:
            payload_bytes = lines[i] if i < len(lines) else b""
            i += 1
        try:
            payload: Any = json.loads(payload_bytes)
        except ValueError:
            payload = payload_bytes
        envelope.items.append((header, payload))
    return envelope


class SentryReceiver:
    """Runs on 127.0.0.1 with a free port; `dsn` points sentry-sdk at it."""

    def __init__(self, project_id: int = 42, key: str = "publickey") -> None:
        self.project_id = project_id
        self.key = key
        self.envelopes: list[Envelope] = []
        self.raw_bodies: list[bytes] = []
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                with receiver._cond:
                    receiver.raw_bodies.append(body)
                    if self.path.rstrip("/").endswith("/envelope"):
                        receiver.envelopes.append(parse_envelope(body))
                    receiver._cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def dsn(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{self.key}@{host}:{port}/{self.project_id}"

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.05)

    def start(self) -> SentryReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def events(self) -> list[dict[str, Any]]:
        with self._cond:
            return [event for envelope in self.envelopes for event in envelope.events()]

    def wait_for_events(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until `count` events arrived (sentry-sdk sends from a background thread)."""
        with self._cond:
            self._cond.wait_for(
                lambda: sum(len(e.events()) for e in self.envelopes) >= count, timeout=timeout
            )
        return self.events()
