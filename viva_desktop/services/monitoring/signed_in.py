"""The signed-in extra of a check: where the app holds a session for a deployment, one cheap
authenticated read (`GET /notifications?limit=1`) shows whether the data routes answer, which
`/health/status` alone cannot (it answers 200 with the database down, and says nothing about
the token path). Never retried: a retry would hide exactly what is being measured."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.api.errors import ApiError


@dataclass(frozen=True)
class SignedInCheck:
    ok: bool
    latency_ms: float | None
    detail: str

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
            "detail": self.detail,
        }


class _Client(Protocol):
    def get(self, path: str, **kwargs: object) -> object: ...


def data_route_check(client: _Client, timeout: float = 5.0) -> SignedInCheck:
    """One authenticated read through the session's API client (worker thread)."""
    started = time.perf_counter()
    try:
        client.get("/notifications", params={"limit": 1}, timeout=timeout, retry=False)
    except ApiError as exc:
        return SignedInCheck(False, None, exc.user_message)
    latency = (time.perf_counter() - started) * 1000.0
    return SignedInCheck(
        True,
        latency,
        translate("Fleet", "Signed-in data routes answer in {ms} ms.").format(ms=f"{latency:.0f}"),
    )
