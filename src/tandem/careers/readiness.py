"""Readiness of a promotion case, criterion by criterion. Plain values in; of Django only its
translations, to word the reading in the reader's language.

The rule, stated so a candidate can check it:

* **met**: the criterion is argued and at least one linked evidence entry is endorsed by
  someone other than the candidate;
* **partly met**: there is linked evidence, but none of it is endorsed, or it is not argued
  in words yet;
* **not yet**: no evidence is linked (an argument without evidence is not yet enough).

A decision recorded for the criterion replaces this reading.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, pgettext_lazy

MET, PARTLY, NOT_YET = "met", "partly", "not_yet"
LABELS = {
    MET: pgettext_lazy("criterion verdict", "Met"),
    PARTLY: pgettext_lazy("criterion verdict", "Partly met"),
    NOT_YET: pgettext_lazy("criterion verdict", "Not yet"),
}


@dataclass(frozen=True)
class Reading:
    status: str
    why: str

    @property
    def label(self) -> str:
        return str(LABELS[self.status])


def criterion_readiness(*, argued: bool, evidence: int, endorsed: int) -> Reading:
    """Read one criterion from: argued in words, linked entries, and how many are endorsed."""
    if evidence < 0 or endorsed < 0 or endorsed > evidence:
        raise ValueError("need 0 <= endorsed <= evidence")
    if evidence == 0:
        if argued:
            return Reading(NOT_YET, gettext("Argued, but no evidence is linked yet."))
        return Reading(NOT_YET, gettext("Nothing argued or linked yet."))
    if not argued:
        return Reading(
            PARTLY, gettext("Evidence is linked, but the case is not argued in words yet.")
        )
    if endorsed == 0:
        return Reading(
            PARTLY, gettext("Argued with evidence, but nobody has endorsed that evidence yet.")
        )
    return Reading(MET, gettext("Argued, with evidence that others have endorsed."))
