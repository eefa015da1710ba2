"""Routes, the request context handlers receive, and the reply conventions.

Matching follows Express: routes are tried in registration order and the first match wins
(which is how `GET /communities/{id}` shadows `GET /communities/audit-log` upstream); paths are
case-insensitive and a trailing slash is optional."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from viva_desktop.sandbox.errors import BadRequest, DatabaseError, Unauthorized

if TYPE_CHECKING:
    import sqlalchemy as sa

    from viva_desktop.sandbox.database import UnitOfWork
    from viva_desktop.sandbox.security import Identity
    from viva_desktop.sandbox.state import AppState
    from viva_desktop.sandbox.validation import Dto

JSON_TYPE = "application/json; charset=utf-8"


class _Empty:
    def __repr__(self) -> str:
        return "EMPTY"


EMPTY: Any = _Empty()


@dataclass
class Reply:
    """A reply that is not plain JSON with the default status: a 204, a CSV file, an empty 200."""

    status: int | None = None
    body: Any = EMPTY
    content_type: str | None = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytes | None = None


Handler = Callable[["Ctx"], Any]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    regex: re.Pattern[str]
    param_names: tuple[str, ...]
    auth: bool = False
    roles: tuple[str, ...] = ()
    owner: str | None = None
    verified: bool = False
    dto: Dto | None = None
    throttle: tuple[int, int] | None = None
    status: int | None = None

    @property
    def key(self) -> str:
        """Identity of the route handler for the rate-limit counters."""
        return f"{self.method} {self.pattern}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        wanted = "GET" if method == "HEAD" else method
        if wanted != self.method:
            return None
        found = self.regex.match(path)
        if not found:
            return None
        return {
            name: unquote(value)
            for name, value in zip(self.param_names, found.groups(), strict=True)
        }


def compile_pattern(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    parts = []
    for segment in pattern.strip("/").split("/"):
        if segment.startswith(":"):
            names.append(segment[1:])
            parts.append("([^/]+)")
        else:
            parts.append(re.escape(segment))
    regex = re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)
    return regex, tuple(names)


class Router:
    """An ordered list of routes, filled by the `get/post/put/delete/patch` decorators."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, **options: Any) -> Route:
        regex, names = compile_pattern(pattern)
        route = Route(method, pattern, handler, regex, names, **options)
        self.routes.append(route)
        return route

    def _decorator(self, method: str, pattern: str, options: dict[str, Any]):
        def register(handler: Handler) -> Handler:
            self.add(method, pattern, handler, **options)
            return handler

        return register

    def get(self, pattern: str, **options: Any):
        return self._decorator("GET", pattern, options)

    def post(self, pattern: str, **options: Any):
        return self._decorator("POST", pattern, options)

    def put(self, pattern: str, **options: Any):
        return self._decorator("PUT", pattern, options)

    def patch(self, pattern: str, **options: Any):
        return self._decorator("PATCH", pattern, options)

    def delete(self, pattern: str, **options: Any):
        return self._decorator("DELETE", pattern, options)

    def extend(self, other: Router) -> None:
        self.routes.extend(other.routes)

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None


def js_number(value: Any) -> float:
    """JavaScript's `Number(value)` for query strings: '' -> 0, 'abc' -> NaN, absent -> NaN."""
    if value is None:
        return math.nan
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
        if value is None:
            return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if text == "":
        return 0.0
    try:
        if text.lower().startswith(("0x", "0b", "0o")):
            return float(int(text, 0))
        if text.lower() in ("infinity", "+infinity"):
            return math.inf
        if text.lower() == "-infinity":
            return -math.inf
        if "inf" in text.lower() or "nan" in text.lower():
            return math.nan
        return float(text)
    except ValueError:
        return math.nan


def need_number(value: float) -> int:
    """Use a query number in a database call: NaN breaks the query, which is a 500 upstream."""
    if math.isnan(value) or math.isinf(value):
        raise DatabaseError("Argument `take`/`skip` is missing: NaN given")
    return int(value)


@dataclass
class Ctx:
    """Everything a handler needs about one request."""

    state: AppState
    method: str
    path: str
    url: str
    ip: str
    headers: dict[str, str]
    params: dict[str, str]
    query: dict[str, Any]
    body: Any
    unit: UnitOfWork
    identity: Identity | None = None

    @property
    def conn(self) -> sa.Connection:
        return self.unit.conn

    @property
    def user_id(self) -> str:
        if self.identity is None or self.identity.user_id is None:
            raise Unauthorized()
        return self.identity.user_id

    @property
    def defects(self) -> bool:
        return self.state.config.defects

    def q(self, name: str) -> str | None:
        """A string query parameter as sent (the first one when repeated)."""
        value = self.query.get(name)
        if isinstance(value, list):
            return value[0] if value else None
        return value if isinstance(value, str) else None

    def q_number(self, name: str) -> float:
        """A query parameter declared as a number: NaN when absent or not numeric."""
        return js_number(self.query.get(name))

    def q_number_or(self, name: str, default: float) -> float:
        """A numeric query parameter whose declared default really applies when it is absent."""
        return default if name not in self.query else js_number(self.query.get(name))

    def q_parse_int(self, name: str) -> int:
        """NestJS `ParseIntPipe`: absent or non-numeric -> 400 with its fixed message."""
        value = self.q(name)
        if value is None or not re.fullmatch(r"-?\d+", value):
            raise BadRequest("Validation failed (numeric string is expected)")
        return int(value)

    def q_bool(self, name: str) -> bool | None:
        value = self.q(name)
        if value is None:
            return None
        return value == "true"

    def body_dict(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}
