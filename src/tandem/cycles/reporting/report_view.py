"""The frozen dataclasses a report is made of: what the templates read, and nothing else.

Built by :func:`tandem.cycles.reporting.presentation.build_report`; every text is plain (the
templates escape it) except the ``chart_svg`` fields, which :mod:`~tandem.cycles.reporting.charts`
built from escaped parts.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AgreementView",
    "CategoryNote",
    "CommentGroup",
    "GroupRow",
    "IndexView",
    "ItemFlagView",
    "NextStep",
    "PlacementView",
    "QuestionRow",
    "QuestionTable",
    "ReportView",
    "RoleSection",
    "ScaleView",
    "SelfRow",
    "SelfSectionView",
]


@dataclass(frozen=True)
class CommentGroup:
    """The comments given to one open question, in the (shuffled) order they were stored."""

    question_id: str
    question: str
    comments: tuple[str, ...]


@dataclass(frozen=True)
class IndexView:
    """The leadership or the management index of the placement."""

    key: str
    name: str
    score: float | None
    lower: float | None
    upper: float | None
    cut: float | None
    self_score: float | None
    score_text: str
    range_text: str
    cut_text: str
    self_text: str
    position: str


@dataclass(frozen=True)
class PlacementView:
    """Where others' ratings place the person, and how sure that is."""

    code: str
    title: str
    summary: str
    borderline: bool
    leaning: str | None
    leaning_title: str | None
    borderline_text: str | None
    level_percent: int
    interval_text: str
    cut_text: str
    leadership: IndexView
    management: IndexView
    chart_svg: str

    @property
    def indices(self) -> tuple[IndexView, IndexView]:
        return (self.leadership, self.management)


@dataclass(frozen=True)
class GroupRow:
    """One shown aggregate of one scale."""

    label: str
    title: str
    description: str
    n: int
    mean: float
    mean_text: str
    is_self: bool
    is_all_others: bool


@dataclass(frozen=True)
class QuestionRow:
    """One question of the question-level view: the shown figures in the table's columns."""

    item_id: str
    text: str
    reverse: bool
    cells: tuple[str, ...]


@dataclass(frozen=True)
class QuestionTable:
    """The questions of one scale, with a column per aggregate shown on any of them."""

    scale_id: str
    scale_name: str
    columns: tuple[str, ...]
    rows: tuple[QuestionRow, ...]


@dataclass(frozen=True)
class ScaleView:
    """One scale by rater group, with the norm percentile of everyone except self."""

    id: str
    name: str
    description: str
    role: str
    role_title: str
    rows: tuple[GroupRow, ...]
    percentile: float | None
    percentile_text: str
    percentile_sentence: str
    chart_svg: str
    questions: QuestionTable | None = None
    adjusted_sentence: str = ""
    """The others' score adjusted for rater leniency, in one sentence ("" when not shown)."""

    @property
    def all_others(self) -> GroupRow | None:
        return next((row for row in self.rows if row.is_all_others), None)


@dataclass(frozen=True)
class RoleSection:
    """The scales of one role (leadership or management), in instrument order."""

    role: str
    title: str
    scales: tuple[ScaleView, ...]


@dataclass(frozen=True)
class AgreementView:
    """Self against everyone except self on one scale."""

    scale_id: str
    scale_name: str
    role_title: str
    category: str | None
    title: str
    explanation: str
    self_score: float | None
    others_score: float | None
    self_text: str
    others_text: str
    difference_text: str
    estimate: float | None
    estimate_text: str


@dataclass(frozen=True)
class CategoryNote:
    """What one agreement category means, said once under the table that uses it."""

    title: str
    explanation: str


@dataclass(frozen=True)
class ItemFlagView:
    """A blind spot or a hidden strength: one behaviour, in the observers' wording."""

    item_id: str
    text: str
    scale_name: str
    self_score: float | None
    others_score: float | None
    self_text: str
    others_text: str
    reverse: bool
    note: str


@dataclass(frozen=True)
class SelfRow:
    """One subscale of a self-only section."""

    id: str
    name: str
    value: float | None
    value_text: str
    answer_label: str


@dataclass(frozen=True)
class SelfSectionView:
    """A self-only section (motivation to manage, track interests): the person's own answers."""

    id: str
    name: str
    prompt: str
    scale_text: str
    rows: tuple[SelfRow, ...]
    summary: str | None


@dataclass(frozen=True)
class NextStep:
    """A suggested next step, written from the person's own results."""

    title: str
    text: str


@dataclass(frozen=True)
class ReportView:
    """Everything the report templates show: context variable ``report``."""

    person_name: str
    cycle_name: str
    instrument_title: str
    instrument_version: int
    scale_min: int
    scale_max: int
    answer_scale_text: str
    placement: PlacementView | None
    placement_note: str
    roles: tuple[RoleSection, ...]
    scales: tuple[ScaleView, ...]
    hidden_groups_note: str
    agreement: tuple[AgreementView, ...]
    agreement_note: str
    category_notes: tuple[CategoryNote, ...]
    norm_note: str
    leniency_note: str
    own_comments: tuple[CommentGroup, ...]
    blind_spots: tuple[ItemFlagView, ...]
    hidden_strengths: tuple[ItemFlagView, ...]
    self_sections: tuple[SelfSectionView, ...]
    comment_groups: tuple[CommentGroup, ...]
    comments_note: str
    next_steps: tuple[NextStep, ...]

    @property
    def has_estimates(self) -> bool:
        """Did the person say how they expected others to rate them on any scale?"""
        return any(a.estimate is not None for a in self.agreement)
