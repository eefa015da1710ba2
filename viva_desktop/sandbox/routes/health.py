"""`GET /health` and `GET /health/status` (contract section 4)."""

from __future__ import annotations

import os
import platform
import sys
import time

import psutil

from viva_desktop.sandbox.jsonutil import now_iso
from viva_desktop.sandbox.routing import Ctx, Router

router = Router()

_PROCESS = psutil.Process()
_MB = 1024 * 1024
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64", "i686": "ia32"}


def _process_uptime() -> float:
    return max(0.0, time.time() - _PROCESS.create_time())


@router.get("/health")
def health(ctx: Ctx) -> dict:
    """Liveness: never consults the database."""
    return {"status": "ok", "timestamp": now_iso(), "uptime": round(_process_uptime(), 9)}


def _database_check(ctx: Ctx) -> dict:
    faults = ctx.state.faults.current
    started = time.perf_counter()
    try:
        ctx.state.db.ping()
    except Exception as exc:
        return {"status": "down", "error": str(exc)}
    latency = round((time.perf_counter() - started) * 1000) + int(faults.db_latency_ms)
    return {"status": "degraded" if latency > 1000 else "up", "latency": latency}


def _memory() -> dict:
    info = _PROCESS.memory_info()
    # No V8 heap in Python: resident memory stands for the used heap, mapped size for the total.
    return {
        "heapUsed": round(info.rss / _MB),
        "heapTotal": round(info.vms / _MB),
        "rss": round(info.rss / _MB),
        "external": round(getattr(info, "shared", 0) / _MB),
    }


@router.get("/health/status")
def health_status(ctx: Ctx) -> dict:
    """Health metrics; always HTTP 200, the verdict is in `status`."""
    faults = ctx.state.faults.current
    database = _database_check(ctx)
    status = {"up": "healthy", "degraded": "degraded", "down": "unhealthy"}[database["status"]]
    memory = _memory()
    if faults.heap_pressure:
        memory["heapUsed"] = max(1, round(memory["heapTotal"] * 0.95))
    if memory["heapTotal"] and memory["heapUsed"] / memory["heapTotal"] > 0.9:
        status = "degraded"  # applied last upstream, so it even overrides "unhealthy"
    virtual = psutil.virtual_memory()
    cpu = _PROCESS.cpu_times()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = [0, 0, 0]
    connected = database["status"] != "down"
    db_summary: dict = {"connected": connected}
    if "latency" in database:
        db_summary["latency"] = database["latency"]
    return {
        "status": status,
        "timestamp": now_iso(),
        "uptime": int(time.monotonic() - ctx.state.started),
        "version": "1.0.0",
        "environment": ctx.state.config.environment,
        "services": {"database": database},
        "system": {
            "platform": sys.platform if sys.platform != "win32" else "win32",
            "arch": _ARCH.get(platform.machine().lower(), platform.machine().lower()),
            "cpus": os.cpu_count() or 1,
            "totalMemory": round(virtual.total / _MB),
            "freeMemory": round(virtual.available / _MB),
            "loadAverage": load,
        },
        "process": {
            "pid": os.getpid(),
            "uptime": int(_process_uptime()),
            "memory": memory,
            "cpu": {"user": round(cpu.user * 1000), "system": round(cpu.system * 1000)},
        },
        "database": db_summary,
    }
