"""Everything one running sandbox shares between requests."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from viva_desktop.sandbox.config import SandboxConfig
from viva_desktop.sandbox.database import Database
from viva_desktop.sandbox.faults import FaultState
from viva_desktop.sandbox.ratelimit import RateLimiter
from viva_desktop.sandbox.routing import Router
from viva_desktop.sandbox.security import TokenService


@dataclass
class AppState:
    config: SandboxConfig
    db: Database
    tokens: TokenService
    limiter: RateLimiter
    faults: FaultState
    router: Router
    started: float = field(default_factory=time.monotonic)

    @property
    def development(self) -> bool:
        return not self.config.production
