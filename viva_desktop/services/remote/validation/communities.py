"""Requests about communities: creating and editing one, and deciding on membership requests."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.remote.validation.choices import (
    ORGANIZED_COMMUNITY_TYPES,
    WEB_CURRENCIES,
    WEB_LANGUAGES,
    CommunityType,
    CommunityVisibility,
    MembershipAction,
)
from viva_desktop.services.remote.validation.fields import (
    CHOICE,
    LOWER_CASE,
    Boolean,
    Group,
    Latitude,
    Longitude,
    MultilineText,
    Number,
    Text,
    Url,
    warn,
)
from viva_desktop.services.remote.validation.form import Form, Request, check
from viva_desktop.services.remote.validation.messages import (
    Message,
    choose_one_of,
    group_expected,
    undeclared,
)
from viva_desktop.services.remote.validation.parsing import slugify
from viva_desktop.services.remote.validation.result import ValidationResult

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _slug_hint(slug: str, info: ValidationInfo) -> str:
    if not _SLUG.match(slug):
        warn(
            info,
            translate(
                "Validation",
                "Slugs work best as lower-case words joined by hyphens, e.g. “{suggestion}”. "
                "Each slug can be used once only.",
            ).format(suggestion=slugify(slug) or "mi-barrio"),
        )
    return slug


def _colour_hint(colour: str, info: ValidationInfo) -> str:
    if not _COLOR.match(colour):
        warn(info, translate("Validation", "Use a colour like #4CAF50."))
    return colour


def _offered_by_the_web_app(
    values: tuple[str, ...], convert: Callable[[str], str]
) -> AfterValidator:
    """Convert the case; point out a value the web application does not offer."""

    def hint(value: str, info: ValidationInfo) -> str:
        value = convert(value)
        if value not in values:
            warn(
                info,
                translate("Validation", "The web application offers: {choices}.").format(
                    choices=", ".join(values)
                ),
            )
        return value

    return AfterValidator(hint)


Slug = Annotated[Text, AfterValidator(_slug_hint)]
Colour = Annotated[Text, AfterValidator(_colour_hint)]
Language = Annotated[Text, _offered_by_the_web_app(WEB_LANGUAGES, str.lower)]
Currency = Annotated[Text, _offered_by_the_web_app(WEB_CURRENCIES, str.upper)]


class Community(Request):
    """`POST /communities` (CreateCommunityDto); `PUT /communities/{id}` checks it partially."""

    slug: Slug
    name: Text
    type: Annotated[CommunityType, CHOICE]
    visibility: Annotated[CommunityVisibility, CHOICE]
    description: MultilineText = None
    logo: Url = None
    bannerImage: Url = None
    location: Text = None
    lat: Latitude = None
    lng: Longitude = None
    radiusKm: Annotated[Number, Field(gt=0)] = None
    requiresApproval: Boolean = None
    allowExternalOffers: Boolean = None
    primaryColor: Colour = None
    language: Language = None
    currency: Currency = None
    onboardingPack: Group = Field(None, exclude=True)
    """`{type, setupData?}`: checked by `_onboarding_pack` (its keys have their own messages)."""


# After the first 30 days these change only through a COMMUNITY_UPDATE proposal.
_COMMUNITY_SUBSTANTIAL = (
    "name",
    "slug",
    "type",
    "visibility",
    "requiresApproval",
    "allowExternalOffers",
)


def validate_community(
    dto: Mapping[str, Any], *, partial: bool = False, in_bootstrap: bool | None = None
) -> ValidationResult:
    """`POST /communities` (CreateCommunityDto), or `PUT /communities/{id}` with `partial`.

    For updates, `in_bootstrap` says whether the community is still in its first 30 days:
    afterwards name, slug, type, visibility and the two admission switches can only change
    through a COMMUNITY_UPDATE proposal, and the server refuses them with a 400.
    """
    form = check(Community, dto, partial=partial)
    _onboarding_pack(form)
    if partial:
        _substantial_changes(form, in_bootstrap)
    return form.result(require_something=partial)


def _onboarding_pack(form: Form) -> None:
    pack = form.values.get("onboardingPack")
    if pack is None:
        return
    kind = pack.get("type")
    if not isinstance(kind, str) or kind.strip().upper() not in ORGANIZED_COMMUNITY_TYPES:
        form.error("onboardingPack.type", choose_one_of(ORGANIZED_COMMUNITY_TYPES))
        return
    cleaned: dict[str, Any] = {"type": kind.strip().upper()}
    setup = pack.get("setupData")
    if setup is not None:
        if not isinstance(setup, Mapping):
            form.error("onboardingPack.setupData", group_expected())
            return
        cleaned["setupData"] = dict(setup)
    for extra in set(pack) - {"type", "setupData"}:
        form.warn(f"onboardingPack.{extra}", undeclared())
    form.cleaned["onboardingPack"] = cleaned


def _substantial_changes(form: Form, in_bootstrap: bool | None) -> None:
    for name in [name for name in _COMMUNITY_SUBSTANTIAL if name in form.cleaned]:
        if in_bootstrap is False:
            form.error(
                name,
                translate(
                    "Validation",
                    "After the first 30 days this can only change through a "
                    "COMMUNITY_UPDATE proposal.",
                ),
            )
        elif in_bootstrap is None:
            form.warn(
                name,
                translate(
                    "Validation",
                    "Only founders may change this, and only in the community's first "
                    "30 days; later it needs a COMMUNITY_UPDATE proposal.",
                ),
            )


class MembershipDecision(Request):
    """Approving or rejecting a membership request; `action` picks the route, not sent."""

    action: Annotated[
        MembershipAction,
        LOWER_CASE,
        Message(QT_TRANSLATE_NOOP("Validation", "Choose approve or reject.")),
    ] = Field(exclude=True)
    reviewNote: MultilineText = None


def validate_membership_decision(dto: Mapping[str, Any]) -> ValidationResult:
    """Approving or rejecting a membership request: `{action: "approve"|"reject", reviewNote?}`.

    `action` picks the route (`POST .../approve` or `.../reject`); only `reviewNote` is sent.
    """
    form = check(MembershipDecision, dto)
    if form.values.get("action") == "reject" and not form.values.get("reviewNote"):
        form.warn(
            "reviewNote",
            translate("Validation", "A short note helps the person understand the decision."),
        )
    return form.result()
