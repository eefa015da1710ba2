"""Audit of a Comunidad Viva server `.env` file, before the server trips over it.

The rules are the server's own start-up checks (contract section 8), read the way the server
reads the file (dotenv 16: the last duplicate wins, an unquoted `#` starts a comment), plus the
traps the contract documents: S3 settings under the `AWS_*` names the example file uses, a JWT
secret too short for the JWT module, development mode on a deployed server, refresh tokens that
are born expired. The result is the shared `AuditReport`, so the configuration page shows it
like the app's own configuration.
"""

from viva_desktop.services.admin.envaudit.audit import audit_env, audit_env_file, audit_env_text
from viva_desktop.services.admin.envaudit.masking import (
    MASK,
    EnvItem,
    is_secret_key,
    mask_value,
    masked_items,
)
from viva_desktop.services.admin.envaudit.parsing import ParsedEnv, ParseProblem, parse_env
from viva_desktop.services.admin.envaudit.rules import (
    AWS_TO_S3,
    MIN_JWT_SECRET,
    REQUIRED,
    RULES,
    S3_GROUP,
    S3_RECOMMENDED,
    SMTP_GROUP,
    SUMMARY_KEYS,
)
from viva_desktop.services.admin.envaudit.values import secret_strength_bits

__all__ = [
    "AWS_TO_S3",
    "MASK",
    "MIN_JWT_SECRET",
    "REQUIRED",
    "RULES",
    "S3_GROUP",
    "S3_RECOMMENDED",
    "SMTP_GROUP",
    "SUMMARY_KEYS",
    "EnvItem",
    "ParseProblem",
    "ParsedEnv",
    "audit_env",
    "audit_env_file",
    "audit_env_text",
    "is_secret_key",
    "mask_value",
    "masked_items",
    "parse_env",
    "secret_strength_bits",
]
