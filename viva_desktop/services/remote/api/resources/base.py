"""What every resource shares: the client, path building and reply parsing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.client import ApiClient, ApiResponse
from viva_desktop.services.remote.api.models.inputs import Payload, to_payload
from viva_desktop.services.remote.api.pagination import Get
from viva_desktop.services.remote.api.parsing import parse_list, parse_model, require_data

M = TypeVar("M", bound=BaseModel)


def seg(value: object) -> str:
    """One path segment: ids are opaque strings (composite ids contain `_` and `-`, emails `@`)."""
    text = str(value)
    if not text:
        raise ValueError("empty path segment")
    return quote(text, safe="")


def date_param(value: date | datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def query(**params: Any) -> dict[str, Any]:
    """Query parameters without the unset ones."""
    return {k: v for k, v in params.items() if v is not None}


class Resource:
    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def _get(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        authenticated: bool = True,
        cancel: CancelToken | None = None,
        retry: bool = True,
        timeout: float | None = None,
    ) -> ApiResponse:
        return self._client.get(
            path,
            params=params,
            authenticated=authenticated,
            cancel=cancel,
            retry=retry,
            timeout=timeout,
        )

    def _one(self, model: type[M], response: ApiResponse, *, empty_is_not_found: bool = False) -> M:
        return parse_model(
            model, require_data(response, empty_is_not_found=empty_is_not_found), response
        )

    def _many(self, model: type[M], response: ApiResponse) -> list[M]:
        return parse_list(model, require_data(response), response)

    def _write(
        self,
        method: str,
        path: str,
        body: Payload | None = None,
        *,
        cancel: CancelToken | None = None,
        idempotent: bool | None = None,
    ) -> ApiResponse:
        return self._client.request(
            method,
            path,
            json=to_payload(body) if body is not None else None,
            cancel=cancel,
            idempotent=idempotent,
        )

    def _lister(self, path: str, filters: Mapping[str, Any], *, authenticated: bool) -> Get:
        """The `get` a paginator needs: this path with the filters bound."""
        bound = query(**filters)

        def get(paging: Mapping[str, Any], cancel: CancelToken | None) -> ApiResponse:
            return self._get(
                path, params={**bound, **paging}, authenticated=authenticated, cancel=cancel
            )

        return get
