"""A cycle launches only with a questionnaire in every language it needs."""

from __future__ import annotations

import pytest

from tandem.cycles.instruments import instrument_copy, instrument_default_install, instrument_update
from tandem.cycles.models import CycleStatus
from tandem.cycles.services import CycleError, cycle_create, cycle_launch
from tests.conftest import Personas
from tests.cycles.builders import TODAY, launched_cycle
from tests.cycles.test_instrument_editor import MINI


def english_only(p: Personas):  # type: ignore[no-untyped-def]
    shipped = instrument_default_install(organisation=p.organisation, actor=None)
    copy = instrument_copy(version=shipped, name="English only", actor=None)
    return instrument_update(version=copy, name="English only", text=MINI, actor=None)


def draft(p: Personas, instrument):  # type: ignore[no-untyped-def]
    import datetime as dt

    from tandem.cycles.models import CycleScope

    return cycle_create(
        organisation=p.organisation,
        name="Spring 360",
        instrument=instrument,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=14),
        actor=p.hr,
        scope=CycleScope.CHOSEN,
        chosen=[p.employee_person],
    )


def test_a_participant_who_reads_spanish_needs_a_spanish_questionnaire(
    personas: Personas,
) -> None:
    personas.employee.language = "es"
    personas.employee.save()
    cycle = draft(personas, english_only(personas))
    with pytest.raises(CycleError) as refused:
        cycle_launch(cycle=cycle, actor=personas.hr)
    assert str(refused.value).startswith("“English only” has no text in Español")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT and not cycle.participants.exists()


def test_the_organisations_language_is_needed_too(personas: Personas) -> None:
    personas.organisation.language = "de"
    personas.organisation.save()
    with pytest.raises(CycleError, match="no text in Deutsch"):
        cycle_launch(cycle=draft(personas, english_only(personas)), actor=personas.hr)


def test_the_shipped_questionnaire_has_every_language(personas: Personas) -> None:
    personas.employee.language = "ar"
    personas.employee.save()
    personas.organisation.language = "es"
    personas.organisation.save()
    assert launched_cycle(personas).status == CycleStatus.OPEN
