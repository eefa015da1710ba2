"""`/users` (contract §6.1). There is no user list, role change, ban or delete."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.inputs import Payload
from viva_desktop.services.remote.api.models.users import UserProfile, UserSummary
from viva_desktop.services.remote.api.resources.base import Resource, seg


class UsersResource(Resource):
    def get(self, user_id: str, *, cancel: CancelToken | None = None) -> UserProfile:
        """`NotFound` for an unknown id, which the server answers with an empty 200 (D4)."""
        response = self._get(f"/users/{seg(user_id)}", cancel=cancel)
        return self._one(UserProfile, response, empty_is_not_found=True)

    def update(
        self, user_id: str, dto: Payload, *, cancel: CancelToken | None = None
    ) -> UserProfile:
        """Yourself, or anyone as ADMIN; the reply's password hash is dropped by the model."""
        response = self._write("PUT", f"/users/{seg(user_id)}", dto, cancel=cancel)
        return self._one(UserProfile, response)

    def find_by_email(self, email: str, *, cancel: CancelToken | None = None) -> UserSummary | None:
        """Exact, case-insensitive match; None when nobody has that address."""
        response = self._get(f"/users/search/email/{seg(email)}", cancel=cancel)
        if response.data is None and response.empty:
            return None
        return self._one(UserSummary, response)
