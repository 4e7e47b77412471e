"""What the REST API answers, as the OpenAPI schema describes it (pydantic, through ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class Problem(Schema):
    """Every error: what went wrong, in words (or, for a malformed request, per field)."""

    detail: str | list[dict[str, Any]]


ERRORS: dict[int, type[Schema]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}


class PersonOut(Schema):
    id: int
    employee_id: str
    name: str
    email: str
    title: str
    department: str
    location: str
    start_date: dt.date | None
    status: str
    manager_id: int | None
    track: str
    level: int | None


class PersonDetail(PersonOut):
    direct_report_ids: list[int]


class PeoplePage(Schema):
    count: int
    items: list[PersonOut]


class GroupProgressOut(Schema):
    group: str
    label: str
    asked: int
    started: int
    finished: int


class CycleOut(Schema):
    id: int
    name: str
    status: str
    scope: str
    department: str
    opens_on: dt.date
    closes_on: dt.date
    launched_at: dt.datetime | None
    closed_at: dt.datetime | None
    released_at: dt.datetime | None


class CycleDetail(CycleOut):
    participants: int
    groups: list[GroupProgressOut]
    reports_prepared: int | None


class CriterionOut(Schema):
    theme: str
    text: str


class LevelOut(Schema):
    number: int
    title: str
    summary: str
    criteria: list[CriterionOut]


class TrackOut(Schema):
    key: str
    name: str
    description: str
    levels: list[LevelOut]


class FrameworkOut(Schema):
    version: int
    name: str
    published_at: dt.datetime
    tracks: list[TrackOut]


class PlacementOut(Schema):
    person_id: int
    track: str
    level: int | None
    since: dt.date | None
    placed: bool


class KeyResultOut(Schema):
    title: str
    target: float
    current: float
    progress: int


class GoalOut(Schema):
    id: int
    title: str
    meaning: str
    why: str
    team_manager_id: int
    owner_id: int
    parent_ids: list[int]
    links_to_vision: bool
    key_results: list[KeyResultOut]
    changed_at: dt.datetime


class CascadeOut(Schema):
    vision: str | None
    why: str | None
    goals: list[GoalOut]


class ReadableReportOut(Schema):
    participant_id: int
    person_id: int
    person_name: str
    cycle_id: int
    cycle_name: str
    released_at: dt.datetime | None
    own: bool


class GroupFigureOut(Schema):
    group: str
    title: str
    n: int
    mean: float


class ScaleFiguresOut(Schema):
    id: str
    name: str
    role: str
    percentile: float | None
    groups: list[GroupFigureOut]


class IndexFiguresOut(Schema):
    score: float | None
    lower: float | None
    upper: float | None
    cut: float | None
    self_score: float | None


class PlacementFiguresOut(Schema):
    code: str
    title: str
    borderline: bool
    leadership: IndexFiguresOut
    management: IndexFiguresOut


class ReportFiguresOut(ReadableReportOut):
    placement: PlacementFiguresOut | None
    placement_note: str
    scales: list[ScaleFiguresOut]
