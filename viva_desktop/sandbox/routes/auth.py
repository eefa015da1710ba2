"""`/auth`: register, login (with the two-step 2FA), refresh rotation, logout, 2FA management and
the e-mail verification status (contract section 5)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from viva_desktop.sandbox import dtos
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import BadRequest, DatabaseError, HttpError, NotFound, Unauthorized
from viva_desktop.sandbox.jsonutil import iso, now_iso, utcnow
from viva_desktop.sandbox.records import audit_row, new_id, user_row
from viva_desktop.sandbox.routing import Ctx, Router
from viva_desktop.sandbox.security import (
    hash_secret,
    new_backup_codes,
    new_refresh_token,
    token_digest,
    totp_valid,
    verify_secret,
)
from viva_desktop.sandbox.views import as_dict, fetch_one, user_object

router = Router()

# A valid 1x1 PNG: the sandbox has no QR encoder; the `secret` is what an authenticator needs.
_QR_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def _audit(ctx: Ctx, user_id: str | None, action: str) -> None:
    ctx.conn.execute(
        db.audit_log.insert().values(
            audit_row(user_id=user_id, action=action, entity="User", entity_id=user_id)
        )
    )


def issue_tokens(ctx: Ctx, user_id: str) -> dict:
    """`{access_token, refresh_token, user}`; the refresh token is stored as a digest only."""
    user = user_object(ctx.conn, user_id)
    if user is None:
        raise DatabaseError("user vanished")
    refresh = new_refresh_token()
    ctx.conn.execute(
        db.refresh_tokens.insert().values(
            id=new_id(),
            token=token_digest(refresh),
            userId=user_id,
            expiresAt=iso(utcnow() + timedelta(days=ctx.state.config.refresh_token_days)),
            createdAt=now_iso(),
            revokedAt=None,
        )
    )
    access = ctx.state.tokens.access_token(user_id, user["email"], user["role"])
    return {"access_token": access, "refresh_token": refresh, "user": user}


@router.post("/auth/register", dto=dtos.REGISTER, throttle=(3, 3_600_000))
def register(ctx: Ctx) -> dict:
    """Create a CITIZEN account; a duplicate e-mail or phone is a 500 upstream (409 when fixed)."""
    body = ctx.body
    users = db.users.c
    clash = sa.or_(
        users.email == body["email"], *([users.phone == body["phone"]] if body.get("phone") else [])
    )
    if ctx.conn.execute(sa.select(users.id).where(clash)).first():
        if ctx.defects:
            raise DatabaseError("Unique constraint failed on the fields: (`email`)")
        raise HttpError(409, "User with this email already exists")
    row = user_row(
        email=body["email"],
        name=body["name"],
        password_hash=hash_secret(body["password"]),
        phone=body.get("phone"),
    )
    ctx.conn.execute(db.users.insert().values(row))
    _audit(ctx, row["id"], "register")
    return issue_tokens(ctx, row["id"])


def _use_backup_code(ctx: Ctx, user: dict, code: str) -> bool:
    remaining = list(user["backupCodes"] or [])
    for stored in remaining:
        if verify_secret(code.upper(), stored):
            remaining.remove(stored)
            ctx.conn.execute(
                db.users.update().where(db.users.c.id == user["id"]).values(backupCodes=remaining)
            )
            return True
    return False


@router.post("/auth/login", throttle=(5, 900_000))
def login(ctx: Ctx) -> dict:
    """Exact, case-sensitive e-mail match; with 2FA on, a second call carries `twoFactorToken`."""
    body = ctx.body_dict()
    email, password = body.get("email"), body.get("password")
    if not email or not password or not isinstance(email, str):
        raise Unauthorized()  # the password strategy fails before any lookup
    found = ctx.conn.execute(sa.select(db.users).where(db.users.c.email == email)).first()
    user = as_dict(found) if found else None
    if user is None or not verify_secret(str(password), user["password"]):
        _audit(ctx, user["id"] if user else None, "failed_login")
        ctx.unit.finish(commit=True)  # the failed attempt is logged even though we answer 401
        raise Unauthorized("Invalid credentials")
    if user["twoFactorEnabled"]:
        code = body.get("twoFactorToken")
        if code in (None, ""):
            return {
                "requires2FA": True,
                "temporaryToken": ctx.state.tokens.temporary_token(user["id"]),
            }
        code = str(code)
        if not (totp_valid(user["twoFactorSecret"], code) or _use_backup_code(ctx, user, code)):
            raise Unauthorized("Invalid 2FA code")
    ctx.conn.execute(
        db.users.update().where(db.users.c.id == user["id"]).values(lastActiveAt=now_iso())
    )
    _audit(ctx, user["id"], "login")
    return issue_tokens(ctx, user["id"])


def _active_refresh(ctx: Ctx) -> dict:
    token = ctx.body_dict().get("refresh_token")
    if not isinstance(token, str) or not token:
        raise Unauthorized("Invalid refresh token")
    rt = db.refresh_tokens.c
    found = ctx.conn.execute(
        sa.select(db.refresh_tokens).where(
            rt.token == token_digest(token), rt.revokedAt.is_(None), rt.expiresAt > now_iso()
        )
    ).first()
    if found is None:
        raise Unauthorized("Invalid refresh token")
    return as_dict(found)


@router.post("/auth/refresh", throttle=(30, 60_000))
def refresh(ctx: Ctx) -> dict:
    """Rotation: the presented refresh token is revoked and a new pair is issued."""
    stored = _active_refresh(ctx)
    ctx.conn.execute(
        db.refresh_tokens.update()
        .where(db.refresh_tokens.c.id == stored["id"])
        .values(revokedAt=now_iso())
    )
    _audit(ctx, stored["userId"], "token_refresh")
    return issue_tokens(ctx, stored["userId"])


@router.post("/auth/logout")
def logout(ctx: Ctx) -> dict:
    stored = _active_refresh(ctx)
    ctx.conn.execute(
        db.refresh_tokens.update()
        .where(db.refresh_tokens.c.id == stored["id"])
        .values(revokedAt=now_iso())
    )
    _audit(ctx, stored["userId"], "logout")
    return {"message": "Logged out successfully"}


def _me(ctx: Ctx) -> dict:
    found = fetch_one(ctx.conn, db.users, ctx.user_id)
    if found is None:
        raise NotFound("Usuario no encontrado")
    return found


@router.get("/auth/email-verification-status", auth=True)
def email_verification_status(ctx: Ctx) -> dict:
    verified = bool(_me(ctx)["emailVerified"])
    message = "Email verificado" if verified else "Email pendiente de verificación"
    return {"emailVerified": verified, "message": message}


@router.get("/auth/2fa/status", auth=True)
def two_factor_status(ctx: Ctx) -> dict:
    return {"twoFactorEnabled": bool(_me(ctx)["twoFactorEnabled"])}


@router.post("/auth/2fa/setup", auth=True)
def two_factor_setup(ctx: Ctx) -> dict:
    """A new secret and backup codes; nothing is stored until `/auth/2fa/enable`."""
    user = _me(ctx)
    if user["twoFactorEnabled"]:
        raise BadRequest("2FA is already enabled for this user")
    secret = pyotp.random_base32()
    return {
        "secret": secret,
        "qrCodeUrl": f"data:image/png;base64,{_QR_PNG}",
        "backupCodes": new_backup_codes(),
    }


@router.post("/auth/2fa/enable", auth=True)
def two_factor_enable(ctx: Ctx) -> dict:
    body = ctx.body_dict()
    secret, codes = body.get("secret"), body.get("backupCodes")
    if not isinstance(secret, str) or not totp_valid(secret, body.get("token")):
        raise Unauthorized("Invalid verification code")
    codes = [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []
    ctx.conn.execute(
        db.users.update()
        .where(db.users.c.id == ctx.user_id)
        .values(
            twoFactorEnabled=True,
            twoFactorSecret=secret,
            backupCodes=[hash_secret(c.upper()) for c in codes],
        )
    )
    return {"message": "2FA enabled successfully"}


def _check_current_code(ctx: Ctx) -> dict:
    user = _me(ctx)
    if not user["twoFactorEnabled"]:
        raise BadRequest("2FA is not enabled")
    if not totp_valid(user["twoFactorSecret"], ctx.body_dict().get("token")):
        raise Unauthorized("Invalid verification code")
    return user


@router.post("/auth/2fa/disable", auth=True)
def two_factor_disable(ctx: Ctx) -> dict:
    user = _check_current_code(ctx)
    ctx.conn.execute(
        db.users.update()
        .where(db.users.c.id == user["id"])
        .values(twoFactorEnabled=False, twoFactorSecret=None, backupCodes=[])
    )
    return {"message": "2FA disabled successfully"}


@router.post("/auth/2fa/regenerate-backup-codes", auth=True)
def two_factor_regenerate(ctx: Ctx) -> dict:
    user = _check_current_code(ctx)
    codes = new_backup_codes()
    ctx.conn.execute(
        db.users.update()
        .where(db.users.c.id == user["id"])
        .values(backupCodes=[hash_secret(c) for c in codes])
    )
    return {"backupCodes": codes}
