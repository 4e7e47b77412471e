"""Careers tells people what happened to them: a case opened for them or in their team, their
input asked, a case ready to decide, a decision, an endorsement. Never the person who acted,
never anyone outside the case, nobody without an address, and nothing when the change fails.

Acme: Ada Admin (CEO, admin) above Harriet Hr (people team) and Manny Manager, who manages
Emma Employee (the candidate) and Eli Employee (a peer). Otto Outsider is in Globex.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.careers.models import Outcome, PromotionCase, Verdict
from tandem.careers.services import (
    CriterionVerdict,
    case_decide,
    case_open,
    case_peer_add,
    case_propose,
    evidence_endorse,
    evidence_log,
    framework_default_install,
)
from tandem.careers.services._mail import verdicts_in_words
from tandem.outbox.models import OutgoingMail
from tandem.outbox.views import KINDS
from tandem.people.models import PersonStatus
from tests.conftest import Personas
from tests.factories import make_user

Capture = Callable[..., AbstractContextManager[Any]]

FIXED_SUBJECTS = {
    "A promotion case has been opened for you",
    "A promotion case has been opened in your team",
    "Your input is asked on a colleague's promotion case",
    "A promotion case is ready for calibration",
    "Your promotion case has been proposed for calibration",
    "A decision on your promotion case",
    "A decision on a promotion case in your team",
    "Your evidence has been endorsed",
}


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Capture) -> Iterator[Capture]:
    """Run what commits, then deliver its emails as the outbox does after the commit."""

    def run() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    yield run


def _sent() -> dict[str, mail.EmailMessage]:
    """Each delivered email by its one recipient; a recipient told twice fails the test."""
    by_address: dict[str, mail.EmailMessage] = {}
    for message in mail.outbox:
        (address,) = message.to
        assert address not in by_address, f"{address} was emailed twice"
        assert message.subject in FIXED_SUBJECTS, message.subject
        by_address[address] = message
    return by_address


def _kinds_after(mark: int) -> dict[str, str]:
    """Recipient -> kind of the emails queued after the row ``mark``."""
    return dict(OutgoingMail.objects.filter(pk__gt=mark).values_list("to", "kind"))


def _mark() -> int:
    last = OutgoingMail.objects.order_by("-pk").first()
    return last.pk if last else 0


def _case(p: Personas, actor: Any = None) -> PromotionCase:
    version = framework_default_install(organisation=p.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=3)
    return case_open(candidate=p.employee_person, target_level=level, actor=actor)


def _case_url(case: PromotionCase, anchor: str = "") -> str:
    url = f"{settings.SITE_URL}{reverse('careers:case', args=[case.pk])}"
    return f"{url}#{anchor}" if anchor else url


def _decide(case: PromotionCase, actor: Any, outcome: str = Outcome.NOT_YET) -> None:
    criteria = list(case.target_level.criteria.all())
    case_decide(
        case=case,
        verdicts=[
            CriterionVerdict(
                criterion=c, verdict=Verdict.MET if i == 0 else Verdict.NOT_YET, reason="Why."
            )
            for i, c in enumerate(criteria)
        ],
        outcome=outcome,
        reason="We read every criterion.",
        actor=actor,
    )


def _proposed(p: Personas) -> PromotionCase:
    case = _case(p)
    case_propose(case=case, actor=None)
    mail.outbox.clear()
    return case


# --- a case is opened ----------------------------------------------------------------------------


def test_it_emails_the_candidate_when_their_manager_opens_a_case(
    personas: Personas, capture: Capture
) -> None:
    with capture():
        case = _case(personas, actor=personas.manager)
    sent = _sent()
    assert set(sent) == {personas.employee_person.email}, "the manager opened it: not told"
    message = sent[personas.employee_person.email]
    assert message.subject == "A promotion case has been opened for you"
    assert "Manny Manager opened a promotion case for you" in message.body
    assert "Individual contributor, level 3" in message.body
    assert f"{_case_url(case)}\n" in message.body
    assert OutgoingMail.objects.get().kind == "careers.case_opened"


def test_it_emails_the_manager_when_the_candidate_opens_their_own_case(
    personas: Personas, capture: Capture
) -> None:
    with capture():
        case = _case(personas, actor=personas.employee)
    sent = _sent()
    assert set(sent) == {personas.manager_person.email}
    body = sent[personas.manager_person.email].body
    assert "Emma Employee opened their own promotion case" in body
    assert _case_url(case) in body


def test_it_emails_the_candidate_and_the_manager_when_the_people_team_opens_a_case(
    personas: Personas, capture: Capture
) -> None:
    with capture():
        _case(personas, actor=personas.hr)
    assert set(_sent()) == {personas.employee_person.email, personas.manager_person.email}


# --- a peer's input is asked ---------------------------------------------------------------------


def test_it_emails_the_peer_asked_for_input_with_the_link_where_they_give_it(
    personas: Personas, capture: Capture
) -> None:
    case = _case(personas)
    mail.outbox.clear()
    client = Client()
    client.force_login(personas.manager)
    with capture():
        client.post(
            reverse("careers:case_peer", args=[case.pk]),
            {"peer": str(personas.sibling_person.pk)},
        )
    sent = _sent()
    assert set(sent) == {personas.sibling_person.email}
    message = sent[personas.sibling_person.email]
    assert message.subject == "Your input is asked on a colleague's promotion case"
    assert "Manny Manager asks for your input on Emma Employee's promotion case" in message.body
    assert f"Give your input here: {_case_url(case, 'peers')}\n" in message.body
    # The link leads to the form where the peer gives it.
    peer = Client()
    peer.force_login(make_user(personas.organisation, person=personas.sibling_person))
    page = peer.get(reverse("careers:case", args=[case.pk])).content.decode()
    assert 'id="peers"' in page and reverse("careers:case_input", args=[case.pk]) in page

    # Asking the same peer again tells them nothing new.
    mail.outbox.clear()
    with capture():
        case_peer_add(case=case, peer=personas.sibling_person, actor=personas.manager)
    assert mail.outbox == []


def test_it_does_not_email_someone_who_asks_themself_for_input(
    personas: Personas, capture: Capture
) -> None:
    case = _case(personas)
    mail.outbox.clear()
    with capture():
        case_peer_add(case=case, peer=personas.manager_person, actor=personas.manager)
    assert mail.outbox == []


# --- a case is proposed --------------------------------------------------------------------------


def test_it_emails_the_people_team_and_the_candidate_when_a_case_is_proposed(
    personas: Personas, capture: Capture
) -> None:
    case = _case(personas)
    mail.outbox.clear()
    mark = _mark()
    with capture():
        case_propose(case=case, actor=personas.manager)
    sent = _sent()
    # Ada is an admin and could decide, but deciding is the people team's work; Manny acted.
    assert set(sent) == {personas.hr.email, personas.employee_person.email}
    to_decide = sent[personas.hr.email]
    assert to_decide.subject == "A promotion case is ready for calibration"
    assert "Manny Manager proposed Emma Employee's promotion case" in to_decide.body
    assert f"The case: {_case_url(case)}\n" in to_decide.body
    assert f"{settings.SITE_URL}{reverse('careers:calibration')}" in to_decide.body
    told = sent[personas.employee_person.email]
    assert told.subject == "Your promotion case has been proposed for calibration"
    assert "Manny Manager proposed your promotion case" in told.body
    assert _kinds_after(mark) == {
        personas.hr.email: "careers.case_to_decide",
        personas.employee_person.email: "careers.case_proposed",
    }


def test_it_emails_the_admins_when_there_is_no_people_team_to_decide(
    personas: Personas, capture: Capture
) -> None:
    membership = personas.hr.membership
    membership.role = Role.EMPLOYEE
    membership.save()
    case = _case(personas)
    mail.outbox.clear()
    with capture():
        case_propose(case=case, actor=personas.manager)
    assert set(_sent()) == {personas.admin.email, personas.employee_person.email}


def test_it_never_asks_the_candidate_to_decide_their_own_case(
    personas: Personas, capture: Capture
) -> None:
    version = framework_default_install(organisation=personas.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=3)
    case = case_open(candidate=personas.hr_person, target_level=level, actor=None)
    mail.outbox.clear()
    with capture():
        case_propose(case=case, actor=personas.admin)
    sent = _sent()
    # Harriet is the only people-team member and the candidate: she is told her case went
    # forward, and nobody else on the people team is left, so nobody is asked to decide.
    assert set(sent) == {personas.hr_person.email}
    assert sent[personas.hr_person.email].subject == (
        "Your promotion case has been proposed for calibration"
    )


# --- a case is decided ---------------------------------------------------------------------------


def test_it_emails_the_candidate_when_a_case_is_decided(
    personas: Personas, capture: Capture
) -> None:
    case = _proposed(personas)
    criteria = case.target_level.criteria.count()
    mark = _mark()
    with capture():
        _decide(case, personas.hr)
    sent = _sent()
    assert set(sent) == {personas.employee_person.email, personas.manager_person.email}
    message = sent[personas.employee_person.email]
    assert message.subject == "A decision on your promotion case"
    assert "decided your promotion case for Individual contributor, level 3" in message.body
    assert ": not yet.\n" in message.body
    assert (
        f"Of the {criteria} criteria of the level, 1 was met and {criteria - 1} not yet met."
        in message.body
    )
    assert f"{_case_url(case, 'decision')}\n" in message.body
    # The reasons stay on the case page, behind sign-in.
    assert "We read every criterion." not in message.body
    team = sent[personas.manager_person.email]
    assert team.subject == "A decision on a promotion case in your team"
    assert "decided Emma Employee's promotion case" in team.body
    assert _case_url(case, "decision") in team.body
    assert set(_kinds_after(mark).values()) == {"careers.case_decided"}


def test_it_congratulates_the_candidate_with_the_date_of_the_new_level(
    personas: Personas, capture: Capture
) -> None:
    case = _proposed(personas)
    with capture():
        criteria = list(case.target_level.criteria.all())
        case_decide(
            case=case,
            verdicts=[
                CriterionVerdict(criterion=c, verdict="met", reason="Yes.") for c in criteria
            ],
            outcome=Outcome.PROMOTED,
            reason="Shown throughout.",
            actor=personas.hr,
            today=datetime.date(2026, 7, 1),
        )
    body = _sent()[personas.employee_person.email].body
    assert ": approved.\n" in body
    assert "you are on that level from 1 July 2026" in body
    assert f"All {len(criteria)} criteria of the level were met." in body


def test_it_never_emails_the_decider_even_when_they_are_also_the_manager(
    personas: Personas, capture: Capture
) -> None:
    membership = personas.manager.membership
    membership.role = Role.PEOPLE_TEAM
    membership.save()
    case = _proposed(personas)
    with capture():
        _decide(case, personas.manager)
    assert set(_sent()) == {personas.employee_person.email}


def test_it_sends_nothing_when_the_decision_is_not_saved(
    personas: Personas, capture: Capture
) -> None:
    case = _proposed(personas)
    before = OutgoingMail.objects.count()
    with capture(), pytest.raises(RuntimeError), transaction.atomic():
        _decide(case, personas.hr)
        raise RuntimeError("the request failed after the decision")
    assert mail.outbox == []
    assert OutgoingMail.objects.count() == before
    case.refresh_from_db()
    assert case.status == "proposed"


def test_it_sends_nothing_when_opening_proposing_or_asking_fails(
    personas: Personas, capture: Capture
) -> None:
    for step in ("open", "peer", "propose"):
        with capture(), pytest.raises(RuntimeError), transaction.atomic():
            case = _case(personas, actor=personas.hr)
            if step != "open":
                case_peer_add(case=case, peer=personas.sibling_person, actor=personas.manager)
            if step == "propose":
                case_propose(case=case, actor=personas.manager)
            raise RuntimeError(step)
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()


# --- evidence is endorsed ------------------------------------------------------------------------


def test_it_emails_the_author_when_their_evidence_is_endorsed(
    personas: Personas, capture: Capture
) -> None:
    entry = evidence_log(
        person=personas.employee_person,
        what="Led the search rewrite",
        happened_on=datetime.date(2026, 4, 2),
        actor=personas.employee,
    )
    client = Client()
    client.force_login(personas.manager)
    with capture():
        client.post(reverse("careers:endorse", args=[entry.pk]), {"note": "I saw it ship"})
    sent = _sent()
    assert set(sent) == {personas.employee_person.email}
    message = sent[personas.employee_person.email]
    assert message.subject == "Your evidence has been endorsed"
    assert "Manny Manager endorsed an accomplishment you logged" in message.body
    assert "Led the search rewrite" in message.body
    assert "Their word on it: I saw it ship" in message.body
    link = f"{settings.SITE_URL}{reverse('careers:me')}#evidence-{entry.pk}"
    assert f"{link}\n" in message.body
    assert OutgoingMail.objects.get().kind == "careers.evidence_endorsed"
    page = Client()
    page.force_login(personas.employee)
    assert f'id="evidence-{entry.pk}"' in page.get(reverse("careers:me")).content.decode()


def test_it_sends_nothing_when_the_endorsement_is_refused(
    personas: Personas, capture: Capture
) -> None:
    entry = evidence_log(
        person=personas.employee_person,
        what="Led the search rewrite",
        happened_on=datetime.date(2026, 4, 2),
        actor=None,
    )
    evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
    mail.outbox.clear()
    client = Client()
    client.force_login(personas.manager)
    with capture():
        client.post(reverse("careers:endorse", args=[entry.pk]), {"note": "again"})
    assert mail.outbox == []


# --- who never hears ----------------------------------------------------------------------------


def test_people_without_an_address_or_who_have_left_get_nothing(
    personas: Personas, capture: Capture
) -> None:
    emma, manny = personas.employee_person, personas.manager_person
    emma.email = ""
    emma.save()
    manny.status = PersonStatus.ARCHIVED
    manny.save()
    with capture():
        case = _case(personas, actor=personas.hr)
        case_propose(case=case, actor=personas.admin)
        _decide(case, personas.hr)
    assert set(_sent()) == {personas.hr.email}, "only the people team, told to decide"


def test_outsiders_and_bystanders_hear_nothing_of_a_whole_case(
    personas: Personas, capture: Capture
) -> None:
    """From opening to decision, with a peer asked and evidence endorsed: every email goes to
    someone in the case, every subject is fixed, every kind has a label on the undelivered page,
    and entry titles never reach a header."""
    with capture():
        entry = evidence_log(
            person=personas.employee_person,
            what="Shipped it\nBcc: everyone@example.org",
            happened_on=datetime.date(2026, 4, 2),
            actor=personas.employee,
        )
        evidence_endorse(evidence=entry, endorser=personas.sibling_person, actor=None)
        case = _case(personas, actor=personas.employee)
        case_peer_add(case=case, peer=personas.sibling_person, actor=personas.employee)
        case_propose(case=case, actor=personas.manager)
        _decide(case, personas.hr)
    addresses = [m.to[0] for m in mail.outbox]
    asked = next(
        m for m in mail.outbox if m.to == [personas.sibling_person.email] and "input" in m.subject
    )
    assert "Emma Employee asks for your input on their own promotion case" in asked.body
    assert personas.outsider.email not in addresses
    assert personas.outsider_person.email not in addresses
    assert personas.admin.email not in addresses  # there is a people team
    assert set(addresses) == {
        personas.employee_person.email,
        personas.manager_person.email,
        personas.sibling_person.email,
        personas.hr.email,
    }
    assert all(m.subject in FIXED_SUBJECTS for m in mail.outbox)
    assert all("\n" not in m.subject for m in mail.outbox)
    kinds = set(OutgoingMail.objects.values_list("kind", flat=True))
    assert kinds == {
        "careers.evidence_endorsed",
        "careers.case_opened",
        "careers.peer_input_asked",
        "careers.case_to_decide",
        "careers.case_proposed",
        "careers.case_decided",
    }
    assert kinds <= set(KINDS)


def test_the_criteria_are_told_in_one_plain_sentence() -> None:
    assert verdicts_in_words(["met", "partly", "not_yet", "met"]) == (
        "Of the 4 criteria of the level, 2 were met, 1 partly met and 1 not yet met."
    )
    assert verdicts_in_words(["met", "met", "met"]) == "All 3 criteria of the level were met."
    assert verdicts_in_words(["met", "met"]) == "Both criteria of the level were met."
    assert verdicts_in_words(["partly"]) == "The one criterion of the level was partly met."
    assert verdicts_in_words(["not_yet"]) == "The one criterion of the level is not yet met."
    assert verdicts_in_words(["not_yet"] * 2) == "Neither criterion of the level is met yet."
    assert verdicts_in_words(["not_yet"] * 5) == "None of the 5 criteria of the level is met yet."
    assert verdicts_in_words(["partly", "not_yet"]) == (
        "Of the 2 criteria of the level, 1 was partly met and 1 not yet met."
    )
