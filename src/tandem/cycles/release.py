"""Releasing a cycle's reports: score everything once, then cut raters off from their answers.

In one transaction, :func:`cycle_release`

1. reads every sheet (one rater's answers about one participant) from the live answers, in
   slices, into one answer matrix;
2. scores the whole cycle with :func:`tandem.measure.score_360` (anonymity rule applied there)
   and stores each participant's report;
3. keeps the comments of raters whose answers are inside some shown figure (a sheet with no
   rated answer, or whose group is shown nowhere, is not a rater: its comments are dropped),
   without rater or group, in random order;
4. stores each sheet again as an anonymous :class:`ReleasedSheet`: a random id, the
   participant, and the group only when the rater counts in that group shown on its own on
   some scale ("other" when they count only inside the pooled "others"; sheets of raters who
   count in no aggregate are not kept), written in random order;
5. deletes the live answers, which were the only link between a rater and an answer.

What is shown, what a comment needs and how a sheet is kept all come from the one disclosure
decision :func:`tandem.measure.score_360` makes (``counted`` and ``rater_atom``); nothing here
applies a rule of its own.

Afterwards the database still says who was asked to rate whom and who finished, but not which
sheet is whose: within a shown group every sheet looks the same, and a group is shown only
with at least its minimum of raters. The manager's own group (minimum 1 by default) and the
self-assessment are, by design, not anonymous.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tandem.audit.services import audit_record
from tandem.cycles.health import health_statistics
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import (
    Answer,
    Cycle,
    CycleStatus,
    Nomination,
    Participant,
    ReleasedAnswer,
    ReleasedComment,
    ReleasedSheet,
    Report,
)
from tandem.cycles.services import CycleError, cycle_event
from tandem.integrations.models import WebhookEvent
from tandem.measure import (
    SLOTS,
    CycleLeniency,
    Instrument,
    Scored360,
    cronbach_alpha,
    cycle_leniency,
    score_360,
)
from tandem.outbox.language import recipient_languages
from tandem.outbox.services import mail_queue
from tandem.web.bulk import Json, random_ids, rows_insert, tables_analyze

DISCLOSURE = "tandem-disclosure/1"
"""The rule a stored report's figures were derived with (its ``disclosure`` key): one
disclosure decision per person and scale, :mod:`tandem.measure.disclosure`."""

_shuffle = random.SystemRandom().shuffle


@dataclass
class Sheet:
    participant: int
    group: str
    values: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    rater: int | None = None
    """The rating person's id, known only until release (for the rater-leniency model)."""


READ_SLICE = 50_000
"""Answers are read from the database this many rows at a time (a server-side cursor on
PostgreSQL), straight into the answer matrix: a cycle's answers are never all Python objects."""


def _sheets(cycle: Cycle, instrument: Instrument) -> tuple[list[Sheet], np.ndarray[Any, Any]]:
    """The cycle's sheets with their rated answers as one matrix (row = sheet, column =
    ``instrument.all_items``, -1 = no answer) and their written answers on the sheet.

    A sheet with neither is left out. The matrix takes 2 bytes an answer (a million sheets of
    45 questions: 90 MB), where a dict per sheet took tens of bytes an answer more.
    """
    sheets: list[Sheet] = []
    row_of: dict[int, int] = {}
    nominations = Nomination.objects.filter(participant__cycle=cycle, approved=True)
    for nomination_id, participant_id, group, rater_id in nominations.values_list(
        "pk", "participant_id", "group", "rater_id"
    ).iterator(chunk_size=READ_SLICE):
        row_of[nomination_id] = len(sheets)
        sheets.append(Sheet(participant=participant_id, group=group, rater=rater_id))
    columns = {item.id: j for j, item in enumerate(instrument.all_items)}
    matrix = np.full((len(sheets), len(columns)), -1, dtype=np.int16)
    answers = Answer.objects.filter(nomination__participant__cycle=cycle).values_list(
        "nomination_id", "item_id", "value", "text"
    )
    for nomination_id, item_id, value, text in answers.iterator(chunk_size=READ_SLICE):
        row = row_of.get(nomination_id)
        if row is None:
            continue
        if value is not None:
            column = columns.get(item_id)
            if column is not None:
                matrix[row, column] = value
        elif text:
            sheets[row].texts[item_id] = text
    rated: np.ndarray[Any, Any] = np.asarray((matrix >= 0).any(axis=1))
    keep = [k for k, sheet in enumerate(sheets) if rated[k] or sheet.texts]
    return [sheets[k] for k in keep], matrix[keep]


def answer_matrix(
    sheets: list[Sheet], instrument: Instrument, participant_ids: list[int]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[str]]:
    """Sheets as score_360 wants them: answers (-1 = none), ratee index, group per row."""
    columns = {item.id: j for j, item in enumerate(instrument.all_items)}
    answers = np.full((len(sheets), len(columns)), -1, dtype=np.int16)
    for row, sheet in enumerate(sheets):
        for item_id, value in sheet.values.items():
            if item_id in columns:
                answers[row, columns[item_id]] = value
    return answers, *ratees_and_groups(sheets, participant_ids)


def ratees_and_groups(
    sheets: list[Sheet], participant_ids: list[int]
) -> tuple[np.ndarray[Any, Any], list[str]]:
    """Each sheet's ratee, as an index into ``participant_ids``, and its rater group."""
    position = {pid: k for k, pid in enumerate(participant_ids)}
    ratee = np.array([position[s.participant] for s in sheets], dtype=np.int64)
    return ratee, [s.group for s in sheets]


def kept_as(groups: list[str], rater_atom: np.ndarray[Any, Any]) -> list[str | None]:
    """How each sheet is kept after release: its group, "other", or None (dropped).

    A rater who counts in their group shown on its own on some scale keeps the group; one who
    counts only inside the pooled "others" is kept as "other"; one who counts in no aggregate
    is not kept. ``rater_atom`` is :attr:`tandem.measure.Scored360.rater_atom`.

    >>> import numpy as np
    >>> kept_as(["self", "peer", "direct_report", "peer"],
    ...         np.array([[0, 0], [2, 4], [4, 4], [-1, -1]]))
    ['self', 'peer', 'other', None]
    """
    out: list[str | None] = []
    for group, atoms in zip(groups, rater_atom.tolist(), strict=True):
        alone = [a for a in atoms if 0 <= a < SLOTS.index("others")]
        if alone:
            out.append(group)
        elif SLOTS.index("others") in atoms:
            out.append("other")
        else:
            out.append(None)
    return out


def _statistics(
    answers: np.ndarray[Any, Any],
    groups: list[str],
    reports: list[dict[str, Any]],
    inst: Instrument,
    counted: np.ndarray[Any, Any],
) -> dict[str, Any]:
    """Per scale: alpha over observers' sheets and the SD of participants' others-scores.

    Alpha uses only answers that are inside some shown figure (``counted``), so a rater left
    out of every figure changes nothing here either.
    """
    observers = np.array([g != "self" for g in groups], dtype=bool)
    stats: dict[str, Any] = {}
    rated = answers[:, : len(inst.items)].astype(float)
    no = inst.response_scale().not_observed_code
    rated[(rated < 0) | (rated == (no if no is not None else -1))] = np.nan
    rated[~counted] = np.nan
    for scale in inst.scales:
        cols = [j for j, item in enumerate(inst.items) if item.scale == scale.id]
        block = rated[observers][:, cols]
        complete = block[~np.isnan(block).any(axis=1)]
        alpha: float | None = None
        if complete.shape[0] >= 3:
            rs = inst.response_scale()
            result = cronbach_alpha(
                complete,
                reverse=[inst.items[j].reverse for j in cols],
                scale_min=rs.minimum,
                scale_max=rs.maximum,
            )
            alpha = round(float(result.raw_alpha), 4) if np.isfinite(result.raw_alpha) else None
        means = [
            a["mean"]
            for r in reports
            for a in r["scales"].get(scale.id, [])
            if a["label"] == "all_others" and a["mean"] is not None
        ]
        sd = round(float(np.std(means, ddof=1)), 4) if len(means) >= 3 else None
        stats[scale.id] = {"alpha": alpha, "sd": sd, "n": len(means)}
    return stats


def score_sheets(
    sheets: list[Sheet],
    instrument: Instrument,
    participant_ids: list[int],
    minimums: dict[str, int],
    answers: np.ndarray[Any, Any] | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[str], Scored360]:
    """The sheets as a matrix (:func:`answer_matrix`, unless ``answers`` is that matrix
    already) and the measurement core's scoring of them: answers, ratee index, group per row,
    and the :class:`Scored360`."""
    if answers is None:
        answers, ratee, groups = answer_matrix(sheets, instrument, participant_ids)
    else:
        ratee, groups = ratees_and_groups(sheets, participant_ids)
    scored = score_360(
        answers,
        ratee=ratee,
        group=groups,
        instrument=instrument,
        ratee_ids=[str(pid) for pid in participant_ids],
        minimums=minimums,
    )
    return answers, ratee, groups, scored


@dataclass(frozen=True)
class CycleScores:
    """A whole cycle scored once: the measurement core's result, each participant's report
    (in participant order, ``norm_group_size`` added) and the cycle's statistics."""

    scored: Scored360
    groups: list[str]
    reports: list[dict[str, Any]]
    statistics: dict[str, Any]
    leniency: CycleLeniency | None = None


def score_cycle(
    sheets: list[Sheet],
    instrument: Instrument,
    participant_ids: list[int],
    minimums: dict[str, int],
    with_others: int,
    person_ids: list[int] | None = None,
    answers: np.ndarray[Any, Any] | None = None,
) -> CycleScores:
    """Score every participant of a cycle at once.

    The measurement core decides, and says in each report, what the verdicts compare against:
    the cycle's own norms when enough people were rated, otherwise documented reference values
    and fallback cuts (``tandem.measure.references``). ``with_others`` (people rated by
    others) is kept in each report as the size of the comparison group.

    With ``person_ids`` (each participant's person) and sheets that still know their rater
    (before release), rater leniency is fitted per scale (:func:`tandem.measure.cycle_leniency`
    decides whose adjusted score may be shown): each report gets ``leniency`` (per scale the
    adjusted others' score and its interval, or why there is none) and the statistics get the
    cycle's variance split. No rater's own leniency is kept anywhere.

    ``answers``: the sheets' matrix when the caller read it already (:func:`_sheets`).
    """
    answers, ratee, groups, scored = score_sheets(
        sheets, instrument, participant_ids, minimums, answers
    )
    reports = []
    for data in scored.ratee_dicts():
        data["norm_group_size"] = with_others
        reports.append(data)
    statistics = _statistics(answers, groups, reports, instrument, scored.counted)
    statistics["health"] = health_statistics(answers, groups, instrument, scored.counted)
    leniency = None
    raters = [s.rater for s in sheets if s.rater is not None]
    if person_ids is not None and sheets and len(raters) == len(sheets):
        leniency = cycle_leniency(
            scored.rater_scale,
            ratee=ratee,
            rater=raters,
            person=person_ids,
            group=groups,
            scale_ids=instrument.scale_ids,
            others_shown=np.isfinite(scored.scale_mean[:, :, SLOTS.index("all_others")]),
            minimums=minimums,
        )
        for k, data in enumerate(reports):
            data["leniency"] = leniency_report(leniency, k)
        statistics["leniency"] = leniency_statistics(leniency)
    return CycleScores(
        scored=scored,
        groups=groups,
        reports=reports,
        statistics=statistics,
        leniency=leniency,
    )


def leniency_report(leniency: CycleLeniency, person: int) -> dict[str, Any]:
    """What one person's report keeps of the leniency fit: per scale, the adjusted others'
    score with its interval where it may be shown, else only the reason code."""
    scales: dict[str, Any] = {}
    for scale in leniency.scales:
        if scale.shown[person]:
            scales[scale.scale_id] = {
                "score": round(float(scale.score[person]), 4),
                "lower": round(float(scale.lower[person]), 4),
                "upper": round(float(scale.upper[person]), 4),
            }
        else:
            scales[scale.scale_id] = {"reason": scale.reason[person]}
    return {"level": leniency.level, "scales": scales}


def leniency_statistics(leniency: CycleLeniency) -> dict[str, Any]:
    """The cycle's variance split per scale, for the people team (no person, no rater)."""
    out: dict[str, Any] = {}
    for scale in leniency.scales:
        out[scale.scale_id] = {
            "fitted": scale.fitted,
            "share": {k: round(v, 4) for k, v in scale.share().items()},
            "ratings": scale.n_ratings,
            "people": scale.n_ratees,
            "raters": scale.n_raters,
            "linked_raters": scale.n_linked_raters,
            "adjusted": int(scale.shown.sum()),
            "note": scale.note,
        }
    return out


@transaction.atomic
def cycle_release(
    *, cycle: Cycle, actor: Any, now: dt.datetime | None = None, notify: bool = True
) -> Cycle:
    """Score the cycle, store reports and anonymous sheets, delete the live answers.

    Participants are emailed that their report is ready unless ``notify`` is False (demo data).
    """
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.CLOSED:
        raise CycleError(gettext("close the cycle before releasing its reports"))
    instrument = instrument_of(cycle.instrument)
    participants = list(cycle.participants.select_related("person"))
    participant_ids = [p.pk for p in participants]
    sheets, answers = _sheets(cycle, instrument)
    minimums = {k: int(v) for k, v in cycle.minimums.items()}
    reports: list[dict[str, Any]] = []
    if sheets:
        with_others = len({s.participant for s in sheets if s.group != "self"})
        scores = score_cycle(
            sheets,
            instrument,
            participant_ids,
            minimums,
            with_others,
            person_ids=[p.person_id for p in participants],
            answers=answers,
        )
        self_texts = {s.participant: s.texts for s in sheets if s.group == "self"}
        for participant, data in zip(participants, scores.reports, strict=True):
            data["self_comments"] = self_texts.get(participant.pk, {})
            data["disclosure"] = DISCLOSURE
            reports.append(data)
        written_at = timezone.now()
        rows_insert(
            Report,
            ["participant", "data", "created_at", "body_html", "body_key", "pdf", "pdf_key"],
            [
                (participant.pk, Json(data), written_at, "", "", "", "")
                for participant, data in zip(participants, reports, strict=True)
            ],
        )
        cycle.statistics = scores.statistics
        labels = kept_as(scores.groups, scores.scored.rater_atom)
        counted = np.asarray(scores.scored.counted.any(axis=1)).tolist()
        item_ids = [item.id for item in instrument.all_items]
        _store_anonymously(sheets, answers, item_ids, labels, [bool(c) for c in counted])
    # By the sheets' ids: filtering through the join instead makes Django delete by
    # ``id IN (every answer's id)``, a hash of every answer that spills to disk (10 of the 25
    # minutes of a 100,000-person release; 6x slower at 10,000 people, docs/deploy.md).
    cycle_sheets = Nomination.objects.filter(participant__cycle=cycle).values("pk")
    Answer.objects.filter(nomination__in=cycle_sheets).delete()
    cycle.status = CycleStatus.RELEASED
    cycle.released_at = now
    cycle.release_queued_at = None
    cycle.save(update_fields=["status", "released_at", "statistics", "release_queued_at"])
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action="cycle.release",
        target=cycle,
        changes={
            "status": (CycleStatus.CLOSED, CycleStatus.RELEASED),
            "reports": (0, len(reports)),
        },
    )
    cycle_event(cycle, WebhookEvent.CYCLE_RELEASED, reports=len(reports))
    if notify:
        _notify_participants(cycle, participants)
    transaction.on_commit(lambda: _after_release(cycle.pk))
    return cycle


def release_in_request(cycle: Cycle) -> bool:
    """Whether a cycle is small enough to release while its people-team member waits
    (``RELEASE_AT_ONCE_UP_TO`` participants): larger ones go to the workers."""
    return bool(cycle.participants.count() <= settings.RELEASE_AT_ONCE_UP_TO)


@transaction.atomic
def cycle_release_queue(*, cycle: Cycle, actor: Any, now: dt.datetime | None = None) -> Cycle:
    """Hand a closed cycle's release to the workers (:func:`cycles.tasks.cycle_release_queued`);
    the cycle page shows that it is on its way. Asking twice queues it once."""
    from tandem.cycles.tasks import cycle_release_queued

    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.CLOSED:
        raise CycleError(gettext("close the cycle before releasing its reports"))
    if cycle.release_queued_at is not None:
        return cycle
    cycle.release_queued_at = now or timezone.now()
    cycle.save(update_fields=["release_queued_at"])
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action="cycle.release_queued",
        target=cycle,
        changes={"release_queued_at": (None, cycle.release_queued_at.isoformat())},
    )
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: cycle_release_queued.enqueue(cycle.pk, actor_id))
    return cycle


def _after_release(cycle_id: int) -> None:
    """Queue the work a release leaves for workers: rendering every report
    (:func:`cycles.tasks.reports_prerender`) and instrument health pooled with earlier cycles
    (:func:`cycles.tasks.instrument_health_pool`)."""
    from tandem.cycles.tasks import instrument_health_pool, reports_prerender

    # The release wrote every report and kept sheet with COPY and deleted the live answers:
    # refresh the statistics now, before the readers and the workers' queries plan on them.
    tables_analyze(Report, ReleasedSheet, ReleasedAnswer, ReleasedComment, Answer)
    reports_prerender.enqueue(cycle_id)
    instrument_health_pool.enqueue(cycle_id)


def _store_anonymously(
    sheets: list[Sheet],
    answers: np.ndarray[Any, Any],
    item_ids: list[str],
    labels: list[str | None],
    commenters: list[bool],
) -> None:
    """Write the kept sheets and the comments that may be shown, in random order.

    The kept sheets are shuffled, and their answers written sheet after sheet in that shuffled
    order, streamed to the database (each answer names its sheet, which is random, so grouping
    them by sheet shows nothing more; a cycle's answers never sit in memory as rows).
    """
    ids = random_ids()
    new_sheets: list[tuple[str, int, str, int]] = []
    new_comments: list[tuple[int, str, str]] = []
    for row, (sheet, label, counts) in enumerate(zip(sheets, labels, commenters, strict=True)):
        if sheet.group != "self" and counts:
            for question, text in sheet.texts.items():
                new_comments.append((sheet.participant, question, text))
        if label is None or not (answers[row] >= 0).any():
            continue
        new_sheets.append((next(ids), sheet.participant, label, row))
    _shuffle(new_sheets)
    _shuffle(new_comments)
    rows_insert(
        ReleasedSheet,
        ["id", "participant", "group"],
        [(sheet_id, participant, label) for sheet_id, participant, label, _ in new_sheets],
    )

    def answer_rows() -> Iterator[tuple[str, str, str, int]]:
        for sheet_id, _, _, row in new_sheets:
            values = answers[row]
            for column in np.flatnonzero(values >= 0).tolist():
                yield (next(ids), sheet_id, item_ids[column], int(values[column]))

    rows_insert(ReleasedAnswer, ["id", "sheet", "item_id", "value"], answer_rows())
    rows_insert(
        ReleasedComment,
        ["id", "participant", "question_id", "text", "position"],
        [
            (next(ids), pid, question, text, k)
            for k, (pid, question, text) in enumerate(new_comments)
        ],
    )


def _notify_participants(cycle: Cycle, participants: list[Participant]) -> None:
    messages = []
    languages = recipient_languages(
        organisation=cycle.organisation, emails=[p.person.email for p in participants]
    )
    for participant in participants:
        if not participant.person.email:
            continue
        url = f"{settings.SITE_URL}{reverse('cycles:report', args=[participant.pk])}"
        with translation.override(languages.get(participant.person.email.lower())):
            messages.append(
                (
                    gettext("Your Tandem report is ready"),
                    gettext("Hello %(name)s,") % {"name": participant.person.name}
                    + "\n\n"
                    + gettext("Your report from “%(cycle)s” is ready. Sign in to read it:")
                    % {"cycle": cycle.name}
                    + f"\n\n{url}\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [participant.person.email],
                )
            )
    mail_queue(
        organisation=cycle.organisation,
        messages=messages,
        kind="cycle.report_ready",
        about=f"cycle:{cycle.pk}",
    )
