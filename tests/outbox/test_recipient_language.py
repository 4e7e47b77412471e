"""An email is written in its recipient's language, never in the sender's."""

from __future__ import annotations

import pytest

from tandem.outbox.language import organisation_language, recipient_language, recipient_languages
from tests.factories import make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


def test_a_recipient_who_chose_a_language_gets_it_and_others_the_organisations() -> None:
    organisation = make_organisation()
    organisation.language = "de"
    organisation.save()
    chose = make_user(organisation, person=make_person(organisation, "Ana"), language="es")
    did_not = make_user(organisation, person=make_person(organisation, "Ben"))
    languages = recipient_languages(
        organisation=organisation,
        emails=[chose.email.upper(), did_not.email, "no.account@example.org"],
    )
    assert languages == {
        chose.email: "es",
        did_not.email: "de",
        "no.account@example.org": "de",
    }


def test_an_unknown_language_on_file_falls_back_to_a_supported_one() -> None:
    organisation = make_organisation()
    organisation.language = "tlh"
    organisation.save()
    user = make_user(organisation, language="xx")
    assert organisation_language(organisation) == "en-gb"
    assert recipient_language(organisation=organisation, email=user.email) == "en-gb"
    assert organisation_language(None) == "en-gb"
