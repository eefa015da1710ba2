"""The route guards, in the order they can fail upstream: JWT, role, ownership, e-mail verified."""

from __future__ import annotations

import re

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import Forbidden, NotFound, Unauthorized
from viva_desktop.sandbox.routing import Ctx, Route
from viva_desktop.sandbox.security import Identity

_BEARER = re.compile(r"^bearer\s+(\S+)\s*$", re.IGNORECASE)

# resource type -> (table, owner column, "not found" text of the ownership guard)
OWNED = {
    "offer": (db.offers, "userId", "Oferta no encontrada"),
    "event": (db.events, "organizerId", "Evento no encontrado"),
    "post": (db.posts, "authorId", "Post no encontrado"),
    "comment": (db.comments, "authorId", "Comentario no encontrado"),
}


def bearer_identity(ctx: Ctx) -> Identity | None:
    """The identity of a valid bearer token, or None when there is none or it is invalid."""
    header = ctx.headers.get("authorization")
    if not header:
        return None
    match = _BEARER.match(header)
    if not match:
        return None
    return ctx.state.tokens.identify(match.group(1))


def require_jwt(ctx: Ctx) -> Identity:
    identity = bearer_identity(ctx)
    if identity is None:
        raise Unauthorized()
    return identity


def require_roles(identity: Identity, roles: tuple[str, ...]) -> None:
    if identity.role not in roles:
        raise Forbidden(f"Access denied. Required roles: {', '.join(roles)}")


def require_owner(ctx: Ctx, kind: str) -> None:
    """Ownership of `:id`; ADMIN bypasses it before the existence check, as upstream."""
    identity = ctx.identity
    if identity is None or identity.user_id is None:
        raise Forbidden("Usuario no autenticado")
    if identity.role == "ADMIN":
        return
    table, column, missing = OWNED[kind]
    owner = ctx.conn.execute(
        sa.select(table.c[column]).where(table.c.id == ctx.params["id"])
    ).scalar_one_or_none()
    if (
        owner is None
        and not ctx.conn.execute(
            sa.select(table.c.id).where(table.c.id == ctx.params["id"])
        ).first()
    ):
        raise NotFound(missing)
    if owner != identity.user_id:
        raise Forbidden("No tienes permisos para modificar este recurso")


def require_verified_email(ctx: Ctx) -> None:
    """Reads `User.emailVerified` from the database (not `isEmailVerified`)."""
    verified = ctx.conn.execute(
        sa.select(db.users.c.emailVerified).where(db.users.c.id == ctx.user_id)
    ).scalar_one_or_none()
    if not verified:
        raise Forbidden("Debes verificar tu email para realizar esta acción")


def run_guards(ctx: Ctx, route: Route) -> None:
    if route.auth or route.roles or route.owner or route.verified:
        ctx.identity = require_jwt(ctx)
    else:
        ctx.identity = bearer_identity(ctx)  # optional: some public routes look at the caller
    if route.roles:
        require_roles(ctx.identity, route.roles)
    if route.owner:
        require_owner(ctx, route.owner)
    if route.verified:
        require_verified_email(ctx)
