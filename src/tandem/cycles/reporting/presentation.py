"""From a stored report dict to a :class:`ReportView` the templates can render as they are.

:func:`build_report` is pure: no database, no templates, no request. It reads only what the
dict from :func:`tandem.measure.report.ratee_dicts` holds, and that dict holds only the
aggregates the anonymity rule allows: a rater group below its minimum is absent from it, so it
is absent from the view too. Nothing here infers, subtracts or names an absent group.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from tandem.cycles.reporting import wording
from tandem.cycles.reporting.charts import Axis, Bar, placement_svg, scale_bars_svg
from tandem.cycles.reporting.numbers import format_percentile, format_score, ordinal
from tandem.cycles.reporting.report_view import (
    AgreementView,
    CategoryNote,
    CommentGroup,
    GroupRow,
    IndexView,
    ItemFlagView,
    NextStep,
    PlacementView,
    QuestionRow,
    QuestionTable,
    ReportView,
    RoleSection,
    ScaleView,
    SelfRow,
    SelfSectionView,
)
from tandem.cycles.reporting.steps import next_steps
from tandem.measure import SLOTS, Instrument

__all__ = [
    "TOP_ITEMS",
    "AgreementView",
    "Comment",
    "CommentGroup",
    "GroupRow",
    "IndexView",
    "ItemFlagView",
    "NextStep",
    "PlacementView",
    "ReportView",
    "RoleSection",
    "ScaleView",
    "SelfRow",
    "SelfSectionView",
    "build_report",
]

TOP_ITEMS = 5
"""At most this many blind spots and hidden strengths are shown, largest gap first."""

_GROUPS_ON_THEIR_OWN = ("manager", "peer", "direct_report")
_NORM_BASIS = re.compile(r"percentile\s+([0-9.]+)")


MIN_NORM_GROUP = 10
"""Fewest people in a cycle's comparison group before a report shows norm percentiles."""


@dataclass(frozen=True)
class Comment:
    """One open comment, already filtered by the anonymity rule, unattributed."""

    question_id: str
    text: str


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _range_text(lower: float | None, upper: float | None) -> str:
    if lower is None or upper is None:
        return gettext("no range")
    # Translators: a range of scores, e.g. "3.10 to 3.70".
    return gettext("%(lower)s to %(upper)s") % {
        "lower": format_score(lower),
        "upper": format_score(upper),
    }


def _index_view(key: str, data: Mapping[str, Any]) -> IndexView:
    score, lower, upper = (
        _float(data.get("score")),
        _float(data.get("lower")),
        _float(data.get("upper")),
    )
    cut = _float(data.get("cut"))
    if score is None or cut is None:
        position = gettext("not enough ratings to say")
    elif lower is not None and upper is not None and lower < cut < upper:
        position = gettext("close to the cut: the range crosses it")
    elif score >= cut:
        position = gettext("above the cut")
    else:
        position = gettext("below the cut")
    return IndexView(
        key=key,
        name=str(wording.ROLE_TITLES[key]),
        score=score,
        lower=lower,
        upper=upper,
        cut=cut,
        self_score=_float(data.get("self")),
        score_text=format_score(score),
        range_text=_range_text(lower, upper),
        cut_text=format_score(cut),
        self_text=format_score(_float(data.get("self"))),
        position=position,
    )


def _cut_text(basis: str, lead: IndexView, man: IndexView, lo: int, hi: int) -> str:
    values = gettext("%(leadership)s for leadership and %(management)s for management") % {
        "leadership": lead.cut_text,
        "management": man.cut_text,
    }
    if basis.startswith("fallback"):
        # The reason comes from tandem.measure, in English, as stored with the report.
        reason = basis.split("because", 1)[1].strip() if "because" in basis else ""
        words = {"values": values, "lo": lo, "hi": hi, "reason": reason}
        if reason:
            return (
                gettext(
                    "The cuts are Tandem's fallback, not chosen by anyone: %(values)s, on the "
                    "%(lo)s to %(hi)s answer scale (between “Sometimes” and “Often”), because "
                    "%(reason)s."
                )
                % words
            )
        return (
            gettext(
                "The cuts are Tandem's fallback, not chosen by anyone: %(values)s, on the "
                "%(lo)s to %(hi)s answer scale (between “Sometimes” and “Often”)."
            )
            % words
        )
    if basis == "absolute" or basis.startswith("absolute"):
        source = (
            basis.split(":", 1)[1].strip() if ":" in basis else gettext("chosen for this cycle")
        )
        return gettext(
            "The cuts are fixed values (%(source)s): %(values)s, on the %(lo)s to %(hi)s answer "
            "scale."
        ) % {"source": source, "values": values, "lo": lo, "hi": hi}
    match = _NORM_BASIS.search(basis)
    if basis.startswith("norm-referenced") and match:
        pct = float(match.group(1))
        if pct == 50:
            return gettext(
                "The cuts are the middle (the median) of the comparison group: %(values)s. They "
                "come from the norms used for this cycle, so you are above a cut when the people "
                "who rated you scored you higher than half of the people in the comparison group "
                "were scored."
            ) % {"values": values}
        return gettext(
            "The cuts are the %(ordinal)s percentile of the comparison group: %(values)s. They "
            "come from the norms used for this cycle, so you are above a cut when the people who "
            "rated you scored you higher than %(share)s in 100 of the people in the comparison "
            "group were scored."
        ) % {"ordinal": ordinal(round(pct)), "values": values, "share": f"{pct:g}"}
    # Translators: basis is how the cuts were set, as stored (in English).
    return gettext("The cuts are %(values)s (%(basis)s).") % {"values": values, "basis": basis}


def _crossing(ix: IndexView) -> str:
    """Why one index is borderline, as part of a sentence."""
    if ix.key == "leadership":
        text = gettext("the leadership range (%(range)s) crosses its cut (%(cut)s)")
    else:
        text = gettext("the management range (%(range)s) crosses its cut (%(cut)s)")
    return text % {"range": ix.range_text, "cut": ix.cut_text}


def _placement(
    profile: Mapping[str, Any] | None, lo: int, hi: int
) -> tuple[PlacementView | None, str]:
    if (
        profile
        and not profile.get("placement")
        and (profile.get("leadership") or {}).get("score") is not None
    ):
        return None, gettext(
            "Not placed this time: only one person besides you rated you on leadership or on "
            "management, and one person's view is not enough to say where you stand."
        )
    if not profile or not profile.get("placement"):
        return None, gettext(
            "There were not enough ratings from others on every scale to place you on "
            "leadership and management this time."
        )
    code = str(profile["placement"])
    lead = _index_view("leadership", profile.get("leadership") or {})
    man = _index_view("management", profile.get("management") or {})
    level = round(100 * float(profile.get("level") or 0.95))
    borderline = bool(profile.get("borderline"))
    leaning = profile.get("leaning") or None
    leaning_title = (
        str(wording.PLACEMENT_TITLES[leaning])
        if leaning and leaning in wording.PLACEMENT_TITLES
        else None
    )
    borderline_text = None
    if borderline:
        crossing = [
            _crossing(ix)
            for ix in (lead, man)
            if ix.lower is not None
            and ix.upper is not None
            and ix.cut is not None
            and ix.lower < ix.cut < ix.upper
        ]
        reason = _and(crossing) or gettext("a range crosses its cut")
        borderline_text = gettext(
            "Borderline means the uncertainty is too large to be sure: %(reason)s."
        ) % {"reason": reason}
        if leaning_title:
            borderline_text += " " + gettext(
                "The closest label is “%(label)s”: read it as a leaning, not a verdict."
            ) % {"label": leaning_title}
        borderline_text += " " + gettext(
            "More raters, or the next cycle, will make the picture clearer."
        )
    spread = str(profile.get("interval_basis") or "")
    interval_text = gettext(
        "Each score is the average of what everyone except you said, so it rests on a limited "
        "number of people and carries some uncertainty. The lines through the dot show where "
        "the score most likely lies (%(level)s%% confidence): %(leadership)s for leadership "
        "and %(management)s for management."
    ) % {"level": level, "leadership": lead.range_text, "management": man.range_text}
    if spread:
        # Translators: spread says where the width of the range comes from, as stored (English).
        interval_text += " " + gettext("The width comes from %(spread)s.") % {"spread": spread}
    title = str(wording.PLACEMENT_TITLES.get(code, code))
    basis = str(profile.get("cut_basis") or "")
    view = PlacementView(
        code=code,
        title=title,
        summary=str(wording.PLACEMENT_SUMMARIES.get(code, "")),
        borderline=borderline,
        leaning=leaning,
        leaning_title=leaning_title,
        borderline_text=borderline_text,
        level_percent=level,
        interval_text=interval_text,
        cut_text=_cut_text(basis, lead, man, lo, hi),
        leadership=lead,
        management=man,
        chart_svg=placement_svg(
            chart_id="chart-placement",
            leadership=Axis(
                lead.name, lead.score, lead.lower, lead.upper, lead.cut, lead.self_score
            ),
            management=Axis(man.name, man.score, man.lower, man.upper, man.cut, man.self_score),
            scale_min=lo,
            scale_max=hi,
            title=gettext("Leadership and management placement"),
            description=gettext(
                "Placement: %(placement)s. Leadership %(lead_score)s (range %(lead_range)s, cut "
                "%(lead_cut)s, your own view %(lead_self)s). Management %(man_score)s (range "
                "%(man_range)s, cut %(man_cut)s, your own view %(man_self)s)."
            )
            % {
                "placement": title,
                "lead_score": lead.score_text,
                "lead_range": lead.range_text,
                "lead_cut": lead.cut_text,
                "lead_self": lead.self_text,
                "man_score": man.score_text,
                "man_range": man.range_text,
                "man_cut": man.cut_text,
                "man_self": man.self_text,
            },
        ),
    )
    return view, ""


def _scale_view(
    scale_id: str,
    name: str,
    description: str,
    role: str,
    aggregates: Sequence[Mapping[str, Any]],
    percentile: float | None,
    lo: int,
    hi: int,
    group_size: int | None = None,
) -> ScaleView:
    by_label = {str(a["label"]): a for a in aggregates if _float(a.get("mean")) is not None}
    rows = []
    for label in SLOTS:  # a fixed order; only what the dict holds
        agg = by_label.get(label)
        if agg is None:
            continue
        mean = _float(agg["mean"])
        assert mean is not None
        rows.append(
            GroupRow(
                label=label,
                title=str(wording.AGGREGATE_TITLES[label]),
                description=str(wording.AGGREGATE_DESCRIPTIONS[label]),
                n=int(agg["n"]),
                mean=mean,
                mean_text=format_score(mean),
                is_self=label == "self",
                is_all_others=label == "all_others",
            )
        )
    has_others = any(r.is_all_others for r in rows)
    too_few = group_size is not None and group_size < MIN_NORM_GROUP
    pct = percentile if has_others and not too_few else None
    # What is true of every scale is said once, in the report's norm note; a scale says only
    # what is its own.
    if too_few or pct is not None:
        sentence = ""
    else:
        sentence = gettext("No norm percentile: not enough people rated you on this scale.")
    bars = [Bar(r.title, r.n, r.mean, r.is_self, r.is_all_others) for r in rows]
    summary = "; ".join(
        # Translators: one rater group's average in a chart's description, e.g. "Peers: 3.40
        # (n = 4)".
        gettext("%(group)s: %(mean)s (n = %(n)s)")
        % {"group": r.title, "mean": r.mean_text, "n": r.n}
        for r in rows
    ) or gettext("no ratings")
    chart_description = gettext("Average ratings on the %(lo)s to %(hi)s scale. %(summary)s.") % {
        "lo": lo,
        "hi": hi,
        "summary": summary,
    }
    if pct is not None:
        chart_description += " " + gettext("Norm percentile %(percentile)s.") % {
            "percentile": format_percentile(pct)
        }
    return ScaleView(
        id=scale_id,
        name=name,
        description=description,
        role=role,
        role_title=str(wording.ROLE_TITLES.get(role, role.title())),
        rows=tuple(rows),
        percentile=pct,
        percentile_text=format_percentile(pct),
        percentile_sentence=sentence,
        chart_svg=scale_bars_svg(
            chart_id=f"chart-scale-{scale_id}",
            bars=bars,
            percentile=pct,
            scale_min=lo,
            scale_max=hi,
            title=gettext("%(scale)s by rater group") % {"scale": name},
            description=chart_description,
        ),
    )


def _adjusted_sentence(entry: Mapping[str, Any] | None, others: GroupRow | None) -> str:
    """One sentence with the leniency-adjusted others' score, or "" when there is none."""
    score = _float((entry or {}).get("score"))
    lower, upper = _float((entry or {}).get("lower")), _float((entry or {}).get("upper"))
    if score is None or lower is None or upper is None or others is None:
        return ""
    return gettext(
        "Allowing for how generously or strictly your raters rated the other people they "
        "rated: %(score)s (likely between %(lower)s and %(upper)s), against %(given)s as given."
    ) % {
        "score": format_score(score),
        "lower": format_score(lower),
        "upper": format_score(upper),
        "given": others.mean_text,
    }


def _leniency_note(leniency: Mapping[str, Any], scales: Sequence[ScaleView]) -> str:
    """What the adjusted scores are, said once; or why there are none."""
    if not leniency:
        return ""
    if any(s.adjusted_sentence for s in scales):
        return gettext(
            "Some raters rate everyone high and some everyone low. Where your raters also "
            "rated other people in this cycle, Tandem estimates how generous each one was "
            "and shows your others' score with that allowed for, with the range it is likely "
            "in. No one's generosity is shown or kept, only this adjusted score."
        )
    reasons = {
        str(entry.get("reason"))
        for entry in (leniency.get("scales") or {}).values()
        if entry.get("reason")
    }
    texts = [
        str(wording.LENIENCY_REASONS[r]) for r in sorted(reasons) if r in wording.LENIENCY_REASONS
    ]
    if len(texts) == 1:
        return gettext(
            "Your scores are not adjusted for how generously your raters rate: %(reason)s."
        ) % {"reason": texts[0]}
    return ""


def _norm_note(group_size: int | None, scales: Sequence[ScaleView]) -> str:
    """One sentence about norm percentiles for the whole report."""
    if group_size is not None and group_size < MIN_NORM_GROUP:
        return ngettext(
            "No norm percentiles: the comparison group (%(count)s person rated in this cycle) is "
            "too small; percentiles need at least %(minimum)s.",
            "No norm percentiles: the comparison group (%(count)s people rated in this cycle) is "
            "too small; percentiles need at least %(minimum)s.",
            group_size,
        ) % {"count": group_size, "minimum": MIN_NORM_GROUP}
    if not any(scale.percentile is not None for scale in scales):
        return ""
    if group_size:
        return ngettext(
            "A norm percentile compares what everyone except you said with the comparison group "
            "(%(count)s person rated in this cycle): the 60th percentile means higher than about "
            "60 in 100 people in it.",
            "A norm percentile compares what everyone except you said with the comparison group "
            "(%(count)s people rated in this cycle): the 60th percentile means higher than about "
            "60 in 100 people in it.",
            group_size,
        ) % {"count": group_size}
    return gettext(
        "A norm percentile compares what everyone except you said with the comparison group: "
        "the 60th percentile means higher than about 60 in 100 people in it."
    )


def _question_tables(
    report: Mapping[str, Any], instrument: Instrument
) -> tuple[QuestionTable, ...]:
    """Per scale, each question's shown figures: exactly the item aggregates the dict holds."""
    items = report.get("items") or {}
    tables = []
    for scale in instrument.scales:
        questions = [it for it in instrument.items if it.scale == scale.id]
        shown = {
            it.id: {
                str(a["label"]): _float(a.get("mean"))
                for a in (items.get(it.id) or ())
                if _float(a.get("mean")) is not None
            }
            for it in questions
        }
        labels = [label for label in SLOTS if any(label in row for row in shown.values())]
        if not labels:
            continue
        rows = tuple(
            QuestionRow(
                item_id=it.id,
                text=it.observer_text or it.self_text,
                reverse=it.reverse,
                cells=tuple(format_score(shown[it.id].get(label)) for label in labels),
            )
            for it in questions
        )
        tables.append(
            QuestionTable(
                scale_id=scale.id,
                scale_name=scale.name,
                columns=tuple(str(wording.AGGREGATE_TITLES[label]) for label in labels),
                rows=rows,
            )
        )
    return tuple(tables)


def _own_comments(report: Mapping[str, Any], instrument: Instrument) -> tuple[CommentGroup, ...]:
    """The participant's own answers to the open questions (the self sheet promises them)."""
    own = report.get("self_comments") or {}
    return tuple(
        CommentGroup(question_id=q.id, question=q.self_text, comments=(str(own[q.id]).strip(),))
        for q in instrument.open_questions
        if str(own.get(q.id) or "").strip()
    )


def _and(parts: Sequence[str]) -> str:
    """Parts of a sentence as a list: "a", "a and b", "a, b and c"."""
    if len(parts) < 2:
        return "".join(parts)
    # Translators: the end of a list, e.g. "managers, peers and direct reports"; items is the
    # list's start, already joined with commas.
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def _group_minimum(group: str, minimum: int) -> str:
    if group == "manager":
        return gettext("at least %(count)s for your manager") % {"count": minimum}
    if group == "peer":
        return gettext("at least %(count)s for peers") % {"count": minimum}
    return gettext("at least %(count)s for direct reports") % {"count": minimum}


def _hidden_groups_note(scales: Sequence[ScaleView], minimums: Mapping[str, Any]) -> str:
    shown = {row.label for s in scales for row in s.rows}
    named = [g for g in _GROUPS_ON_THEIR_OWN if g in shown and g in minimums]
    rest = sorted(
        {
            int(minimums[g])
            for g in (*_GROUPS_ON_THEIR_OWN, "other")
            if g not in named and g in minimums
        }
    )
    parts = [_group_minimum(g, int(minimums[g])) for g in named]
    if rest:
        span = (
            f"{rest[0]}"
            if len(rest) == 1
            else gettext("%(lower)s to %(upper)s") % {"lower": rest[0], "upper": rest[-1]}
        )
        parts.append(
            gettext("at least %(count)s for any other group") % {"count": span}
            if named
            else gettext("at least %(count)s") % {"count": span}
        )
    rule = _and(parts)
    if rule:
        opening = gettext(
            "A group of raters is shown on its own only when enough of its members answered "
            "that no one can be singled out: %(rule)s."
        ) % {"rule": rule}
    else:
        opening = gettext(
            "A group of raters is shown on its own only when enough of its members answered "
            "that no one can be singled out."
        )
    return (
        opening
        + " "
        + gettext(
            "Groups below their minimum are not shown: their answers are folded into “Others”, "
            "or left out when even that would be too few. A question is shown for a group only "
            "when enough of it answered that question, and each scale is the average of the "
            "questions shown, so no combination of the numbers in this report lets anyone work "
            "out how one person, or a group below its minimum, rated you."
        )
    )


def _item_flag(
    entry: Mapping[str, Any], texts: Mapping[str, str], scales_of: Mapping[str, str]
) -> ItemFlagView:
    item = str(entry["item"])
    reverse = bool(entry.get("reverse"))
    self_score, others_score = _float(entry.get("self")), _float(entry.get("others"))
    note = (
        gettext("This behaviour is one to do less of: here a lower number is better.")
        if reverse
        else gettext("A higher number means the behaviour is seen more often.")
    )
    return ItemFlagView(
        item_id=item,
        text=texts.get(item, item),
        scale_name=scales_of.get(item, ""),
        self_score=self_score,
        others_score=others_score,
        self_text=format_score(self_score),
        others_text=format_score(others_score),
        reverse=reverse,
        note=note,
    )


def _answer_label(value: float | None, labels: Sequence[str], lo: int) -> str:
    if value is None or not labels:
        return ""
    k = min(max(math.floor(value - lo + 0.5), 0), len(labels) - 1)
    return labels[k]


def _section_summary(section_id: str, rows: Sequence[SelfRow], middle: float) -> str | None:
    values = {r.id: r.value for r in rows}
    if section_id == "motivation_to_manage":
        dev, adv = values.get("developing_people"), values.get("advancement_status")
        if dev is None or adv is None:
            return None
        if max(dev, adv) < middle:
            return gettext(
                "Neither developing people nor advancement and status drew you much. That is "
                "worth knowing before choosing people management: a track where you lead "
                "through your expertise or own a project may suit you better."
            )
        if dev - adv >= 0.5:
            return gettext(
                "Your answers lean towards managing in order to develop people: the motivation "
                "that tends to make good people managers."
            )
        if adv - dev >= 0.5:
            return gettext(
                "Your answers lean towards advancement and status. That is honest and common. "
                "Before choosing people management, ask yourself whether you would enjoy the "
                "daily work of helping others grow; other tracks lead upwards too."
            )
        return gettext(
            "Developing people and advancement matter to you about equally. It is worth "
            "talking through which of the two would carry you through a hard week as a manager."
        )
    present = [r for r in rows if r.value is not None]
    if not present:
        return None
    top = max(r.value for r in present if r.value is not None)
    best = [r.name for r in present if r.value == top]
    if len(best) == len(present) and len(present) > 1:
        return gettext("You are equally drawn to each of these.")
    return gettext("Your strongest interest: %(interests)s.") % {"interests": _and(best)}


def _self_sections(instrument: Instrument, data: Mapping[str, Any]) -> tuple[SelfSectionView, ...]:
    out = []
    for section in instrument.self_sections:
        answers = data.get(section.id) or {}
        rs = instrument.response_scale(section.response_scale)
        rows = tuple(
            SelfRow(
                id=sub.id,
                name=sub.name,
                value=_float(answers.get(sub.id)),
                value_text=format_score(_float(answers.get(sub.id))),
                answer_label=_answer_label(_float(answers.get(sub.id)), rs.labels, rs.minimum),
            )
            for sub in section.subscales
        )
        if all(r.value is None for r in rows):
            continue
        out.append(
            SelfSectionView(
                id=section.id,
                name=section.name,
                prompt=section.prompt,
                scale_text=f"{rs.minimum} = {rs.labels[0]} … {rs.maximum} = {rs.labels[-1]}",
                rows=rows,
                summary=_section_summary(section.id, rows, (rs.minimum + rs.maximum) / 2),
            )
        )
    return tuple(out)


def _comment_groups(
    instrument: Instrument, comments: Sequence[Comment]
) -> tuple[CommentGroup, ...]:
    questions = {q.id: q.observer_text for q in instrument.open_questions}
    order = [q.id for q in instrument.open_questions]
    grouped: dict[str, list[str]] = {}
    for c in comments:
        text = c.text.strip()
        if text:
            grouped.setdefault(c.question_id, []).append(text)
    ids = [q for q in order if q in grouped] + [q for q in grouped if q not in questions]
    return tuple(
        CommentGroup(
            question_id=q,
            question=questions.get(q) or gettext("Other comments"),
            comments=tuple(grouped[q]),
        )
        for q in ids
    )


def build_report(
    report: Mapping[str, Any],
    instrument: Instrument,
    *,
    comments: Sequence[Comment],
    person_name: str,
    cycle_name: str,
) -> ReportView:
    """Turn one stored report dict into everything the report templates show.

    Parameters
    ----------
    report : mapping
        One ratee's report as produced by :func:`tandem.measure.report.ratee_dicts`.
    instrument : Instrument
        The instrument the cycle used: scale names, roles and item wording.
    comments : sequence of Comment
        Open comments, already filtered by the anonymity rule and shuffled.
    person_name, cycle_name : str
        Shown in the heading.

    Returns
    -------
    ReportView

    Examples
    --------
    >>> from tandem.measure import load_instrument
    >>> view = build_report({"scales": {}, "norms": {}, "self_other": {}}, load_instrument(
    ...     "tandem-lm-1"), comments=[Comment("keep", "The Friday notes")],
    ...     person_name="Ana", cycle_name="Spring")
    >>> view.placement is None, view.comment_groups[0].comments
    (True, ('The Friday notes',))
    """
    rs = instrument.response_scale()
    lo, hi = rs.minimum, rs.maximum
    placement, placement_note = _placement(report.get("profile"), lo, hi)
    scale_data = report.get("scales") or {}
    norms = report.get("norms") or {}
    scales = tuple(
        _scale_view(
            scale.id,
            scale.name,
            scale.description,
            scale.role or "",
            scale_data.get(scale.id) or (),
            _float((norms.get(scale.id) or {}).get("percentile")),
            lo,
            hi,
            report.get("norm_group_size"),
        )
        for scale in instrument.scales
    )
    questions = {table.scale_id: table for table in _question_tables(report, instrument)}
    leniency = report.get("leniency") or {}
    adjusted = leniency.get("scales") or {}
    scales = tuple(
        dataclasses.replace(
            s,
            questions=questions.get(s.id),
            adjusted_sentence=_adjusted_sentence(adjusted.get(s.id), s.all_others),
        )
        for s in scales
    )
    roles = tuple(
        RoleSection(
            role, str(wording.ROLE_TITLES[role]), tuple(s for s in scales if s.role == role)
        )
        for role in ("leadership", "management")
        if any(s.role == role for s in scales)
    )
    unassigned = tuple(s for s in scales if s.role not in wording.ROLE_TITLES)
    if unassigned:
        roles += (RoleSection("", gettext("Other scales"), unassigned),)

    so = report.get("self_other") or {}
    so_scales = so.get("scales") or {}
    estimates = report.get("others_estimate") or {}
    agreement = []
    not_compared = gettext("Not compared")
    for scale in (s for role in roles for s in role.scales):  # the order the page uses
        row = so_scales.get(scale.id) or {}
        category = row.get("category") or None
        est = _float((estimates.get(scale.id) or {}).get("estimate"))
        self_score, others_score = _float(row.get("self")), _float(row.get("others"))
        diff = _float(row.get("difference"))
        title = (
            str(wording.CATEGORY_TITLES.get(category) or not_compared) if category else not_compared
        )
        agreement.append(
            AgreementView(
                scale_id=scale.id,
                scale_name=scale.name,
                role_title=scale.role_title,
                category=category,
                title=title,
                explanation=str(wording.CATEGORY_EXPLANATIONS.get(category, wording.NO_CATEGORY))
                if category
                else str(wording.NO_CATEGORY),
                self_score=self_score,
                others_score=others_score,
                self_text=format_score(self_score),
                others_text=format_score(others_score),
                difference_text="–" if diff is None else f"{diff:+.2f}",
                estimate=est,
                estimate_text=format_score(est),
            )
        )
    seen: dict[str, CategoryNote] = {}
    for row in agreement:
        if row.category and row.title not in seen:
            seen[row.title] = CategoryNote(row.title, row.explanation)
    if any(not row.category for row in agreement):
        seen.setdefault(not_compared, CategoryNote(not_compared, str(wording.NO_CATEGORY)))
    cut = _float(so.get("cut"))
    reference = so.get("reference") or {}
    # The basis comes from tandem.measure, in English, as stored with the report.
    against = str(reference.get("basis") or gettext("the comparison group"))
    sds = [v for v in (reference.get("sd") or {}).values() if isinstance(v, int | float)]
    sd_text = f" ({format_score(max(sds))})" if sds and max(sds) == min(sds) else ""
    if cut is None:
        agreement_note = gettext("“Others” here means everyone except you.")
    else:
        values = {"sd": sd_text, "against": against, "cut": format_score(cut)}
        agreement_note = (
            gettext(
                "“Others” here means everyone except you. A gap counts only when it is larger "
                "than half a standard deviation%(sd)s of how people are rated, taken from "
                "%(against)s; smaller gaps count as agreement. A scale that only one person "
                "besides you rated is not compared: one view is not enough."
            )
            if cut == 0.5
            else gettext(
                "“Others” here means everyone except you. A gap counts only when it is larger "
                "than %(cut)s a standard deviation%(sd)s of how people are rated, taken from "
                "%(against)s; smaller gaps count as agreement. A scale that only one person "
                "besides you rated is not compared: one view is not enough."
            )
        ) % values

    texts = {it.id: it.observer_text or it.self_text for it in instrument.items}
    scale_names = {s.id: s.name for s in instrument.scales}
    scales_of = {it.id: scale_names[it.scale] for it in instrument.items}
    blind = tuple(
        _item_flag(e, texts, scales_of) for e in (so.get("blind_spots") or ())[:TOP_ITEMS]
    )
    hidden = tuple(
        _item_flag(e, texts, scales_of) for e in (so.get("hidden_strengths") or ())[:TOP_ITEMS]
    )
    item_others = {
        iid: v
        for iid, row in (so.get("items") or {}).items()
        if (v := _float((row or {}).get("others"))) is not None
    }
    sections = _self_sections(instrument, report.get("self_sections") or {})
    groups = _comment_groups(instrument, comments)
    return ReportView(
        person_name=person_name,
        cycle_name=cycle_name,
        instrument_title=instrument.title,
        instrument_version=instrument.version,
        scale_min=lo,
        scale_max=hi,
        answer_scale_text=", ".join(f"{lo + k} = {label}" for k, label in enumerate(rs.labels)),
        placement=placement,
        placement_note=placement_note,
        roles=roles,
        scales=scales,
        hidden_groups_note=_hidden_groups_note(scales, report.get("minimums") or {}),
        agreement=tuple(agreement),
        agreement_note=agreement_note,
        category_notes=tuple(seen.values()),
        norm_note=_norm_note(report.get("norm_group_size"), scales),
        leniency_note=_leniency_note(leniency, scales),
        own_comments=_own_comments(report, instrument),
        blind_spots=blind,
        hidden_strengths=hidden,
        self_sections=sections,
        comment_groups=groups,
        comments_note=gettext(
            "Comments are shown word for word, without names and in random order. They "
            "appear only from rater groups large enough to stay anonymous."
        ),
        next_steps=next_steps(
            placement, blind, hidden, scales, agreement, sections, item_others, instrument
        ),
    )
