"""The language an email is written in: the recipient's own choice, else their organisation's.

An email is worded when it is queued, often during someone else's request (an admin launching
a cycle): so the request's language must never leak into it. Word each email inside
``translation.override(language)`` with the language found here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from tandem.accounts.models import User
from tandem.people.models import Organisation
from tandem.web.language import supported_languages


def recipient_languages(
    *, organisation: Organisation | None, emails: Iterable[str]
) -> dict[str, str]:
    """Each address's language, in one query: the account's chosen language where the address
    has an account that chose one, else the organisation's default."""
    wanted = {email.lower() for email in emails if email}
    default = organisation_language(organisation)
    chosen = dict(
        User.objects.filter(email__in=wanted).exclude(language="").values_list("email", "language")
    )
    supported = {code for code, _name in settings.LANGUAGES}
    return {email: chosen[email] if chosen.get(email) in supported else default for email in wanted}


def recipient_language(*, organisation: Organisation | None, email: str) -> str:
    return recipient_languages(organisation=organisation, emails=[email]).get(
        email.lower(), organisation_language(organisation)
    )


def organisation_language(organisation: Organisation | None) -> str:
    if organisation is not None and organisation.language in supported_languages():
        return organisation.language
    return settings.LANGUAGE_CODE
