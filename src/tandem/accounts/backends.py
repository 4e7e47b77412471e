"""How a signed-in user is read on each request: with their membership, in one query.

Nearly every page asks next which organisation the user is in, as whom and in what role
(:func:`tandem.access.membership_of`); reading the membership, its organisation and its person
with the user saves that second query on every signed-in request. Passwords are checked
exactly as by Django's ``ModelBackend``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from tandem.accounts.models import User

MEMBER_BACKEND = "tandem.accounts.backends.MemberBackend"
"""The backend to name when signing someone in without a password (SSO, invitations)."""


class MemberBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related("membership__organisation", "membership__person")
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
