"""The Swagger document (`/api/docs-json`) and UI page (`/api/docs`), served outside production,
generated from the sandbox's own route table."""

from __future__ import annotations

import json
import re

from viva_desktop.sandbox.routing import Reply, Router

PATHS = frozenset({"/api/docs-json", "/api/docs"})

_UI = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Comunidad Viva API (sandbox)</title></head>
<body><h1>Comunidad Viva API</h1><p>Sandbox server. The OpenAPI document is at
<a href="/api/docs-json">/api/docs-json</a>.</p></body></html>
"""


def openapi(router: Router) -> dict:
    paths: dict[str, dict] = {}
    for route in router.routes:
        path = re.sub(r":(\w+)", r"{\1}", route.pattern)
        module = route.handler.__module__.rsplit(".", 1)[-1]
        operation: dict = {
            "operationId": f"{module}_{route.handler.__name__}",
            "tags": [path.strip("/").split("/")[0]],
            "parameters": [
                {"name": name, "required": True, "in": "path", "schema": {"type": "string"}}
                for name in route.param_names
            ],
            "responses": {
                str(route.status or (201 if route.method == "POST" else 200)): {"description": ""}
            },
        }
        if route.auth or route.roles or route.owner or route.verified:
            operation["security"] = [{"bearer": []}]
        if route.handler.__doc__:
            operation["summary"] = route.handler.__doc__.strip().splitlines()[0]
        paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.0.0",
        "paths": paths,
        "info": {
            "title": "Comunidad Viva API",
            "description": "API para red social de economía colaborativa local",
            "version": "1.0",
            "contact": {},
        },
        "tags": [],
        "servers": [],
        "components": {
            "securitySchemes": {
                "bearer": {"scheme": "bearer", "bearerFormat": "JWT", "type": "http"}
            }
        },
    }


def serve(path: str, router: Router) -> Reply:
    if path == "/api/docs-json":
        raw = json.dumps(openapi(router), ensure_ascii=False).encode("utf-8")
        return Reply(raw=raw, content_type="application/json; charset=utf-8")
    return Reply(raw=_UI.encode("utf-8"), content_type="text/html; charset=utf-8")
