"""The emails careers sends: who is told what, in plain words, with a link to act on.

Each function queues its emails with ``mail_queue`` and is called by a service inside its
transaction, so an email exists exactly when the change does and is delivered after the commit.
Subjects are fixed: titles, names and notes are typed by people and never reach a mail header.
Nobody is told about their own action, and people who have left or have no email address get
none. ``docs/careers-promotion.md`` lists who is told what, and when.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from tandem import access
from tandem.careers.models import Evidence, Outcome, PromotionCase, Verdict
from tandem.outbox.services import Mail, mail_queue
from tandem.people.models import Person


@dataclass(frozen=True)
class _Actor:
    """Who did it, to leave them out and to name them: a user, or the system (None)."""

    person_id: int | None
    emails: frozenset[str]
    name: str

    @classmethod
    def of(cls, actor: Any) -> _Actor:
        if actor is None or not getattr(actor, "is_authenticated", False):
            return cls(None, frozenset(), "")
        person = access.person_of(actor)
        emails = {actor.email.lower()} | ({person.email.lower()} if person else set())
        name = person.name if person else actor.get_full_name()
        return cls(person.pk if person else None, frozenset(e for e in emails if e), name)

    def is_(self, person: Person) -> bool:
        return person.pk == self.person_id or person.email.lower() in self.emails


def _link(name: str, *args: int, anchor: str = "") -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}" + (f"#{anchor}" if anchor else "")


def _to(person: Person | None, actor: _Actor) -> list[str]:
    """The person's address, unless they did it themselves, have left, or have none."""
    if person is None or not person.email or not person.is_active or actor.is_(person):
        return []
    return [person.email]


def _queue(case_or_person: PromotionCase | Person, kind: str, messages: Iterable[Mail]) -> None:
    messages = [m for m in messages if m[3]]
    if messages:
        mail_queue(organisation=case_or_person.organisation, messages=messages, kind=kind)


def _level(case: PromotionCase) -> str:
    level = case.target_level
    return f"{level.track.name}, level {level.number} ({level.title})"


def _hello(name: str) -> str:
    return f"Hello {name},\n\n" if name else "Hello,\n\n"


# --- promotion cases ---------------------------------------------------------------------------


def case_opened(*, case: PromotionCase, actor: Any) -> None:
    """Tell the candidate a case was opened for them, and their manager when someone else
    opened it (the candidate, the people team, a manager further up)."""
    who = _Actor.of(actor)
    candidate, manager = case.candidate, case.candidate.manager
    link = _link("careers:case", case.pk)
    opened = f"{who.name} opened a promotion case" if who.name else "A promotion case was opened"
    if who.is_(candidate):
        for_them = f"{candidate.name} opened their own promotion case: {_level(case)}."
    else:
        for_them = f"{opened} for {candidate.name}: {_level(case)}."
    _queue(
        case,
        "careers.case_opened",
        [
            (
                "A promotion case has been opened for you",
                f"{_hello(candidate.name)}{opened} for you: {_level(case)}.\n\n"
                "A case argues, criterion by criterion and with your evidence, that you meet "
                "that level. You and your manager write it together; when it is ready, your "
                "manager proposes it, and the people team decides after the calibration "
                f"session. Nothing is decided yet.\n\n{link}\n",
                None,
                _to(candidate, who),
            ),
            (
                "A promotion case has been opened in your team",
                f"{_hello(manager.name if manager else '')}{for_them}\n\n"
                f"As {candidate.name}'s manager you argue it with them, "
                "criterion by criterion, and propose it for calibration when it is ready.\n\n"
                f"{link}\n",
                None,
                _to(manager, who),
            ),
        ],
    )


def case_peer_asked(*, case: PromotionCase, peer: Person, actor: Any) -> None:
    """Tell a peer their input on a case is asked, with the link where they give it."""
    who = _Actor.of(actor)
    name = case.candidate.name
    asks = f"{who.name} asks for your input" if who.name else "Your input is asked"
    whose = "their own" if who.is_(case.candidate) else f"{name}'s"
    _queue(
        case,
        "careers.peer_input_asked",
        [
            (
                "Your input is asked on a colleague's promotion case",
                f"{_hello(peer.name)}{asks} on {whose} promotion case for {_level(case)}.\n\n"
                f"Read the case and add a few words on what you have seen {name} do, on the "
                f"case as a whole or on one criterion. {name}, their managers and the people "
                "team read your input with your name.\n\n"
                f"Give your input here: {_link('careers:case', case.pk, anchor='peers')}\n",
                None,
                _to(peer, who),
            )
        ],
    )


def case_proposed(*, case: PromotionCase, actor: Any) -> None:
    """Tell the people who decide that a case waits for them, and the candidate that their case
    went forward."""
    who = _Actor.of(actor)
    candidate = case.candidate
    link = _link("careers:case", case.pk)
    proposed = (
        f"{who.name} proposed {candidate.name}'s promotion case for {_level(case)}."
        if who.name
        else f"{candidate.name}'s promotion case for {_level(case)} has been proposed."
    )
    deciders: list[Mail] = []
    for member in access.careers.who_decides_case(case):
        user, person = member.user, member.person
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue
        if person is not None and who.is_(person):
            continue
        deciders.append(
            (
                "A promotion case is ready for calibration",
                f"{_hello(person.name if person else user.full_name)}{proposed}\n\n"
                "It now waits for a decision: discuss it in the calibration session, then "
                f"record a decision on each criterion, with a reason {candidate.name} can "
                f"read.\n\nThe case: {link}\n"
                f"The calibration session: {_link('careers:calibration')}\n",
                None,
                [user.email],
            )
        )
    _queue(case, "careers.case_to_decide", deciders)
    yours = (
        f"{who.name} proposed your promotion case for {_level(case)}."
        if who.name
        else f"Your promotion case for {_level(case)} has been proposed."
    )
    _queue(
        case,
        "careers.case_proposed",
        [
            (
                "Your promotion case has been proposed for calibration",
                f"{_hello(candidate.name)}{yours} The people team discusses it in the "
                "calibration session and decides; you will get an email when they have.\n\n"
                f"{link}\n",
                None,
                _to(candidate, who),
            )
        ],
    )


def verdicts_in_words(verdicts: Sequence[str]) -> str:
    """How the criteria of a case were decided, in one plain sentence.

    >>> verdicts_in_words(["met", "partly", "not_yet", "met"])
    'Of the 4 criteria of the level, 2 were met, 1 partly met and 1 not yet met.'
    >>> verdicts_in_words(["met", "met", "met"])
    'All 3 criteria of the level were met.'
    >>> verdicts_in_words(["not_yet", "not_yet"])
    'Neither criterion of the level is met yet.'
    """
    total = len(verdicts)
    words = ((Verdict.MET, "met"), (Verdict.PARTLY, "partly met"), (Verdict.NOT_YET, "not yet met"))
    counts = [(verdicts.count(v), text) for v, text in words if verdicts.count(v)]
    if not counts:
        return ""
    if len(counts) == 1 and counts[0][1] == "not yet met":
        return {
            1: "The one criterion of the level is not yet met.",
            2: "Neither criterion of the level is met yet.",
        }.get(total, f"None of the {total} criteria of the level is met yet.")
    if len(counts) == 1:
        whole = {1: "The one criterion of the level was", 2: "Both criteria of the level were"}
        return f"{whole.get(total, f'All {total} criteria of the level were')} {counts[0][1]}."
    (n, text), *rest = counts
    listed = [f"{n} {'was' if n == 1 else 'were'} {text}", *(f"{m} {t}" for m, t in rest)]
    return f"Of the {total} criteria of the level, {', '.join(listed[:-1])} and {listed[-1]}."


def case_decided(
    *, case: PromotionCase, verdicts: Sequence[str], since: datetime.date, actor: Any
) -> None:
    """Tell the candidate and their manager the decision: the outcome, how each criterion was
    decided in a sentence, and the link to the reasons on the case."""
    who = _Actor.of(actor)
    candidate, manager = case.candidate, case.candidate.manager
    link = _link("careers:case", case.pk, anchor="decision")
    approved = case.outcome == Outcome.PROMOTED
    outcome = "approved" if approved else "not yet"
    criteria = verdicts_in_words(verdicts)
    if approved:
        for_candidate = (
            f"Congratulations: you are on that level from {since.day} {since:%B %Y}.\n\n{criteria} "
            "Each criterion's decision and its reason are on the case:"
        )
    else:
        for_candidate = (
            f"{criteria} The reasons on the case say what is still to show; read them, talk "
            "them over with your manager, and plan the next step together:"
        )
    _queue(
        case,
        "careers.case_decided",
        [
            (
                "A decision on your promotion case",
                f"{_hello(candidate.name)}The people team has decided your promotion case for "
                f"{_level(case)}: {outcome}.\n\n{for_candidate}\n\n{link}\n",
                None,
                _to(candidate, who),
            ),
            (
                "A decision on a promotion case in your team",
                f"{_hello(manager.name if manager else '')}The people team has decided "
                f"{candidate.name}'s promotion case for {_level(case)}: {outcome}.\n\n"
                f"{criteria} Read the reasons on the case, and talk them over with "
                f"{candidate.name}:\n\n{link}\n",
                None,
                _to(manager, who),
            ),
        ],
    )


# --- evidence ----------------------------------------------------------------------------------


def evidence_endorsed(*, evidence: Evidence, endorser: Person, note: str, actor: Any) -> None:
    """Tell the author of an entry that someone endorsed it."""
    who = _Actor.of(actor)
    author = evidence.person
    said = f"\nTheir word on it: {note}\n" if note else ""
    _queue(
        author,
        "careers.evidence_endorsed",
        [
            (
                "Your evidence has been endorsed",
                f"{_hello(author.name)}{endorser.name} endorsed an accomplishment you logged:"
                f"\n\n{evidence.what}\n{said}\n"
                "Endorsed evidence is what lets a criterion of a promotion case count as met: "
                "argued, with evidence someone else vouches for.\n\n"
                f"{_link('careers:me', anchor=f'evidence-{evidence.pk}')}\n",
                None,
                _to(author, who) if author.pk != endorser.pk else [],
            )
        ],
    )
