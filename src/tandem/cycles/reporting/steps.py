"""Suggested next steps, written from a person's own results, in Tandem's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy, ngettext

from tandem.cycles.reporting.report_view import (
    AgreementView,
    ItemFlagView,
    NextStep,
    PlacementView,
    ScaleView,
    SelfSectionView,
)
from tandem.measure import Instrument

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

__all__ = ["next_steps"]


_PROFILE_STEPS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "leader-manager": (
        gettext_lazy("Pass it on"),
        gettext_lazy(
            "Others see you both set a direction and make the work run. Mentor someone who is "
            "strong on one side and wants to grow the other, and look for a stretch role that "
            "needs both."
        ),
    ),
    "leader": (
        gettext_lazy("Decide whether you want to manage people"),
        gettext_lazy(
            "Your leadership shows more than your management. If you want to manage people, "
            "build the basics: a written plan, clear owners, a regular review. If you do not, a "
            "track where you lead without direct reports, owning a project, a process or an "
            "area, may suit you well."
        ),
    ),
    "manager": (
        gettext_lazy("Add direction to the work you run"),
        gettext_lazy(
            "Your management shows more than your leadership. Start each piece of work by saying "
            "why it matters and where it leads; shadow a leader you admire, or take on a small "
            "project that needs people to change how they work."
        ),
    ),
    "emerging": (
        gettext_lazy("Pick one side to start with"),
        gettext_lazy(
            "Choose the side that interests you more, and one scale within it. A small project "
            "you own, a workshop, or a mentor who is good at it are practical ways in."
        ),
    ),
}


def next_steps(
    placement: PlacementView | None,
    blind: Sequence[ItemFlagView],
    hidden: Sequence[ItemFlagView],
    scales: Sequence[ScaleView],
    agreement: Sequence[AgreementView],
    sections: Sequence[SelfSectionView],
    item_others: Mapping[str, float],
    instrument: Instrument,
) -> tuple[NextStep, ...]:
    steps: list[NextStep] = []
    if placement is not None:
        key = placement.leaning if placement.borderline else placement.code
        if key in _PROFILE_STEPS:
            title, text = (str(part) for part in _PROFILE_STEPS[key])
            if placement.borderline:
                text = gettext(
                    "Your placement is close to a cut, so hold the label lightly. Still, as "
                    "things stand: %(step)s"
                ) % {"step": f"{text[0].lower()}{text[1:]}"}
            steps.append(NextStep(title, text))
    used: set[str] = set()
    if blind:
        b = blind[0]
        used.add(b.item_id)
        steps.append(
            NextStep(
                gettext("Check your biggest blind spot"),
                (
                    gettext(
                        "On “%(behaviour)s” you rate yourself more favourably than others do "
                        "(you %(you)s, others %(others)s; lower is better here). Ask two or "
                        "three people for a recent example, agree one change they would notice, "
                        "and ask again in a month."
                    )
                    if b.reverse
                    else gettext(
                        "On “%(behaviour)s” you rate yourself more favourably than others do "
                        "(you %(you)s, others %(others)s). Ask two or three people for a recent "
                        "example, agree one change they would notice, and ask again in a month."
                    )
                )
                % {"behaviour": b.text, "you": b.self_text, "others": b.others_text},
            )
        )
    if hidden:
        h = hidden[0]
        used.add(h.item_id)
        steps.append(
            NextStep(
                gettext("Use a strength others see in you"),
                (
                    gettext(
                        "On “%(behaviour)s” others rate you more favourably than you rate "
                        "yourself (you %(you)s, others %(others)s; lower is better here). Trust "
                        "it more: take on work that calls for it, and offer it to someone who is "
                        "learning it."
                    )
                    if h.reverse
                    else gettext(
                        "On “%(behaviour)s” others rate you more favourably than you rate "
                        "yourself (you %(you)s, others %(others)s). Trust it more: take on work "
                        "that calls for it, and offer it to someone who is learning it."
                    )
                )
                % {"behaviour": h.text, "you": h.self_text, "others": h.others_text},
            )
        )
    rated = [(s.all_others.mean, i, s) for i, s in enumerate(scales) if s.all_others is not None]
    if rated:
        _, _, weakest = min(rated, key=lambda t: (t[0], t[1]))
        rs = instrument.response_scale()
        scale = next(sc for sc in instrument.scales if sc.id == weakest.id)
        candidates = []
        for it in scale.items:
            value = item_others.get(it.id)
            if value is None or it.id in used:
                continue
            keyed = rs.minimum + rs.maximum - value if it.reverse else value
            candidates.append((keyed, it))
        detail = ""
        if candidates:
            _, item = min(candidates, key=lambda t: t[0])
            text = item.observer_text or item.self_text
            if item.reverse:
                detail = gettext(
                    "One behaviour to start with: “%(behaviour)s” (one to do less of)."
                )
            elif not text.rstrip().endswith((".", "!", "?")):
                detail = gettext("One behaviour to start with: “%(behaviour)s”.")
            else:  # a quotation that ends a sentence already has its full stop
                detail = gettext("One behaviour to start with: “%(behaviour)s”")
            detail = " " + detail % {"behaviour": text}
        mean_text = weakest.all_others.mean_text if weakest.all_others else ""
        steps.append(
            NextStep(
                gettext("Grow in %(scale)s") % {"scale": weakest.name.lower()},
                gettext("This is the scale others rate lowest for you (%(mean)s out of %(max)s).")
                % {"mean": mean_text, "max": rs.maximum}
                + detail
                + " "
                + gettext("A workshop, a mentor or a small project can give you practice."),
            )
        )
    over = sum(1 for a in agreement if a.category == "over-estimator")
    if agreement and over * 2 >= len(agreement) and over >= 2:
        steps.append(
            NextStep(
                gettext("Ask for feedback more often"),
                ngettext(
                    "On %(over)s of %(count)s scale you see more in yourself than others do. A "
                    "short, regular question such as “what is one thing I could do better next "
                    "week?” closes the gap faster than a yearly survey.",
                    "On %(over)s of %(count)s scales you see more in yourself than others do. A "
                    "short, regular question such as “what is one thing I could do better next "
                    "week?” closes the gap faster than a yearly survey.",
                    len(agreement),
                )
                % {"over": over, "count": len(agreement)},
            )
        )
    motivation = next((s for s in sections if s.id == "motivation_to_manage"), None)
    if motivation is not None:
        values = {r.id: r.value for r in motivation.rows}
        dev, adv = values.get("developing_people"), values.get("advancement_status")
        if dev is not None and adv is not None and adv - dev >= 0.5:
            steps.append(
                NextStep(
                    gettext("Talk about your track"),
                    gettext(
                        "Your answers lean more towards advancement than towards developing "
                        "people. Talk with your manager about every track open to you, including "
                        "expert work and leading without direct reports."
                    ),
                )
            )
    steps.append(
        NextStep(
            gettext("Share what you take from this"),
            gettext(
                "Tell your manager or a trusted colleague one thing you learned from this report "
                "and one thing you will try, and agree when you will look back at it together."
            ),
        )
    )
    return tuple(steps)
