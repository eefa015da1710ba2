"""`/health` (contract §4). Never calls `/health/seed-demo`, which wipes the database."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.health import HealthPing, HealthStatus
from viva_desktop.services.remote.api.resources.base import Resource


class HealthResource(Resource):
    def ping(
        self, *, retry: bool = True, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> HealthPing:
        """Liveness only: the server does not consult its database here."""
        response = self._get(
            "/health", authenticated=False, retry=retry, timeout=timeout, cancel=cancel
        )
        return self._one(HealthPing, response)

    def status(
        self, *, retry: bool = True, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> HealthStatus:
        """Always 200: read `status` (healthy, degraded, unhealthy) from the body."""
        response = self._get(
            "/health/status", authenticated=False, retry=retry, timeout=timeout, cancel=cancel
        )
        return self._one(HealthStatus, response)
