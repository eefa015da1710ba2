"""Moderation by juries (`/consensus/moderation`, contract §6.11): there is no admin queue."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.misc import ModerationCase, ModerationVote
from viva_desktop.services.remote.api.resources.base import Resource, query, seg


class ModerationResource(Resource):
    def pending(self, *, cancel: CancelToken | None = None) -> list[ModerationCase]:
        """Cases where the caller is a juror and has not voted yet, soonest deadline first."""
        response = self._get("/consensus/moderation/pending", cancel=cancel)
        return self._many(ModerationCase, response)

    def vote(
        self,
        case_id: str,
        decision: str,
        reason: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> ModerationVote:
        """`decision` is KEEP, REMOVE or WARN; a second vote is refused with 400."""
        response = self._write(
            "POST",
            f"/consensus/moderation/{seg(case_id)}/vote",
            query(decision=decision, reason=reason),
            cancel=cancel,
            idempotent=True,  # a repeat is refused ("Ya has votado"), never counted twice
        )
        return self._one(ModerationVote, response)

    def report(
        self,
        content_id: str,
        content_type: str,
        reason: str,
        *,
        cancel: CancelToken | None = None,
    ) -> ModerationCase:
        """Open a case; `content_type` is POST, OFFER, COMMENT, MESSAGE, REVIEW, COMMUNITY,
        EVENT or TIMEBANK."""
        body = {"contentId": content_id, "contentType": content_type, "reason": reason}
        response = self._write("POST", "/consensus/moderation", body, cancel=cancel)
        return self._one(ModerationCase, response)
