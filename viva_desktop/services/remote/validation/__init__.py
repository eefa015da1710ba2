"""The server's rules for every writable body, declared as tables and checked before sending.

The server answers any invalid body with a bare 400 "Bad Request Exception" (contract 3.3, D7),
so the forms cannot learn from it which field was wrong. Each request's rules are a pydantic
model read as a table (`accounts`, `communities`, `content`, `decisions`), made of the field
kinds of `fields`, with the enums and limits of `choices`; `form.check` runs a body through
its table. Each `validate_*` function returns a `ValidationResult`:

* `cleaned`: what to send. Text is cleaned (`sanitize.clean_text`), values have real JSON types
  (the string "false" would become `true` on the server), and only declared fields remain:
  the server rejects an undeclared field with a 400, so extra keys are dropped with a warning.
* `errors`: field → message; any error blocks the submission.
* `warnings`: field → message; shown, but the user may go ahead (for example text after a `<`
  that the server will cut off, or a plain `http://` link).

Messages go through `translate("Validation", ...)`. Form-wide messages use the key `FORM`.
"""

from __future__ import annotations

from viva_desktop.services.remote.validation.accounts import (
    validate_login,
    validate_register,
    validate_user_update,
)
from viva_desktop.services.remote.validation.choices import (
    COMMENT_MAX,
    COMMUNITY_TYPES,
    COMMUNITY_VISIBILITIES,
    CREDIT_DAILY_LIMITS,
    CREDIT_REASONS,
    EVENT_DTO_TYPES,
    INT32_MAX,
    LARGE_GRANT,
    MODERATION_CONTENT_TYPES,
    MODERATION_DECISIONS,
    NAME_MIN,
    OFFER_TYPES,
    ORGANIZED_COMMUNITY_TYPES,
    PASSWORD_MIN,
    POOL_REQUEST_STATUSES,
    POST_TYPES,
    POST_VISIBILITIES,
    SOCIAL_POST_MAX,
    USER_ROLES,
    WEB_CURRENCIES,
    WEB_LANGUAGES,
)
from viva_desktop.services.remote.validation.communities import (
    validate_community,
    validate_membership_decision,
)
from viva_desktop.services.remote.validation.content import (
    validate_comment,
    validate_event,
    validate_offer,
    validate_post,
    validate_social_post,
)
from viva_desktop.services.remote.validation.decisions import (
    validate_grant,
    validate_moderation_report,
    validate_moderation_vote,
    validate_pool_decision,
)
from viva_desktop.services.remote.validation.parsing import iso_utc, slugify
from viva_desktop.services.remote.validation.result import FORM, ValidationResult, ensure_valid

__all__ = [
    "COMMENT_MAX",
    "COMMUNITY_TYPES",
    "COMMUNITY_VISIBILITIES",
    "CREDIT_DAILY_LIMITS",
    "CREDIT_REASONS",
    "EVENT_DTO_TYPES",
    "FORM",
    "INT32_MAX",
    "LARGE_GRANT",
    "MODERATION_CONTENT_TYPES",
    "MODERATION_DECISIONS",
    "NAME_MIN",
    "OFFER_TYPES",
    "ORGANIZED_COMMUNITY_TYPES",
    "PASSWORD_MIN",
    "POOL_REQUEST_STATUSES",
    "POST_TYPES",
    "POST_VISIBILITIES",
    "SOCIAL_POST_MAX",
    "USER_ROLES",
    "WEB_CURRENCIES",
    "WEB_LANGUAGES",
    "ValidationResult",
    "ensure_valid",
    "iso_utc",
    "slugify",
    "validate_comment",
    "validate_community",
    "validate_event",
    "validate_grant",
    "validate_login",
    "validate_membership_decision",
    "validate_moderation_report",
    "validate_moderation_vote",
    "validate_offer",
    "validate_pool_decision",
    "validate_post",
    "validate_register",
    "validate_social_post",
    "validate_user_update",
]
