"""`/analytics` (contract §6.10), ADMIN only. The server groups by month whatever is asked
and reports every user as active (D16)."""

from __future__ import annotations

from datetime import date, datetime

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.errors import bad_response
from viva_desktop.services.remote.api.models.misc import CommunityMetrics, TimeseriesPoint
from viva_desktop.services.remote.api.resources.base import Resource, date_param, query

DateLike = date | datetime | str | None


class AnalyticsResource(Resource):
    def metrics(
        self, start: DateLike = None, end: DateLike = None, *, cancel: CancelToken | None = None
    ) -> CommunityMetrics:
        response = self._get(
            "/analytics/community/metrics", params=self._range(start, end), cancel=cancel
        )
        return self._one(CommunityMetrics, response)

    def timeseries(
        self, start: DateLike = None, end: DateLike = None, *, cancel: CancelToken | None = None
    ) -> list[TimeseriesPoint]:
        """Monthly points, oldest first; the range applies only when both ends are given."""
        response = self._get("/analytics/timeseries", params=self._range(start, end), cancel=cancel)
        return self._many(TimeseriesPoint, response)

    def export_csv(
        self, start: DateLike = None, end: DateLike = None, *, cancel: CancelToken | None = None
    ) -> str:
        """`Metric,Value,Unit` and seven rows, as the server writes them."""
        response = self._get("/analytics/export/csv", params=self._range(start, end), cancel=cancel)
        if not response.text.strip() or response.data is not None:
            raise bad_response(
                method=response.method,
                path=response.path,
                request_id=response.request_id,
                status=response.status,
                why="expected a CSV body",
            )
        return response.text

    @staticmethod
    def _range(start: DateLike, end: DateLike) -> dict[str, object]:
        return query(startDate=date_param(start), endDate=date_param(end))
