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
        # A primary key needs no ORDER BY (``first()`` would add one, costly to compile).
        found = list(
            User._default_manager.select_related("membership__organisation", "membership__person")
            .filter(pk=user_id)
            .order_by()[:1]
        )
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]
