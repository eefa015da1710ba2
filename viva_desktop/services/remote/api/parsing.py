"""Turning a reply's JSON into models, with a typed error when the shape is not the expected one."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from viva_desktop.services.remote.api.client import ApiResponse
from viva_desktop.services.remote.api.errors import BadResponse, bad_response, error_for_empty_body

M = TypeVar("M", bound=BaseModel)


def _bad(response: ApiResponse, why: str) -> BadResponse:
    return bad_response(
        method=response.method,
        path=response.path,
        request_id=response.request_id,
        status=response.status,
        why=why,
    )


def require_data(response: ApiResponse, *, empty_is_not_found: bool = False) -> Any:
    """The JSON body; an empty body is `NotFound` where the server uses it for "no such row"
    (contract D4), and `BadResponse` elsewhere."""
    if response.data is None:
        if response.empty and empty_is_not_found:
            raise error_for_empty_body(
                method=response.method,
                path=response.path,
                request_id=response.request_id,
                status=response.status,
            )
        raise _bad(response, "expected a JSON body")
    return response.data


def parse_model(model: type[M], data: Any, response: ApiResponse) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _bad(response, f"unexpected {model.__name__} shape: {_summary(exc)}") from exc


def parse_list(model: type[M], data: Any, response: ApiResponse) -> list[M]:
    if not isinstance(data, list):
        raise _bad(response, f"expected a list of {model.__name__}")
    return [parse_model(model, item, response) for item in data]


def field_of(data: Any, key: str, response: ApiResponse) -> Any:
    """`data[key]` of an envelope such as `{events, total}`, or `BadResponse`."""
    if not isinstance(data, dict) or key not in data:
        raise _bad(response, f"expected an object with '{key}'")
    return data[key]


def _summary(exc: ValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')} ({exc.error_count()} error(s))"
