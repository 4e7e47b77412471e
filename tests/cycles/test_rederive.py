"""Reports released under the older rule are re-derived once from the anonymous sheets."""

from __future__ import annotations

import copy
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tandem.audit.models import AuditEvent
from tandem.cycles.models import Cycle, Participant, ReleasedAnswer, ReleasedSheet, Report
from tandem.cycles.rederive import cycle_rederive
from tests.conftest import Personas
from tests.cycles.builders import released_participant

pytestmark = pytest.mark.django_db(transaction=False)

MODELS = {
    "Participant": Participant,
    "Report": Report,
    "ReleasedSheet": ReleasedSheet,
    "ReleasedAnswer": ReleasedAnswer,
}


def _as_if_released_before(report: Report) -> dict:
    """The stored report as the older rule left it: no 'disclosure' key, and an item figure
    the new rule would not show (a made-up pooled figure standing in for the old leaks)."""
    fresh = copy.deepcopy(report.data)
    old = copy.deepcopy(report.data)
    del old["disclosure"]
    first = next(iter(old["items"]))
    old["items"][first].append({"label": "others", "groups": ["peer"], "n": 2, "mean": 1.5})
    old["scales"]["setting_direction"][-1]["mean"] = 9.99
    report.data = old
    report.save(update_fields=["data"])
    return fresh


def test_an_old_report_is_recomputed_from_the_anonymous_sheets(personas: Personas) -> None:
    participant = released_participant(personas)
    report = Report.objects.get(participant=participant)
    fresh = _as_if_released_before(report)
    cycle = Cycle.objects.get(pk=participant.cycle_id)
    assert cycle_rederive(cycle, models=MODELS) == 1
    report.refresh_from_db()
    assert report.data == fresh
    assert cycle_rederive(cycle, models=MODELS) == 0, "a second run changes nothing"


def test_the_migration_rederives_released_cycles_and_audits_it(personas: Personas) -> None:
    participant = released_participant(personas)
    report = Report.objects.get(participant=participant)
    fresh = _as_if_released_before(report)
    # The migration's own function, with the historical models of its place in the graph.
    loader = MigrationExecutor(connection).loader
    state = loader.project_state(("cycles", "0002_rederive_reports"))
    migration = import_module("tandem.cycles.migrations.0002_rederive_reports")
    migration.rederive(state.apps, None)
    report.refresh_from_db()
    assert report.data == fresh
    event = AuditEvent.objects.get(action="cycle.reports_rederive")
    assert event.changes["reports"] == 1 and event.actor_label == "system"
