"""Start-up options and fault switches of the sandbox server."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

ENVIRONMENTS = ("development", "production")


@dataclass(frozen=True)
class Faults:
    """Failure modes a test or a trainer can switch on, at start-up or while the server runs.

    Immutable: the server swaps the whole object, so a request always sees one consistent set.
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    error_after_write_rate: float = 0.0
    drop_rate: float = 0.0
    db_down: bool = False
    db_latency_ms: int = 0
    heap_pressure: bool = False
    expire_tokens: bool = False
    paths: tuple[str, ...] | None = None
    seed: int | None = None
    # A server (or a proxy before it) that validates page sizes: a `limit` or `take` above
    # this answers 400, as a NestJS `@Max()` would. The contract names no maximum.
    max_page_size: int | None = None

    def __post_init__(self) -> None:
        for name in ("error_rate", "error_after_write_rate", "drop_rate"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")
        for name in ("latency_ms", "db_latency_ms"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative number, got {value!r}")
        status = self.error_status
        if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
            raise ValueError(f"error_status must be an HTTP error status (400-599), got {status!r}")
        for name in ("db_down", "heap_pressure", "expire_tokens"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false")
        if self.paths is not None:
            paths = tuple(self.paths)
            if not all(isinstance(p, str) and p.startswith("/") for p in paths):
                raise ValueError("paths must be a list of path prefixes starting with '/'")
            object.__setattr__(self, "paths", paths)
        size = self.max_page_size
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 1):
            raise ValueError(f"max_page_size must be a positive integer or null, got {size!r}")
        if self.seed is not None and (
            not isinstance(self.seed, int) or isinstance(self.seed, bool)
        ):
            raise ValueError("seed must be an integer or null")

    def with_changes(self, **changes: Any) -> Faults:
        """A copy with some switches changed; unknown names raise ValueError."""
        unknown = set(changes) - set(FAULT_NAMES)
        if unknown:
            raise ValueError(f"unknown fault switch(es): {', '.join(sorted(unknown))}")
        if "paths" in changes and changes["paths"] is not None:
            changes["paths"] = tuple(changes["paths"])
        return replace(self, **changes)

    def applies_to(self, path: str) -> bool:
        """Whether the faults touch a request path (the sandbox's own control routes never)."""
        if path.startswith("/__sandbox__"):
            return False
        if self.paths is None:
            return True
        return any(path.startswith(prefix) for prefix in self.paths)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["paths"] = list(self.paths) if self.paths is not None else None
        return data


FAULT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Faults))


@dataclass(frozen=True)
class SandboxConfig:
    """How a sandbox server is built; see the package docstring for the meaning of each option."""

    host: str = "127.0.0.1"
    port: int = 0
    database_url: str | None = None
    seed: bool = True
    scale: int = 0
    defects: bool = True
    environment: str = "development"
    enforce_rate_limits: bool = False
    rate_window_ms: int | None = None
    access_token_ttl: int = 900
    faults: Faults = field(default_factory=Faults)
    cors_origins: tuple[str, ...] = ("http://localhost:3000", "http://localhost:3001")
    jwt_secret: str | None = None
    refresh_token_days: int = 7

    def __post_init__(self) -> None:
        if self.environment not in ENVIRONMENTS:
            raise ValueError(f"environment must be one of {ENVIRONMENTS}, got {self.environment!r}")
        if self.scale < 0:
            raise ValueError("scale must be >= 0")
        if self.rate_window_ms is not None and (
            isinstance(self.rate_window_ms, bool)
            or not isinstance(self.rate_window_ms, int)
            or self.rate_window_ms < 100
        ):
            raise ValueError("rate_window_ms must be a whole number of milliseconds, at least 100")
        if self.access_token_ttl <= 0:
            raise ValueError("access_token_ttl must be > 0 seconds")
        if self.jwt_secret is not None and len(self.jwt_secret) < 32:
            # The real server refuses to start with a short secret in every environment.
            raise ValueError("jwt_secret must be at least 32 characters")
        if not isinstance(self.faults, Faults):
            raise TypeError("faults must be a Faults instance")

    @property
    def production(self) -> bool:
        return self.environment == "production"
