"""What a rater's sheet page shows, read in two round trips to the database.

The sheet is the page every rater opens, often several times, so it is read with plain SQL:
building the same reads with the ORM (four joined tables, then the answers, then the other
raters of the person) cost more than the rest of the page together. First the sheet with its
person, cycle and questionnaire version; then, in one statement, the answers given so far and
how many raters of each group were chosen for the same person (which says what happens to
these answers when a group is too small). Never anyone else's answers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from tandem.cycles.models import Answer, Cycle, InstrumentVersion, Nomination, Participant
from tandem.cycles.selectors import GroupOutcome, outcome_of_group
from tandem.people.models import Person
from tandem.web.prepared import rows_prepared


@dataclass(frozen=True)
class SheetPage:
    """One approved sheet as its page shows it."""

    nomination_id: int
    group: str
    ratee_name: str
    cycle_id: int
    cycle_name: str
    cycle_status: str
    closes_on: dt.date
    instrument_id: int
    instrument_updated: dt.datetime
    answers: Mapping[str, str]  # question id -> the value or comment given
    outcome: GroupOutcome | None  # set when the rater's group is below its minimum

    @property
    def observer(self) -> bool:
        return self.group != "self"


def sheet_page_read(nomination_id: int) -> SheetPage | None:
    """The approved sheet ``nomination_id`` as its page shows it, or None (no such sheet, or
    not approved). Whether the reader may open it is the caller's check."""
    q = connection.ops.quote_name
    nominations = q(Nomination._meta.db_table)
    found = rows_prepared(
        f"SELECT n.{q('group')}, n.{q('participant_id')}, pe.{q('name')}, c.{q('id')}, "  # noqa: S608
        f"c.{q('name')}, c.{q('status')}, c.{q('closes_on')}, c.{q('minimums')}, "
        f"c.{q('instrument_id')}, i.{q('updated_at')} "
        f"FROM {nominations} n "
        f"JOIN {q(Participant._meta.db_table)} p ON p.{q('id')} = n.{q('participant_id')} "
        f"JOIN {q(Person._meta.db_table)} pe ON pe.{q('id')} = p.{q('person_id')} "
        f"JOIN {q(Cycle._meta.db_table)} c ON c.{q('id')} = p.{q('cycle_id')} "
        f"JOIN {q(InstrumentVersion._meta.db_table)} i ON i.{q('id')} = c.{q('instrument_id')} "
        f"WHERE n.{q('id')} = %s AND n.{q('approved')}",
        [nomination_id],
    )
    if not found:
        return None
    group, participant_id, ratee, cycle_id, cycle_name, status, closes_on = found[0][:7]
    minimums, instrument_id, instrument_updated = found[0][7:]
    # The answers (kind "a": question, value, comment) and the groups chosen for the same
    # person (kind "g": group, how many), in one statement.
    rows = rows_prepared(
        f"SELECT 'a', {q('item_id')}, {q('value')}, {q('text')} "  # noqa: S608
        f"FROM {q(Answer._meta.db_table)} WHERE {q('nomination_id')} = %s "
        f"UNION ALL SELECT 'g', {q('group')}, COUNT(*), NULL FROM {nominations} "
        f"WHERE {q('participant_id')} = %s AND {q('group')} <> 'self' GROUP BY {q('group')}",
        [nomination_id, participant_id],
    )
    answers = {
        key: text if value is None else str(value) for kind, key, value, text in rows if kind == "a"
    }
    groups = [key for kind, key, count, _ in rows if kind == "g" for _n in range(count)]
    return SheetPage(
        nomination_id=nomination_id,
        group=group,
        ratee_name=ratee,
        cycle_id=cycle_id,
        cycle_name=cycle_name,
        cycle_status=status,
        closes_on=_date(closes_on),
        instrument_id=instrument_id,
        instrument_updated=_datetime(instrument_updated),
        answers=MappingProxyType(answers),
        outcome=_outcome(group, groups, minimums),
    )


def _outcome(group: str, groups: list[str], minimums: Any) -> GroupOutcome | None:
    stored = json.loads(minimums) if isinstance(minimums, str) else minimums
    return outcome_of_group(group, groups, {k: int(v) for k, v in stored.items()})


def _date(value: Any) -> dt.date:
    """A date as the database driver returned it (SQLite returns text)."""
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValueError(f"not a stored date: {value!r}")
    return parsed


def _datetime(value: Any) -> dt.datetime:
    """A stored moment as the driver returned it: SQLite's is naive (or text), in UTC."""
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"not a stored moment: {value!r}")
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)
