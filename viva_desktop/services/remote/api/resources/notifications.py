"""`/notifications` (contract §6.8): the caller's own; `limit` must always be sent."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.misc import Notification, ReadAllResult
from viva_desktop.services.remote.api.pagination import Paginator, growing_limit
from viva_desktop.services.remote.api.parsing import parse_list
from viva_desktop.services.remote.api.resources.base import Resource, seg


class NotificationsResource(Resource):
    def list(self, *, limit: int = 50, cancel: CancelToken | None = None) -> list[Notification]:
        response = self._get("/notifications", params={"limit": limit}, cancel=cancel)
        return self._many(Notification, response)

    def paginator(self) -> Paginator[Notification]:
        get = self._lister("/notifications", {}, authenticated=True)
        return growing_limit(get, lambda data, r: parse_list(Notification, data, r))

    def mark_read(self, notification_id: str, *, cancel: CancelToken | None = None) -> Notification:
        """Someone else's or an unknown id is a 500 on the server (mapped to `ServerError`)."""
        response = self._write("PUT", f"/notifications/{seg(notification_id)}/read", cancel=cancel)
        return self._one(Notification, response)

    def mark_all_read(self, *, cancel: CancelToken | None = None) -> int:
        """The number of notifications that changed."""
        response = self._write("PUT", "/notifications/read-all", cancel=cancel)
        return self._one(ReadAllResult, response).count
