"""Suggested next steps, written from a person's own results, in Tandem's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tandem.cycles.reporting.report_view import (
    AgreementView,
    ItemFlagView,
    NextStep,
    PlacementView,
    ScaleView,
    SelfSectionView,
)
from tandem.measure import Instrument

__all__ = ["next_steps"]


def _lower_better(flag: ItemFlagView) -> str:
    return "; lower is better here" if flag.reverse else ""


_PROFILE_STEPS: dict[str, tuple[str, str]] = {
    "leader-manager": (
        "Pass it on",
        "Others see you both set a direction and make the work run. Mentor someone who is "
        "strong on one side and wants to grow the other, and look for a stretch role that "
        "needs both.",
    ),
    "leader": (
        "Decide whether you want to manage people",
        "Your leadership shows more than your management. If you want to manage people, "
        "build the basics: a written plan, clear owners, a regular review. If you do not, a "
        "track where you lead without direct reports, owning a project, a process or an "
        "area, may suit you well.",
    ),
    "manager": (
        "Add direction to the work you run",
        "Your management shows more than your leadership. Start each piece of work by saying "
        "why it matters and where it leads; shadow a leader you admire, or take on a small "
        "project that needs people to change how they work.",
    ),
    "emerging": (
        "Pick one side to start with",
        "Choose the side that interests you more, and one scale within it. A small project "
        "you own, a workshop, or a mentor who is good at it are practical ways in.",
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
            title, text = _PROFILE_STEPS[key]
            if placement.borderline:
                text = (
                    "Your placement is close to a cut, so hold the label lightly. Still, as "
                    f"things stand: {text[0].lower()}{text[1:]}"
                )
            steps.append(NextStep(title, text))
    used: set[str] = set()
    if blind:
        b = blind[0]
        used.add(b.item_id)
        steps.append(
            NextStep(
                "Check your biggest blind spot",
                f"On “{b.text}” you rate yourself more favourably than others do (you "
                f"{b.self_text}, others {b.others_text}{_lower_better(b)}). Ask two or three people for a recent example, agree one "
                "change they would notice, and ask again in a month.",
            )
        )
    if hidden:
        h = hidden[0]
        used.add(h.item_id)
        steps.append(
            NextStep(
                "Use a strength others see in you",
                f"On “{h.text}” others rate you more favourably than you rate yourself "
                f"(you {h.self_text}, others {h.others_text}{_lower_better(h)}). Trust it more: take on work that calls for it, and offer "
                "it to someone who is learning it.",
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
            detail = f" One behaviour to start with: “{text}”"
            if item.reverse:
                detail += " (one to do less of)."
            elif not text.rstrip().endswith((".", "!", "?")):
                detail += "."  # a quotation that ends a sentence already has its full stop
        mean_text = weakest.all_others.mean_text if weakest.all_others else ""
        steps.append(
            NextStep(
                f"Grow in {weakest.name.lower()}",
                f"This is the scale others rate lowest for you ({mean_text} out of "
                f"{rs.maximum}).{detail} A workshop, a mentor or a small project can give "
                "you practice.",
            )
        )
    over = sum(1 for a in agreement if a.category == "over-estimator")
    if agreement and over * 2 >= len(agreement) and over >= 2:
        steps.append(
            NextStep(
                "Ask for feedback more often",
                f"On {over} of {len(agreement)} scales you see more in yourself than others "
                "do. A short, regular question such as “what is one thing I could do better "
                "next week?” closes the gap faster than a yearly survey.",
            )
        )
    motivation = next((s for s in sections if s.id == "motivation_to_manage"), None)
    if motivation is not None:
        values = {r.id: r.value for r in motivation.rows}
        dev, adv = values.get("developing_people"), values.get("advancement_status")
        if dev is not None and adv is not None and adv - dev >= 0.5:
            steps.append(
                NextStep(
                    "Talk about your track",
                    "Your answers lean more towards advancement than towards developing "
                    "people. Talk with your manager about every track open to you, including "
                    "expert work and leading without direct reports.",
                )
            )
    steps.append(
        NextStep(
            "Share what you take from this",
            "Tell your manager or a trusted colleague one thing you learned from this report "
            "and one thing you will try, and agree when you will look back at it together.",
        )
    )
    return tuple(steps)
