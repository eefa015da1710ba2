"""`GET /health` and `GET /health/status` (contract §4)."""

from __future__ import annotations

from pydantic import Field

from viva_desktop.services.remote.api.models.base import UtcDatetime, VivaModel


class HealthPing(VivaModel):
    status: str
    timestamp: UtcDatetime | None = None
    uptime: float | None = None


class DatabaseService(VivaModel):
    status: str = "unknown"  # up, degraded or down
    latency: float | None = None
    error: str | None = None


class HealthServices(VivaModel):
    database: DatabaseService = Field(default_factory=DatabaseService)


class SystemInfo(VivaModel):
    platform: str | None = None
    arch: str | None = None
    cpus: int | None = None
    total_memory: float | None = None  # MB
    free_memory: float | None = None  # MB
    load_average: list[float] = Field(default_factory=list)


class ProcessMemory(VivaModel):
    heap_used: float | None = None  # MB
    heap_total: float | None = None
    rss: float | None = None
    external: float | None = None


class ProcessCpu(VivaModel):
    user: float | None = None  # ms
    system: float | None = None


class ProcessInfo(VivaModel):
    pid: int | None = None
    uptime: float | None = None
    memory: ProcessMemory = Field(default_factory=ProcessMemory)
    cpu: ProcessCpu = Field(default_factory=ProcessCpu)


class DatabaseConnection(VivaModel):
    connected: bool = False
    latency: float | None = None


class HealthStatus(VivaModel):
    """`status` is healthy, degraded or unhealthy; the route never answers 503 (§4)."""

    status: str
    timestamp: UtcDatetime | None = None
    uptime: float | None = None
    version: str | None = None
    environment: str | None = None
    services: HealthServices = Field(default_factory=HealthServices)
    system: SystemInfo | None = None
    process: ProcessInfo | None = None
    database: DatabaseConnection | None = None

    @property
    def database_status(self) -> str:
        return self.services.database.status
