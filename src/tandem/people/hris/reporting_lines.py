"""Reporting lines: every manager is in the file, nobody manages themselves, no loops."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from tandem.people.records import PersonRecord

if TYPE_CHECKING:
    from tandem.people.hris.validation import _Findings


def _check_managers(records: list[PersonRecord], findings: _Findings) -> None:
    ids = {record.employee_id for record in records if record.employee_id}
    names: dict[str, str] | None = None
    for record in records:
        manager_id = record.manager_id
        is_known = manager_id in ids and manager_id != record.employee_id
        if not manager_id or is_known:
            continue
        if manager_id == record.employee_id:
            findings.problem(
                gettext(
                    "'%(manager_id)s' is this person's own employee id, so they would manage "
                    "themselves. Give their manager's employee id, or leave it empty for the "
                    "person at the top."
                )
                % {"manager_id": manager_id},
                code="own_manager",
                row=record.row,
                on="manager_id",
            )
            continue
        if names is None:
            names = {r.name.casefold(): r.employee_id for r in records if r.name}
        if manager_id.casefold() in names:
            message = gettext(
                "Manager id '%(manager_id)s' is not the employee id of anyone in this file. Every "
                "manager must be in the file too: check for a typo. It is the name of the person "
                "with employee id '%(employee_id)s': this column should hold managers' employee "
                "ids, not their names."
            ) % {"manager_id": manager_id, "employee_id": names[manager_id.casefold()]}
        else:
            message = gettext(
                "Manager id '%(manager_id)s' is not the employee id of anyone in this file. Every "
                "manager must be in the file too: check for a typo."
            ) % {"manager_id": manager_id}
        findings.problem(
            message,
            code="unknown_manager",
            row=record.row,
            on="manager_id",
        )


def find_reporting_loops(manager_of: Mapping[str, str]) -> list[list[str]]:
    """Every loop in reporting lines, each as the ids in reporting order, in linear time.

    ``manager_of`` maps an employee id to their manager's. Each person is walked up once: a
    walk that meets a person already on the current walk has found a loop; a walk that meets a
    person finished earlier stops there.

    >>> find_reporting_loops({"a": "b", "b": "c", "c": "a", "d": "a"})
    [['a', 'b', 'c']]
    """
    on_walk, finished = 1, 2
    state: dict[str, int] = {}
    loops: list[list[str]] = []
    for start in manager_of:
        walk: list[str] = []
        person: str | None = start
        while person is not None and person not in state:
            state[person] = on_walk
            walk.append(person)
            person = manager_of.get(person)
        if person is not None and state[person] == on_walk:
            loops.append(walk[walk.index(person) :])
        for walked in walk:
            state[walked] = finished
    return loops


LOOP_NAMES_SHOWN = 8


def _check_loops(records: list[PersonRecord], findings: _Findings) -> None:
    by_id: dict[str, PersonRecord] = {}
    for record in records:
        by_id.setdefault(record.employee_id, record)
    manager_of = {
        employee_id: record.manager_id
        for employee_id, record in by_id.items()
        if employee_id and record.manager_id in by_id and record.manager_id != employee_id
    }
    for loop in find_reporting_loops(manager_of):
        people = [by_id[employee_id] for employee_id in loop]
        described = _describe_loop(people)
        for person in people:
            findings.problem(
                gettext(
                    "Reporting lines go round in a loop: %(loop)s. Someone in this loop must "
                    "report to a person outside it (or to nobody, at the top)."
                )
                % {"loop": described},
                code="reporting_loop",
                row=person.row,
                on="manager_id",
            )


def _describe_loop(people: list[PersonRecord]) -> str:
    def who(person: PersonRecord) -> str:
        return gettext("%(name)s (employee id %(employee_id)s, row %(row)s)") % {
            "name": person.name or gettext("(no name)"),
            "employee_id": person.employee_id,
            "row": person.row,
        }

    shown = [who(person) for person in people[:LOOP_NAMES_SHOWN]]
    if len(people) > LOOP_NAMES_SHOWN:
        more = len(people) - LOOP_NAMES_SHOWN
        shown.append(
            ngettext("%(count)s more person", "%(count)s more people", more)
            % {"count": number_format(more, force_grouping=True)}
        )
    described = shown[0]
    for name in [*shown[1:], who(people[0])]:
        # Translators: one link of a loop in reporting lines: "A, who reports to B, who reports
        # to C". %(loop)s is the chain so far, %(name)s the next person in it.
        described = gettext("%(loop)s, who reports to %(name)s") % {"loop": described, "name": name}
    return described
