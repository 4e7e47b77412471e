"""The report's plain-language texts, in one place so they can be read and reviewed together.

Every sentence here is Tandem's own wording, translated when it is shown (lazily: a
value becomes text in the language active where it is read). Placement codes come from
``tandem.measure.PLACEMENTS`` and agreement categories from ``tandem.measure.CATEGORIES``; a
test checks that each has a text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext_lazy, pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

__all__ = [
    "AGGREGATE_DESCRIPTIONS",
    "AGGREGATE_TITLES",
    "CATEGORY_EXPLANATIONS",
    "CATEGORY_TITLES",
    "NO_CATEGORY",
    "PLACEMENT_SUMMARIES",
    "PLACEMENT_TITLES",
    "ROLE_TITLES",
]

# The six aggregates of tandem.measure.SLOTS, as a reader calls them.
AGGREGATE_TITLES: Final[dict[str, StrOrPromise]] = {
    "self": pgettext_lazy("rater group in a report", "You"),
    "manager": pgettext_lazy("rater group in a report", "Your manager"),
    "peer": pgettext_lazy("rater group in a report", "Peers"),
    "direct_report": pgettext_lazy("rater group in a report", "Direct reports"),
    "others": pgettext_lazy("rater group in a report", "Others"),
    "all_others": pgettext_lazy("rater group in a report", "Everyone except you"),
}

# What each aggregate holds. "Others" never names the groups it pools: a group below its
# minimum must not appear anywhere, not even as part of a description.
AGGREGATE_DESCRIPTIONS: Final[dict[str, StrOrPromise]] = {
    "self": gettext_lazy("Your own answers."),
    "manager": gettext_lazy("Your manager's answers."),
    "peer": gettext_lazy("Colleagues who work alongside you."),
    "direct_report": gettext_lazy("People who report to you."),
    "others": gettext_lazy("Everyone else who rated you and is not shown in a group of their own."),
    "all_others": gettext_lazy(
        "Everyone who rated you, apart from you: the figure the norms and the profile use."
    ),
}

ROLE_TITLES: Final[dict[str, StrOrPromise]] = {
    "leadership": gettext_lazy("Leadership"),
    "management": gettext_lazy("Management"),
}

PLACEMENT_TITLES: Final[dict[str, StrOrPromise]] = {
    "leader-manager": pgettext_lazy("placement", "Leader and manager"),
    "leader": pgettext_lazy("placement", "Leader"),
    "manager": pgettext_lazy("placement", "Manager"),
    "emerging": pgettext_lazy("placement", "Emerging"),
    "borderline": pgettext_lazy("placement", "Borderline"),
}

PLACEMENT_SUMMARIES: Final[dict[str, StrOrPromise]] = {
    "leader-manager": gettext_lazy(
        "The people who rated you see both strong leadership and strong management: you "
        "set a direction and you also make the work run."
    ),
    "leader": gettext_lazy(
        "The people who rated you see your leadership more than your management: you give "
        "direction and energy, while planning and organising are less visible."
    ),
    "manager": gettext_lazy(
        "The people who rated you see your management more than your leadership: work runs "
        "well around you, while direction and inspiration are less visible."
    ),
    "emerging": gettext_lazy(
        "Neither leadership nor management stands out yet in the eyes of the people who "
        "rated you. That is a starting point, not a verdict: both can be learned."
    ),
    "borderline": gettext_lazy(
        "Your scores sit so close to a cut that the label is uncertain: with a few different "
        "raters it could have come out differently."
    ),
}

CATEGORY_TITLES: Final[dict[str, StrOrPromise]] = {
    "over-estimator": gettext_lazy("You see more than others do"),
    "under-estimator": gettext_lazy("Others see more than you do"),
    "in-agreement/good": gettext_lazy("Agreed strength"),
    "in-agreement/poor": gettext_lazy("Agreed area to grow"),
}

CATEGORY_EXPLANATIONS: Final[dict[str, StrOrPromise]] = {
    "over-estimator": gettext_lazy(
        "You rate yourself clearly higher here than the people who work with you do. This "
        "is common and not a judgement: often the intention is there but does not yet show "
        "in what others experience. Ask for a recent example of when it worked and when it "
        "did not."
    ),
    "under-estimator": gettext_lazy(
        "The people who work with you rate you clearly higher here than you rate yourself. "
        "You may be underselling a real strength: lean on it more, and let it show."
    ),
    "in-agreement/good": gettext_lazy(
        "You and the people who rated you see this much the same way, and they rate it at "
        "or above the typical level of the comparison group. A strength you can build on "
        "and help others learn."
    ),
    "in-agreement/poor": gettext_lazy(
        "You and the people who rated you see this much the same way, and both of you put "
        "it below the typical level of the comparison group. Because you already agree on "
        "where you stand, it is a good place to start growing."
    ),
}

NO_CATEGORY: Final[StrOrPromise] = gettext_lazy(
    "Not enough answers from you and from others on this scale to compare the two."
)


LENIENCY_REASONS: Final[dict[str, StrOrPromise]] = {
    "not_fitted": gettext_lazy(
        "this cycle's design cannot tell how generous a rater is apart from how good the people "
        "they rated are (raters rarely rated more than one person)"
    ),
    "no_spread": gettext_lazy(
        "in this cycle raters differ no more in generosity than chance would make them, so no "
        "score moves"
    ),
    "not_shown": gettext_lazy("your others' scores are not shown"),
    "few_linked": gettext_lazy(
        "too few of your raters also rated other people, and generosity shows only there"
    ),
    "few_connected": gettext_lazy(
        "too few other people's ratings connect to yours to allow for it without revealing "
        "someone's answers"
    ),
}
"""Why a report's scores are not adjusted for rater leniency (``tandem.measure.leniency``
reason codes), in the report's words."""
