"""A seeded sandbox synced into a SQLite store once, with the server's own answers read by
plain HTTP (no project code) next to it: what report tests count against independently."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt

from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import DEMO_PASSWORD
from viva_desktop.services.local.store import open_store
from viva_desktop.services.local.sync import SyncEngine
from viva_desktop.services.remote.api import Api, ApiClient
from viva_desktop.services.remote.session import Session
from viva_desktop.services.remote.vault import MemoryVault

PROFILE = "sandbox"
COORDINATOR = "coordinadora@comunidad.local"


@dataclass(frozen=True)
class SyncedSandbox:
    store_file: Path
    account_id: str
    truth: dict[str, Any]  # offers, events, posts, users, communities, transactions, cases

    def copy_to(self, folder: Path) -> str:
        """A private copy of the synced store; its URL."""
        target = folder / "store.sqlite3"
        shutil.copy(self.store_file, target)
        return f"sqlite:///{target}"


def _pages(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = http.get(path, params={**params, "limit": 500, "offset": len(out)}).json()
        items = page["events"] if isinstance(page, dict) else page
        out += items
        if len(items) < 500:
            return out


def read_truth(url: str, token: str) -> dict[str, Any]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        posts = _pages(http, "/posts")
        authors = {p["authorId"] for p in posts}
        users = {uid: http.get(f"/users/{uid}").json() for uid in sorted(authors)}
        return {
            "offers": http.get("/offers").json(),
            "events": _pages(http, "/events", upcoming="false"),
            "posts": posts,
            "users": users,
            "communities": http.get("/communities").json()
            + http.get("/communities", params={"visibility": "PRIVATE"}).json(),
            "transactions": http.get(
                "/credits/transactions", params={"limit": 1000, "offset": 0}
            ).json()["transactions"],
            "cases": http.get("/consensus/moderation/pending").json(),
            # Open to any signed-in account (contract §3.9); a report shows it to ADMINs only.
            "flow_metrics": http.get("/flow-economics/metrics").json(),
        }


def sync_sandbox(
    folder: Path, email: str = COORDINATOR, store_url: str | None = None
) -> SyncedSandbox:
    """Start a seeded sandbox, sync it as `email` into `store_url` (default: a SQLite file in
    `folder`), read the server's truth, stop it."""
    folder.mkdir(parents=True, exist_ok=True)
    store_file = folder / "synced.sqlite3"
    with Deployment(folder / "server.sqlite3") as deployed:
        client = ApiClient(deployed.url)
        try:
            api = Api(client)
            session = Session(PROFILE, api, MemoryVault())
            session.login(email, DEMO_PASSWORD)
            store = open_store(store_url or f"sqlite:///{store_file}", attempts=1)
            try:
                result = SyncEngine(api, store, PROFILE, page_size=200).run()
                assert result.ok, result.failed
            finally:
                store.close()
            token = session.access_token()
            assert token
            truth = read_truth(deployed.url, token)
        finally:
            client.close()
    # The caller's id is the token's `sub` (the server has no "current user" route).
    claims = jwt.decode(token, options={"verify_signature": False})
    return SyncedSandbox(store_file, str(claims["sub"]), truth)
