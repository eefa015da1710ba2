"""The request DTOs of the real server, with the rules listed per endpoint in the contract."""

from __future__ import annotations

import re

from viva_desktop.sandbox import enums
from viva_desktop.sandbox.validation import Dto, Field, optional

PHONE = re.compile(r"^\+?[1-9]\d{1,14}$")

REGISTER: Dto = {
    "name": Field("string", required=True, min_length=2),
    "email": Field("email", required=True),
    "phone": Field("string", pattern=PHONE),
    "password": Field("string", required=True, min_length=6),
}

UPDATE_USER: Dto = {
    "name": Field("string"),
    "bio": Field("string"),
    "avatar": Field("string"),
    "address": Field("string"),
    "neighborhood": Field("string"),
    "lat": Field("number", min=-90, max=90),
    "lng": Field("number", min=-180, max=180),
    "interests": Field("strings"),
}

CREATE_OFFER: Dto = {
    "title": Field("string", required=True),
    "description": Field("string", required=True),
    "category": Field("string", required=True),
    "type": Field("enum", required=True, choices=enums.OFFER_TYPES),
    "priceEur": Field("number", min=0),
    "priceCredits": Field("number", min=0),
    "stock": Field("number", min=0),
    "lat": Field("number"),
    "lng": Field("number"),
    "address": Field("string"),
    "tags": Field("strings"),
    "images": Field("array"),
}
UPDATE_OFFER: Dto = optional(CREATE_OFFER)

CREATE_EVENT: Dto = {
    "title": Field("string", required=True),
    "description": Field("string", required=True),
    "startsAt": Field("date", required=True),
    "endsAt": Field("date"),
    "address": Field("string", required=True),
    "lat": Field("number", required=True),
    "lng": Field("number", required=True),
    "capacity": Field("number", min=1),
    "category": Field("string"),
    "type": Field("enum", choices=enums.EVENT_DTO_TYPES),
    "creditsReward": Field("number", min=0),
    "tags": Field("strings"),
    "requirements": Field("strings"),
    "communityId": Field("string"),
    "offerId": Field("string"),
    "image": Field("string"),
}
UPDATE_EVENT: Dto = optional(CREATE_EVENT)

CREATE_POST: Dto = {  # the /posts module's variant
    "content": Field("string", required=True),
    "type": Field("enum", required=True, choices=enums.POST_TYPES),
    "images": Field("strings"),
    "visibility": Field("enum", choices=enums.VISIBILITIES),
    "tags": Field("strings"),
    "mentions": Field("strings"),
    "relatedOfferId": Field("uuid"),
    "lat": Field("number"),
    "lng": Field("number"),
}

CREATE_SOCIAL_POST: Dto = {  # the /social module's variant
    "content": Field("string", required=True, not_empty=True, max_length=5000),
    "type": Field("enum", choices=enums.POST_TYPES),
    "media": Field("strings"),
    "location": Field("string"),
    "visibility": Field("enum", choices=enums.VISIBILITIES),
    "relatedOfferId": Field("string"),
    "relatedEventId": Field("string"),
    "tags": Field("strings"),
}
UPDATE_SOCIAL_POST: Dto = optional(CREATE_SOCIAL_POST)

CREATE_COMMENT: Dto = {"content": Field("string", required=True, not_empty=True, max_length=1000)}
CREATE_REACTION: Dto = {"type": Field("enum", required=True, choices=enums.REACTION_TYPES)}

GRANT_CREDITS: Dto = {
    "userId": Field("string", required=True),
    "amount": Field("number", required=True, min=1),
    "reason": Field("enum", required=True, choices=enums.CREDIT_REASONS),
    "relatedId": Field("string"),
    "description": Field("string"),
}
SPEND_CREDITS: Dto = {k: v for k, v in GRANT_CREDITS.items() if k != "userId"}

CREATE_COMMUNITY: Dto = {
    "slug": Field("string", required=True),
    "name": Field("string", required=True),
    "description": Field("string"),
    "logo": Field("string"),
    "bannerImage": Field("string"),
    "location": Field("string"),
    "lat": Field("number"),
    "lng": Field("number"),
    "radiusKm": Field("number"),
    "type": Field("enum", required=True, choices=enums.COMMUNITY_TYPES),
    "visibility": Field("enum", required=True, choices=enums.COMMUNITY_VISIBILITIES),
    "requiresApproval": Field("boolean"),
    "allowExternalOffers": Field("boolean"),
    "primaryColor": Field("string"),
    "language": Field("string"),
    "currency": Field("string"),
    "onboardingPack": Field("object"),
}
UPDATE_COMMUNITY: Dto = optional(CREATE_COMMUNITY)
