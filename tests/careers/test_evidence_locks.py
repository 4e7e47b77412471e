"""An endorsement, a case proposal or a link landing at the same moment as the author's edit or
deletion: the writers take the entry's row lock, so one waits for the other and the rules are
checked on what is stored when it is its turn.

The first test runs on every database. The ones with two transactions at once need PostgreSQL's
row locks (SQLite has one writer at a time and no SELECT ... FOR UPDATE), so they run in the
PostgreSQL pass of ``make test``.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from tandem.careers.models import Evidence, PromotionCase
from tandem.careers.services import (
    CareersError,
    case_argue,
    case_open,
    case_propose,
    evidence_delete,
    evidence_endorse,
    evidence_log,
    evidence_update,
    framework_default_install,
)
from tests.conftest import Personas

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two transactions at once need PostgreSQL"
)


def _entry(p: Personas) -> Evidence:
    return evidence_log(
        person=p.employee_person,
        what="Ran the incident review",
        happened_on=datetime.date(2026, 3, 1),
        criteria=[],
        actor=None,
    )


def _rewrite(entry: Evidence, actor: object) -> None:
    evidence_update(
        evidence=entry,
        what="Led the incident review",
        happened_on=entry.happened_on,
        actor=actor,
    )


def _draft_case(p: Personas, entry: Evidence) -> PromotionCase:
    version = framework_default_install(organisation=p.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=3)
    case = case_open(candidate=p.employee_person, target_level=level, actor=None)
    case_argue(
        case=case,
        criterion=level.criteria.first(),  # type: ignore[arg-type]
        text="Does this consistently.",
        evidence=[entry],
        author=p.manager_person,
        actor=None,
    )
    return case


def test_an_endorsement_given_after_the_entry_was_loaded_still_stops_the_edit(
    personas: Personas,
) -> None:
    entry = _entry(personas)
    loaded = Evidence.objects.prefetch_related("endorsements").get(pk=entry.pk)
    assert list(loaded.endorsements.all()) == []  # what the edit page saw
    evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
    with pytest.raises(CareersError, match="has been endorsed"):
        _rewrite(loaded, personas.employee)
    assert Evidence.objects.get(pk=entry.pk).what == "Ran the incident review"


# --- two transactions at once (PostgreSQL) ---------------------------------------------------


class _Transaction(threading.Thread):
    """Runs ``write`` in its own transaction on its own connection. With ``hold`` it keeps the
    transaction open after writing until ``finish()`` is called; ``outcome`` is "done" or the
    error's message."""

    def __init__(self, write: Callable[[], object], hold: bool = False) -> None:
        super().__init__(daemon=True)
        self.write, self.hold = write, hold
        self.written, self.release = threading.Event(), threading.Event()
        self.outcome = ""

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.write()
                self.written.set()
                if self.hold:
                    self.release.wait(30)
            self.outcome = "done"
        except Exception as error:  # the outcome is what the test checks
            self.outcome = str(error)
        finally:
            self.written.set()
            connections.close_all()

    def finish(self) -> str:
        self.release.set()
        self.join(30)
        return self.outcome


def _race(first: Callable[[], object], second: Callable[[], object]) -> tuple[str, str]:
    """``first`` writes and keeps its transaction open; ``second`` starts meanwhile and must wait
    for it rather than act on what was there before. Returns both outcomes."""
    holder = _Transaction(first, hold=True)
    holder.start()
    assert holder.written.wait(30)
    waiter = _Transaction(second)
    waiter.start()
    waiter.join(1.0)
    blocked = waiter.is_alive()
    first_outcome = holder.finish()
    waiter.join(30)
    assert first_outcome == "done"
    assert blocked, f"the second writer went ahead without waiting for the first: {waiter.outcome}"
    return first_outcome, waiter.outcome


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_waits_for_an_endorsement_in_flight_and_is_then_refused(
    personas: Personas,
) -> None:
    entry = _entry(personas)
    _, edit = _race(
        lambda: evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None),
        lambda: _rewrite(entry, personas.employee),
    )
    assert "has been endorsed" in edit
    assert Evidence.objects.get(pk=entry.pk).what == "Ran the incident review"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_and_a_deletion_wait_for_a_proposal_in_flight_and_are_then_refused(
    personas: Personas,
) -> None:
    entry = _entry(personas)
    case = _draft_case(personas, entry)
    _, edit = _race(
        lambda: case_propose(case=case, actor=None),
        lambda: _rewrite(entry, personas.employee),
    )
    assert "part of a case under review" in edit
    assert Evidence.objects.get(pk=entry.pk).what == "Ran the incident review"
    with pytest.raises(CareersError, match="part of a case under review"):
        evidence_delete(evidence=entry, actor=personas.employee)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_linking_an_entry_being_deleted_waits_and_then_says_so(personas: Personas) -> None:
    entry = _entry(personas)
    case = _draft_case(personas, _entry(personas))
    criterion = case.target_level.criteria.first()
    _, link = _race(
        # Its own copy: delete() clears the pk of the instance it is given.
        lambda: evidence_delete(
            evidence=Evidence.objects.get(pk=entry.pk), actor=personas.employee
        ),
        lambda: case_argue(
            case=case,
            criterion=criterion,  # type: ignore[arg-type]
            text="Also this.",
            evidence=[entry],
            author=personas.manager_person,
            actor=None,
        ),
    )
    assert "deleted by its author" in link
    assert not Evidence.objects.filter(pk=entry.pk).exists()
