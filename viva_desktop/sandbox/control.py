"""Changing the fault switches of a running server, from Python or over `/__sandbox__/faults`."""

from __future__ import annotations

from typing import Any

from viva_desktop.sandbox.config import Faults
from viva_desktop.sandbox.state import AppState


def apply_faults(state: AppState, faults: Faults, *, expire_now: bool) -> Faults:
    state.faults.replace(faults)
    state.db.down = faults.db_down
    if expire_now:
        state.tokens.expire_all_issued()
    return faults


def set_faults(state: AppState, **changes: Any) -> Faults:
    """Merge the given switches into the current ones; `expire_tokens=True` expires every access
    token issued so far (tokens issued afterwards work; a refresh still works)."""
    faults = state.faults.current.with_changes(**changes)
    if "seed" in changes and changes["seed"] is not None:
        state.faults.reseed(changes["seed"])
    return apply_faults(state, faults, expire_now=bool(changes.get("expire_tokens")))


def clear_faults(state: AppState) -> Faults:
    return apply_faults(state, Faults(seed=state.faults.current.seed), expire_now=False)
