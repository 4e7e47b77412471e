"""Readiness of a promotion case, criterion by criterion. Plain values in, no Django.

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

MET, PARTLY, NOT_YET = "met", "partly", "not_yet"
LABELS = {MET: "Met", PARTLY: "Partly met", NOT_YET: "Not yet"}


@dataclass(frozen=True)
class Reading:
    status: str
    why: str

    @property
    def label(self) -> str:
        return LABELS[self.status]


def criterion_readiness(*, argued: bool, evidence: int, endorsed: int) -> Reading:
    """Read one criterion from: argued in words, linked entries, and how many are endorsed."""
    if evidence < 0 or endorsed < 0 or endorsed > evidence:
        raise ValueError("need 0 <= endorsed <= evidence")
    if evidence == 0:
        if argued:
            return Reading(NOT_YET, "Argued, but no evidence is linked yet.")
        return Reading(NOT_YET, "Nothing argued or linked yet.")
    if not argued:
        return Reading(PARTLY, "Evidence is linked, but the case is not argued in words yet.")
    if endorsed == 0:
        return Reading(PARTLY, "Argued with evidence, but nobody has endorsed that evidence yet.")
    return Reading(MET, "Argued, with evidence that others have endorsed.")
