"""The emails careers sends: who is told what, in plain words, with a link to act on.

Each function queues its emails with ``mail_queue`` and is called by a service inside its
transaction, so an email exists exactly when the change does and is delivered after the commit.
Subjects are fixed: titles, names and notes are typed by people and never reach a mail header.
Nobody is told about their own action, and people who have left or have no email address get
none. Each email is written in its recipient's language (their own choice, else the
organisation's), whoever's request queued it. ``docs/careers-promotion.md`` lists who is told
what, and when.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from tandem import access
from tandem.careers.models import Evidence, Outcome, PromotionCase, Verdict
from tandem.outbox.language import recipient_language
from tandem.outbox.services import Mail, mail_queue
from tandem.people.models import Organisation, Person


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


def _written_for(organisation: Organisation, to: Sequence[str]) -> AbstractContextManager[None]:
    """Word an email inside this: in its recipient's language, never the request's. Nobody to
    write to (``to`` empty) asks for no language."""
    language = recipient_language(organisation=organisation, email=to[0]) if to else None
    return translation.override(language)


def _queue(case_or_person: PromotionCase | Person, kind: str, messages: Iterable[Mail]) -> None:
    messages = [m for m in messages if m[3]]
    if messages:
        mail_queue(organisation=case_or_person.organisation, messages=messages, kind=kind)


def _level(case: PromotionCase) -> str:
    level = case.target_level
    return gettext("%(track)s, level %(number)s (%(title)s)") % {
        "track": level.track.name,
        "number": level.number,
        "title": level.title,
    }


def _hello(name: str) -> str:
    if name:
        return gettext("Hello %(name)s,") % {"name": name} + "\n\n"
    return gettext("Hello,") + "\n\n"


# --- promotion cases ---------------------------------------------------------------------------


def case_opened(*, case: PromotionCase, actor: Any) -> None:
    """Tell the candidate a case was opened for them, and their manager when someone else
    opened it (the candidate, the people team, a manager further up)."""
    who = _Actor.of(actor)
    candidate, manager = case.candidate, case.candidate.manager
    link = _link("careers:case", case.pk)
    to_candidate, to_manager = _to(candidate, who), _to(manager, who)
    with _written_for(case.organisation, to_candidate):
        values = {"actor": who.name, "level": _level(case)}
        opened = (
            gettext("%(actor)s opened a promotion case for you: %(level)s.")
            if who.name
            else gettext("A promotion case was opened for you: %(level)s.")
        ) % values
        for_candidate: Mail = (
            gettext("A promotion case has been opened for you"),
            _hello(candidate.name)
            + opened
            + "\n\n"
            + gettext(
                "A case argues, criterion by criterion and with your evidence, that you meet "
                "that level. You and your manager write it together; when it is ready, your "
                "manager proposes it, and the people team decides after the calibration "
                "session. Nothing is decided yet."
            )
            + f"\n\n{link}\n",
            None,
            to_candidate,
        )
    with _written_for(case.organisation, to_manager):
        values = {"actor": who.name, "name": candidate.name, "level": _level(case)}
        if who.is_(candidate):
            for_them = gettext("%(name)s opened their own promotion case: %(level)s.")
        elif who.name:
            for_them = gettext("%(actor)s opened a promotion case for %(name)s: %(level)s.")
        else:
            for_them = gettext("A promotion case was opened for %(name)s: %(level)s.")
        for_manager: Mail = (
            gettext("A promotion case has been opened in your team"),
            _hello(manager.name if manager else "")
            + for_them % values
            + "\n\n"
            + gettext(
                "As %(name)s's manager you argue it with them, criterion by criterion, and "
                "propose it for calibration when it is ready."
            )
            % values
            + f"\n\n{link}\n",
            None,
            to_manager,
        )
    _queue(case, "careers.case_opened", [for_candidate, for_manager])


def case_peer_asked(*, case: PromotionCase, peer: Person, actor: Any) -> None:
    """Tell a peer their input on a case is asked, with the link where they give it."""
    who = _Actor.of(actor)
    to_peer = _to(peer, who)
    with _written_for(case.organisation, to_peer):
        values = {
            "actor": who.name,
            "name": case.candidate.name,
            "level": _level(case),
            "link": _link("careers:case", case.pk, anchor="peers"),
        }
        own = who.is_(case.candidate)
        if who.name and own:
            asks = gettext(
                "%(actor)s asks for your input on their own promotion case for %(level)s."
            )
        elif who.name:
            asks = gettext(
                "%(actor)s asks for your input on %(name)s's promotion case for %(level)s."
            )
        elif own:
            asks = gettext("Your input is asked on their own promotion case for %(level)s.")
        else:
            asks = gettext("Your input is asked on %(name)s's promotion case for %(level)s.")
        message: Mail = (
            gettext("Your input is asked on a colleague's promotion case"),
            _hello(peer.name)
            + asks % values
            + "\n\n"
            + gettext(
                "Read the case and add a few words on what you have seen %(name)s do, on the "
                "case as a whole or on one criterion. %(name)s, their managers and the people "
                "team read your input with your name."
            )
            % values
            + "\n\n"
            + gettext("Give your input here: %(link)s") % values
            + "\n",
            None,
            to_peer,
        )
    _queue(case, "careers.peer_input_asked", [message])


def case_proposed(*, case: PromotionCase, actor: Any) -> None:
    """Tell the people who decide that a case waits for them, and the candidate that their case
    went forward."""
    who = _Actor.of(actor)
    candidate = case.candidate
    link = _link("careers:case", case.pk)
    deciders: list[Mail] = []
    for member in access.careers.who_decides_case(case):
        user, person = member.user, member.person
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue
        if person is not None and who.is_(person):
            continue
        with _written_for(case.organisation, [user.email]):
            values = {
                "actor": who.name,
                "name": candidate.name,
                "level": _level(case),
                "link": link,
                "calibration": _link("careers:calibration"),
            }
            proposed = (
                gettext("%(actor)s proposed %(name)s's promotion case for %(level)s.")
                if who.name
                else gettext("%(name)s's promotion case for %(level)s has been proposed.")
            )
            deciders.append(
                (
                    gettext("A promotion case is ready for calibration"),
                    _hello(person.name if person else user.full_name)
                    + proposed % values
                    + "\n\n"
                    + gettext(
                        "It now waits for a decision: discuss it in the calibration session, "
                        "then record a decision on each criterion, with a reason %(name)s can "
                        "read."
                    )
                    % values
                    + "\n\n"
                    + gettext("The case: %(link)s") % values
                    + "\n"
                    + gettext("The calibration session: %(calibration)s") % values
                    + "\n",
                    None,
                    [user.email],
                )
            )
    _queue(case, "careers.case_to_decide", deciders)
    to_candidate = _to(candidate, who)
    with _written_for(case.organisation, to_candidate):
        values = {"actor": who.name, "level": _level(case)}
        yours = (
            gettext("%(actor)s proposed your promotion case for %(level)s.")
            if who.name
            else gettext("Your promotion case for %(level)s has been proposed.")
        )
        message: Mail = (
            gettext("Your promotion case has been proposed for calibration"),
            _hello(candidate.name)
            + yours % values
            + " "
            + gettext(
                "The people team discusses it in the calibration session and decides; you "
                "will get an email when they have."
            )
            + f"\n\n{link}\n",
            None,
            to_candidate,
        )
    _queue(case, "careers.case_proposed", [message])


def _verdict_count(verdict: str, count: int, *, first: bool) -> str:
    """How many criteria got one verdict, as a clause of :func:`verdicts_in_words`: the first
    clause has its verb ("2 were met"), the others share it ("1 partly met")."""
    values = {"count": count}
    clauses: dict[str, str]
    if first:
        clauses = {
            Verdict.MET: ngettext("%(count)s was met", "%(count)s were met", count),
            Verdict.PARTLY: ngettext(
                "%(count)s was partly met", "%(count)s were partly met", count
            ),
            Verdict.NOT_YET: ngettext(
                "%(count)s was not yet met", "%(count)s were not yet met", count
            ),
        }
    else:
        clauses = {
            Verdict.MET: ngettext("%(count)s met", "%(count)s met", count),
            Verdict.PARTLY: ngettext("%(count)s partly met", "%(count)s partly met", count),
            Verdict.NOT_YET: ngettext("%(count)s not yet met", "%(count)s not yet met", count),
        }
    return clauses[verdict] % values


def verdicts_in_words(verdicts: Sequence[str]) -> str:
    """How the criteria of a case were decided, in one plain sentence, in the active language.

    >>> verdicts_in_words(["met", "partly", "not_yet", "met"])
    'Of the 4 criteria of the level, 2 were met, 1 partly met and 1 not yet met.'
    >>> verdicts_in_words(["met", "met", "met"])
    'All 3 criteria of the level were met.'
    >>> verdicts_in_words(["not_yet", "not_yet"])
    'Neither criterion of the level is met yet.'
    """
    total = len(verdicts)
    order = (Verdict.MET, Verdict.PARTLY, Verdict.NOT_YET)
    counts = [(v, verdicts.count(v)) for v in order if verdicts.count(v)]
    if not counts:
        return ""
    values = {"total": total}
    if len(counts) == 1:
        verdict = counts[0][0]
        if verdict == Verdict.NOT_YET:
            if total == 1:
                return gettext("The one criterion of the level is not yet met.")
            if total == 2:
                return gettext("Neither criterion of the level is met yet.")
            return (
                ngettext(
                    "None of the %(total)s criterion of the level is met yet.",
                    "None of the %(total)s criteria of the level is met yet.",
                    total,
                )
                % values
            )
        if verdict == Verdict.MET:
            if total == 1:
                return gettext("The one criterion of the level was met.")
            if total == 2:
                return gettext("Both criteria of the level were met.")
            return (
                ngettext(
                    "All %(total)s criterion of the level was met.",
                    "All %(total)s criteria of the level were met.",
                    total,
                )
                % values
            )
        if total == 1:
            return gettext("The one criterion of the level was partly met.")
        if total == 2:
            return gettext("Both criteria of the level were partly met.")
        return (
            ngettext(
                "All %(total)s criterion of the level was partly met.",
                "All %(total)s criteria of the level were partly met.",
                total,
            )
            % values
        )
    clauses = [
        _verdict_count(verdict, count, first=index == 0)
        for index, (verdict, count) in enumerate(counts)
    ]
    if len(clauses) == 2:
        return ngettext(
            "Of the %(total)s criterion of the level, %(first)s and %(last)s.",
            "Of the %(total)s criteria of the level, %(first)s and %(last)s.",
            total,
        ) % {**values, "first": clauses[0], "last": clauses[1]}
    return ngettext(
        "Of the %(total)s criterion of the level, %(first)s, %(second)s and %(last)s.",
        "Of the %(total)s criteria of the level, %(first)s, %(second)s and %(last)s.",
        total,
    ) % {**values, "first": clauses[0], "second": clauses[1], "last": clauses[2]}


def case_decided(
    *, case: PromotionCase, verdicts: Sequence[str], since: datetime.date, actor: Any
) -> None:
    """Tell the candidate and their manager the decision: the outcome, how each criterion was
    decided in a sentence, and the link to the reasons on the case."""
    who = _Actor.of(actor)
    candidate, manager = case.candidate, case.candidate.manager
    link = _link("careers:case", case.pk, anchor="decision")
    approved = case.outcome == Outcome.PROMOTED
    to_candidate, to_manager = _to(candidate, who), _to(manager, who)
    with _written_for(case.organisation, to_candidate):
        values = {"level": _level(case), "day": date_format(since, "j F Y")}
        criteria = verdicts_in_words(verdicts)
        if approved:
            decided = gettext(
                "The people team has decided your promotion case for %(level)s: approved."
            )
            for_candidate = (
                gettext("Congratulations: you are on that level from %(day)s.") % values
                + f"\n\n{criteria} "
                + gettext("Each criterion's decision and its reason are on the case:")
            )
        else:
            decided = gettext(
                "The people team has decided your promotion case for %(level)s: not yet."
            )
            for_candidate = f"{criteria} " + gettext(
                "The reasons on the case say what is still to show; read them, talk them over "
                "with your manager, and plan the next step together:"
            )
        to_them: Mail = (
            gettext("A decision on your promotion case"),
            _hello(candidate.name) + decided % values + f"\n\n{for_candidate}\n\n{link}\n",
            None,
            to_candidate,
        )
    with _written_for(case.organisation, to_manager):
        values = {"name": candidate.name, "level": _level(case)}
        criteria = verdicts_in_words(verdicts)
        decided = (
            gettext(
                "The people team has decided %(name)s's promotion case for %(level)s: approved."
            )
            if approved
            else gettext(
                "The people team has decided %(name)s's promotion case for %(level)s: not yet."
            )
        )
        to_their_manager: Mail = (
            gettext("A decision on a promotion case in your team"),
            _hello(manager.name if manager else "")
            + decided % values
            + f"\n\n{criteria} "
            + gettext("Read the reasons on the case, and talk them over with %(name)s:") % values
            + f"\n\n{link}\n",
            None,
            to_manager,
        )
    _queue(case, "careers.case_decided", [to_them, to_their_manager])


# --- evidence ----------------------------------------------------------------------------------


def evidence_endorsed(*, evidence: Evidence, endorser: Person, note: str, actor: Any) -> None:
    """Tell the author of an entry that someone endorsed it."""
    who = _Actor.of(actor)
    author = evidence.person
    to_author = _to(author, who) if author.pk != endorser.pk else []
    with _written_for(author.organisation, to_author):
        said = "\n" + gettext("Their word on it: %(note)s") % {"note": note} + "\n" if note else ""
        message: Mail = (
            gettext("Your evidence has been endorsed"),
            _hello(author.name)
            + gettext("%(name)s endorsed an accomplishment you logged:") % {"name": endorser.name}
            + f"\n\n{evidence.what}\n{said}\n"
            + gettext(
                "Endorsed evidence is what lets a criterion of a promotion case count as met: "
                "argued, with evidence someone else vouches for."
            )
            + f"\n\n{_link('careers:me', anchor=f'evidence-{evidence.pk}')}\n",
            None,
            to_author,
        )
    _queue(author, "careers.evidence_endorsed", [message])
