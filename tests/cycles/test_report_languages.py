"""A released report is read in its reader's language, with the same numbers in every one."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tandem.cycles.models import Report
from tandem.cycles.reporting.rendered import rendered, reports_render
from tandem.measure import load_instrument
from tests.conftest import Personas
from tests.cycles.builders import released_participant

NUMBER = re.compile(r"\d+[.,]\d+")


def numbers(html: str) -> list[str]:
    """Every decimal in the page, written the English way (German and Spanish use commas)."""
    return [found.replace(",", ".") for found in NUMBER.findall(html)]


def test_the_kept_rendering_is_in_the_participants_language(personas: Personas) -> None:
    personas.employee.language = "es"
    personas.employee.save()
    participant = released_participant(personas)
    reports_render([participant])
    report = Report.objects.get(participant=participant)
    spanish = load_instrument("tandem-lm-1", language="es")
    assert spanish.scales[0].name in report.body_html
    english = rendered(participant, report, "en-gb")
    assert not english.kept() and english.key != report.body_key


def test_a_reader_in_another_language_gets_theirs_with_the_same_numbers(
    personas: Personas,
) -> None:
    personas.employee.language = "de"
    personas.employee.save()
    participant = released_participant(personas)
    url = reverse("cycles:report", args=[participant.pk])
    employee = Client()
    employee.force_login(personas.employee)
    german = employee.get(url).content.decode()
    manager = Client()
    manager.force_login(personas.manager)
    english = manager.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert load_instrument("tandem-lm-1", language="de").scales[0].name in german
    assert load_instrument("tandem-lm-1").scales[0].name in english
    # The same figures, though a sentence may put them in another order in German.
    assert sorted(numbers(german)) == sorted(numbers(english)) and len(numbers(english)) > 20
    # The manager's English rendering is not kept: the participant's German one stays.
    report = Report.objects.get(participant=participant)
    assert report.body_key == rendered(participant, report).key
    assert 'lang="de"' in german and 'lang="en-gb"' in english
