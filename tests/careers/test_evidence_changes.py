"""Editing and deleting one's own evidence: only the author, never once it is part of a case
under review, and no edits once someone has endorsed it (deleting stays possible)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem import access
from tandem.audit.models import AuditEvent
from tandem.careers.models import (
    CaseArgument,
    CaseStatus,
    Criterion,
    Endorsement,
    Evidence,
    FrameworkVersion,
    PromotionCase,
)
from tandem.careers.services import (
    CareersError,
    case_argue,
    case_open,
    case_propose,
    evidence_delete,
    evidence_endorse,
    evidence_log,
    evidence_update,
    framework_default_install,
)
from tests.conftest import Personas

MARCH = datetime.date(2026, 3, 1)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _framework(p: Personas) -> FrameworkVersion:
    return framework_default_install(organisation=p.organisation, actor=None)


def _target_criteria(version: FrameworkVersion) -> list[Criterion]:
    return list(version.tracks.get(key="ic").levels.get(number=3).criteria.all())


def _entry(p: Personas, criteria: list[Criterion] | None = None) -> Evidence:
    return evidence_log(
        person=p.employee_person,
        what="Ran the incident review",
        happened_on=MARCH,
        link="https://example.org/review",
        details="Wrote it up the same week.",
        criteria=criteria or [],
        actor=None,
    )


def _linked_case(p: Personas, version: FrameworkVersion, entry: Evidence) -> PromotionCase:
    """A case for the employee whose first criterion's argument links ``entry``."""
    level = version.tracks.get(key="ic").levels.get(number=3)
    case = case_open(candidate=p.employee_person, target_level=level, actor=None)
    case_argue(
        case=case,
        criterion=_target_criteria(version)[0],
        text="Does this consistently.",
        evidence=[entry],
        author=p.manager_person,
        actor=None,
    )
    return case


def _rewrite(entry: Evidence, actor: object, **fields: object) -> Evidence:
    values: dict[str, object] = {
        "what": "Led the incident review",
        "happened_on": entry.happened_on,
        "link": entry.link,
        "details": entry.details,
        "criteria": list(entry.criteria.all()),
    }
    values.update(fields)
    return evidence_update(evidence=entry, actor=actor, **values)  # type: ignore[arg-type]


# --- the rules, at the services --------------------------------------------------------------


def test_the_author_edits_their_entry_and_the_change_is_audited(personas: Personas) -> None:
    version = _framework(personas)
    first, second = _target_criteria(version)[:2]
    entry = _entry(personas, [first])
    _rewrite(
        entry,
        personas.employee,
        happened_on=datetime.date(2026, 2, 1),
        criteria=[first, second],
    )
    entry.refresh_from_db()
    assert entry.what == "Led the incident review"
    assert entry.happened_on == datetime.date(2026, 2, 1)
    assert set(entry.criteria.all()) == {first, second}
    event = AuditEvent.objects.get(action="careers.evidence_update")
    assert event.actor == personas.employee
    # Old and new values of what changed, and nothing about what did not.
    assert event.changes == {
        "what": ["Ran the incident review", "Led the incident review"],
        "happened_on": ["2026-03-01", "2026-02-01"],
        "criteria": [[first.pk], sorted([first.pk, second.pk])],
    }


@pytest.mark.parametrize("who", ["manager", "hr", "admin", "outsider"])
def test_nobody_but_the_author_edits_or_deletes_an_entry(personas: Personas, who: str) -> None:
    _framework(personas)
    entry = _entry(personas)
    user = getattr(personas, who)
    with pytest.raises(CareersError, match="Only the person who logged an entry"):
        _rewrite(entry, user)
    with pytest.raises(CareersError, match="Only the person who logged an entry"):
        evidence_delete(evidence=entry, actor=user)
    entry.refresh_from_db()
    assert entry.what == "Ran the incident review"
    assert not AuditEvent.objects.filter(
        action__in=["careers.evidence_update", "careers.evidence_delete"]
    ).exists()


def test_the_system_cannot_edit_an_entry_either(personas: Personas) -> None:
    _framework(personas)
    with pytest.raises(CareersError, match="Only the person who logged an entry"):
        _rewrite(_entry(personas), None)


@pytest.mark.parametrize("status", [CaseStatus.PROPOSED, CaseStatus.DECIDED])
def test_an_entry_in_a_case_under_review_stays_as_it_is(personas: Personas, status: str) -> None:
    version = _framework(personas)
    entry = _entry(personas, _target_criteria(version)[:1])
    case = _linked_case(personas, version, entry)
    case_propose(case=case, actor=None)
    PromotionCase.objects.filter(pk=case.pk).update(status=status)
    with pytest.raises(CareersError, match="part of a case under review"):
        _rewrite(entry, personas.employee)
    with pytest.raises(CareersError, match="part of a case under review"):
        evidence_delete(evidence=entry, actor=personas.employee)
    assert Evidence.objects.filter(pk=entry.pk, what="Ran the incident review").exists()


def test_an_entry_in_a_case_still_being_written_can_change(personas: Personas) -> None:
    version = _framework(personas)
    entry = _entry(personas, _target_criteria(version)[:1])
    case = _linked_case(personas, version, entry)
    _rewrite(entry, personas.employee)
    evidence_delete(evidence=entry, actor=personas.employee)
    # The draft case keeps its argument, without the deleted entry.
    argument = CaseArgument.objects.get(case=case)
    assert list(argument.evidence.all()) == []


def test_an_endorsed_entry_cannot_be_edited_but_can_be_deleted(personas: Personas) -> None:
    _framework(personas)
    entry = _entry(personas)
    entry_id = entry.pk
    evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
    with pytest.raises(CareersError, match="has been endorsed") as refused:
        _rewrite(entry, personas.employee)
    assert "Log a new entry" in str(refused.value)
    evidence_delete(evidence=entry, actor=personas.employee)
    assert not Evidence.objects.exists()
    assert not Endorsement.objects.exists()
    event = AuditEvent.objects.get(action="careers.evidence_delete")
    assert event.actor == personas.employee
    assert (event.target_id, event.target_label) == (str(entry_id), "Ran the incident review")
    assert event.changes["what"] == "Ran the incident review"
    assert event.changes["happened_on"] == "2026-03-01"
    assert event.changes["endorsements"] == ["Manny Manager"]


def test_criteria_of_an_earlier_version_are_kept_but_not_added(personas: Personas) -> None:
    old = _framework(personas)
    kept = _target_criteria(old)[0]
    entry = _entry(personas, [kept])
    new = _framework(personas)
    current = _target_criteria(new)[0]
    _rewrite(entry, personas.employee, criteria=[kept, current])
    assert set(entry.criteria.all()) == {kept, current}
    with pytest.raises(CareersError, match="current framework version"):
        _rewrite(entry, personas.employee, criteria=[_target_criteria(old)[1]])


def test_the_rules_over_many_entries_cost_one_query(personas: Personas) -> None:
    version = _framework(personas)
    entries = [_entry(personas) for _ in range(5)]
    evidence_endorse(evidence=entries[0], endorser=personas.manager_person, actor=None)
    case = _linked_case(personas, version, entries[1])
    case_propose(case=case, actor=None)
    listed = list(Evidence.objects.prefetch_related("endorsements").order_by("pk"))
    access.person_of(personas.employee)  # the membership is cached on the user
    with CaptureQueriesContext(connection) as queries:
        changes = access.careers.evidence_changes(personas.employee, listed)
    assert len(queries) == 1
    assert (changes[entries[0].pk].can_edit, changes[entries[0].pk].can_delete) == (False, True)
    assert (changes[entries[1].pk].can_edit, changes[entries[1].pk].can_delete) == (False, False)
    assert all(changes[e.pk].can_edit for e in entries[2:])


# --- the pages -------------------------------------------------------------------------------


def test_the_edit_form_starts_from_the_entry(personas: Personas) -> None:
    version = _framework(personas)
    criterion = _target_criteria(version)[0]
    entry = _entry(personas, [criterion])
    response = _client(personas.employee).get(reverse("careers:evidence_edit", args=[entry.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["what"].value() == "Ran the incident review"
    assert form["happened_on"].value() == MARCH
    assert form["link"].value() == "https://example.org/review"
    assert form["criteria"].value() == [criterion.pk]
    page = response.content.decode()
    assert 'value="Ran the incident review"' in page
    assert re.search(rf'name="criteria" value="{criterion.pk}" id="[^"]+" checked', page)
    assert page.count(" checked>") == 1


def test_an_invalid_edit_shows_the_errors_and_keeps_the_typing(personas: Personas) -> None:
    _framework(personas)
    entry = _entry(personas)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _client(personas.employee).post(
        reverse("careers:evidence_edit", args=[entry.pk]),
        {"what": "Led the review, half-typed", "happened_on": tomorrow.isoformat(), "link": "x y"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "in the future" in page
    assert "valid URL" in page
    assert 'value="Led the review, half-typed"' in page
    entry.refresh_from_db()
    assert entry.what == "Ran the incident review"
    assert not AuditEvent.objects.filter(action="careers.evidence_update").exists()


def test_a_valid_edit_goes_back_to_the_entry(personas: Personas) -> None:
    _framework(personas)
    entry = _entry(personas)
    response = _client(personas.employee).post(
        reverse("careers:evidence_edit", args=[entry.pk]),
        {"what": "Led the incident review", "happened_on": "2026-03-02"},
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('careers:me')}#evidence-{entry.pk}"
    entry.refresh_from_db()
    assert (entry.what, entry.link, entry.details) == ("Led the incident review", "", "")


def test_delete_asks_first_and_deletes_only_on_the_confirming_post(personas: Personas) -> None:
    version = _framework(personas)
    entry = _entry(personas, _target_criteria(version)[:1])
    evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
    _linked_case(personas, version, entry)
    client = _client(personas.employee)
    url = reverse("careers:evidence_delete", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "Delete this accomplishment?" in page
    assert "Its endorsements go with it: Manny Manager." in page
    assert "case still being written" in page
    assert '<form method="post"' in page
    assert Evidence.objects.filter(pk=entry.pk).exists()
    response = client.post(url, follow=True)
    assert "Deleted &#x27;Ran the incident review&#x27;." in response.content.decode()
    assert not Evidence.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action="careers.evidence_delete").count() == 1


def test_others_are_refused_at_the_pages(personas: Personas) -> None:
    _framework(personas)
    entry = _entry(personas)
    for name in ("careers:evidence_edit", "careers:evidence_delete"):
        url = reverse(name, args=[entry.pk])
        assert _client(personas.manager).post(url, {"what": "Mine now"}).status_code == 403
        assert _client(personas.hr).post(url).status_code == 403
        assert _client(personas.outsider).post(url).status_code == 404
    assert Evidence.objects.filter(pk=entry.pk, what="Ran the incident review").exists()


def test_an_entry_under_review_sends_the_author_back_with_the_reason(personas: Personas) -> None:
    version = _framework(personas)
    entry = _entry(personas, _target_criteria(version)[:1])
    case_propose(case=_linked_case(personas, version, entry), actor=None)
    client = _client(personas.employee)
    for name in ("careers:evidence_edit", "careers:evidence_delete"):
        response = client.post(reverse(name, args=[entry.pk]), {"what": "New"}, follow=True)
        assert "part of a case under review" in response.content.decode()
    assert Evidence.objects.filter(pk=entry.pk, what="Ran the incident review").exists()


def test_my_growth_page_offers_edit_and_delete_only_where_they_are_allowed(
    personas: Personas,
) -> None:
    _framework(personas)
    plain = _entry(personas)
    endorsed = evidence_log(
        person=personas.employee_person, what="Mentored Eli", happened_on=MARCH, actor=None
    )
    evidence_endorse(evidence=endorsed, endorser=personas.manager_person, actor=None)
    page = _client(personas.employee).get(reverse("careers:me")).content.decode()
    assert reverse("careers:evidence_edit", args=[plain.pk]) in page
    assert reverse("careers:evidence_delete", args=[plain.pk]) in page
    assert reverse("careers:evidence_edit", args=[endorsed.pk]) not in page
    assert reverse("careers:evidence_delete", args=[endorsed.pk]) in page
    assert "it can no longer be edited" in page
    # Someone else reading the same entries gets no Edit or Delete.
    other = _client(personas.manager).get(
        reverse("careers:person", args=[personas.employee_person.pk])
    )
    assert reverse("careers:evidence_delete", args=[plain.pk]) not in other.content.decode()
