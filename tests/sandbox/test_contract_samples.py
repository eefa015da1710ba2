"""Replay every captured exchange of the real server against a sandbox and compare: the same
status, the same keys in the same order, the same JSON types, the same rate-limit headers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES_DIR
from tests.sandbox.conftest import Api, Session
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL

SAMPLES = sorted(SAMPLES_DIR.glob("*.json"))
FRESH_EMAIL, FRESH_PASSWORD = "cliente.prueba@example.com", "Secreto123!"
ZERO_ID = "00000000-0000-0000-0000-000000000000"


def same_shape(actual: Any, expected: Any, where: str = "body") -> None:
    """Keys (in order) and JSON types, recursively; null is compatible with any type because the
    captures show nullable columns sometimes set and sometimes not."""
    if expected is None or actual is None:
        return
    if isinstance(expected, bool):
        assert isinstance(actual, bool), f"{where}: expected a boolean, got {actual!r}"
    elif isinstance(expected, int | float):
        assert isinstance(actual, int | float), f"{where}: expected a number, got {actual!r}"
        assert not isinstance(actual, bool), f"{where}: expected a number, got {actual!r}"
    elif isinstance(expected, str):
        assert isinstance(actual, str), f"{where}: expected a string, got {actual!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected an array, got {actual!r}"
        if expected:
            for index, item in enumerate(actual):
                same_shape(item, expected[min(index, len(expected) - 1)], f"{where}[{index}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        assert list(actual) == list(expected), f"{where}: keys differ"
        for key, value in expected.items():
            same_shape(actual[key], value, f"{where}.{key}")


class Replay:
    """The request of one sample, adapted to the sandbox's own accounts and ids."""

    def __init__(self, api: Api, sample: dict) -> None:
        self.api = api
        request = sample["request"]
        self.method: str = request["method"]
        self.path: str = request["path"]
        self.body: Any = request["body"]
        self.headers: dict[str, str] = dict(request.get("headers") or {})
        self.session: Session | None = None
        if request["auth"] == "user":
            self.session = api.login(CITIZEN_EMAIL)
        elif request["auth"] == "admin":
            self.session = api.login(ADMIN_EMAIL)

    def fresh_user(self) -> Session:
        """The captures' freshly registered, unverified citizen."""
        self.session = self.api.register(FRESH_EMAIL, FRESH_PASSWORD)
        return self.session

    def admin_offer_id(self) -> str:
        admin = self.api.login(ADMIN_EMAIL)
        offers = self.api.get("/offers/user/my-offers", admin).json()
        return offers[0]["id"]

    def send(self):
        return self.api.request(
            self.method, self.path, self.session, headers=self.headers,
            json=self.body if self.body is not None else None,
        )  # fmt: skip


def _fresh_caller(replay: Replay) -> None:
    replay.fresh_user()


def _profile_self(replay: Replay) -> None:
    replay.path = f"/users/{replay.fresh_user().id}"


def _profile_other(replay: Replay) -> None:
    maria = replay.api.login(CITIZEN_EMAIL)
    replay.fresh_user()
    replay.path = f"/users/{maria.id}"


def _duplicate_register(replay: Replay) -> None:
    replay.api.register(FRESH_EMAIL, FRESH_PASSWORD)


def _fourth_register(replay: Replay) -> None:
    for n in range(3):
        replay.api.register(f"antes{n}@example.com")


def _registered_login(replay: Replay) -> None:
    replay.api.register(FRESH_EMAIL, FRESH_PASSWORD)


def _refresh(replay: Replay) -> None:
    session = replay.api.register(FRESH_EMAIL, FRESH_PASSWORD)
    replay.body = {"refresh_token": session.refresh_token}


def _exhaust_strict(replay: Replay) -> None:
    for _ in range(10):
        assert replay.api.get("/health/status").status_code == 200


def _offer_with_time_bank(replay: Replay) -> None:
    offers = replay.api.get("/offers").json()
    wanted = next(o for o in offers if o["title"] == "Clases de jardinería urbana")
    replay.path = f"/offers/{wanted['id']}"


def _admin_offer(replay: Replay) -> None:
    replay.path = f"/offers/{replay.admin_offer_id()}"


SETUP: dict[str, Callable[[Replay], None]] = {
    "auth-email-verification-status": _fresh_caller,
    "offer-create-403-unverified": _fresh_caller,
    "user-profile-self": _profile_self,
    "user-profile-other": _profile_other,
    "user-profile-unknown-200-empty": _fresh_caller,
    "auth-register-duplicate-500": _duplicate_register,
    "auth-register-201-limit-not-enforced": _fourth_register,
    "auth-login-201": _registered_login,
    "auth-login-401": _registered_login,
    "auth-refresh-201": _refresh,
    "health-status-ratelimit-exhausted": _exhaust_strict,
    "offer-detail": _offer_with_time_bank,
    "offer-update-403-not-owner": _admin_offer,
    "offer-delete-200": _admin_offer,
}
EXHAUSTED = {
    "auth-register-201-limit-not-enforced": "x-ratelimit-remaining",
    "health-status-ratelimit-exhausted": "x-ratelimit-remaining-strict",
}
FIXED_BUILD = {"offer-update-403-not-owner", "offer-delete-200"}  # captured on a fixed build


def _config_for(name: str) -> dict[str, Any]:
    return {
        "environment": "production" if name.startswith("production-") else "development",
        "defects": name not in FIXED_BUILD,
    }


@pytest.mark.parametrize("sample_path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sandbox_replays_the_captured_exchange(sample_path: Path, make_server, api_for) -> None:
    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    server = make_server(**_config_for(sample_path.stem))
    api = api_for(server)
    replay = Replay(api, sample)
    SETUP.get(sample_path.stem, lambda _replay: None)(replay)

    response = replay.send()

    assert response.status_code == sample["status"], response.text
    expected_limits = {k for k in sample["headers"] if k.startswith("x-ratelimit-")}
    actual_limits = {k.lower() for k in response.headers if k.lower().startswith("x-ratelimit-")}
    assert actual_limits == expected_limits
    if "content-type" in sample["headers"]:
        media = sample["headers"]["content-type"].split(";")[0]
        assert response.headers.get("content-type", "").split(";")[0] == media
    else:
        assert "content-type" not in response.headers
    if sample["body"] == "":
        assert response.content == b""
    else:
        same_shape(response.json(), sample["body"])
    if sample_path.stem in EXHAUSTED:  # the point of these captures: used up, yet not blocked
        header = EXHAUSTED[sample_path.stem]
        assert response.headers[header] == sample["headers"][header] == "0"


def test_every_sample_is_replayed() -> None:
    """New captures must come with their set-up when they need one; this keeps the list honest."""
    names = {p.stem for p in SAMPLES}
    assert set(SETUP) <= names
    assert len(SAMPLES) >= 44
