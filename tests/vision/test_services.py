"""Writes to the cascade: audited, flag the layers below, and email their owners on commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from tandem.audit.models import AuditEvent
from tandem.vision.health import Health
from tandem.vision.selectors import cascade_get
from tandem.vision.services import (
    CascadeLoop,
    goal_confirm,
    goal_create,
    goal_update,
    key_result_add,
    key_result_progress,
    vision_save,
)
from tests.conftest import Personas
from tests.vision.conftest import Cascade


def _health(personas: Personas) -> dict[str, Health]:
    found = cascade_get(organisation=personas.organisation)
    titles = {n.goal.pk: n.goal.title for n in _walk(found.roots + found.unlinked)}
    return {titles[i]: h for i, h in found.health.goals.items()}


def _walk(nodes: list[Any]) -> list[Any]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.children))
    return out


def _update(goal: Any, actor: Any, **changes: Any) -> Any:
    fields = {
        "owner": goal.owner,
        "title": goal.title,
        "meaning": goal.meaning,
        "why": goal.why,
        "parents": list(goal.parents.all()),
        "links_to_vision": goal.links_to_vision,
    }
    return goal_update(goal=goal, actor=actor, **{**fields, **changes})


def test_a_fresh_cascade_is_aligned(personas: Personas, cascade: Cascade) -> None:
    assert set(_health(personas).values()) == {Health.OK}


def test_the_vision_is_audited_with_old_and_new_words(personas: Personas, cascade: Cascade) -> None:
    vision_save(
        organisation=personas.organisation,
        destination="A new destination.",
        why=cascade.vision.why,
        actor=personas.hr,
    )
    event = AuditEvent.objects.filter(action="vision.vision_save").first()
    assert event is not None and event.actor == personas.hr
    assert event.changes == {
        "destination": ["Every team ships what customers need, weekly.", "A new destination."]
    }


def test_saving_the_same_vision_changes_nothing(personas: Personas, cascade: Cascade) -> None:
    before = cascade.vision.updated_at
    vision_save(
        organisation=personas.organisation,
        destination=cascade.vision.destination,
        why=cascade.vision.why,
        actor=personas.hr,
    )
    cascade.vision.refresh_from_db()
    assert cascade.vision.updated_at == before
    assert AuditEvent.objects.filter(action="vision.vision_save").count() == 1


def test_a_vision_change_flags_every_layer_and_emails_every_owner(
    personas: Personas, cascade: Cascade, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vision_save(
            organisation=personas.organisation,
            destination="Be the most trusted.",
            why="Trust compounds.",
            actor=personas.admin,
        )
    assert set(_health(personas).values()) == {Health.STALE}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [personas.ceo.email, personas.manager_person.email, cascade.lead_person.email]
    )
    assert "The vision changed above goals you own" in mail.outbox[0].body


def test_stating_the_vision_asks_goals_written_before_it_to_check(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    goal_create(
        organisation=personas.organisation,
        team=personas.ceo,
        owner=personas.ceo,
        title="Early goal",
        meaning="m",
        why="w",
        links_to_vision=True,
        actor=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        vision_save(organisation=personas.organisation, destination="Up.", why="Why.", actor=None)
    assert _health(personas) == {"Early goal": Health.STALE}
    assert [m.to for m in mail.outbox] == [[personas.ceo.email]]


def test_no_email_is_sent_when_the_transaction_rolls_back(
    personas: Personas, cascade: Cascade, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vision_save(
            organisation=personas.organisation,
            destination="Be the most trusted.",
            why="Trust compounds.",
            actor=personas.admin,
        )
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_changing_a_goal_flags_only_the_goals_below_it(
    personas: Personas, cascade: Cascade, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _update(cascade.middle, personas.manager, meaning="Engineering releases every day.")
    assert _health(personas) == {
        "Win the market": Health.OK,
        "Ship weekly": Health.OK,
        "Automate releases": Health.STALE,
    }
    assert [m.to for m in mail.outbox] == [[cascade.lead_person.email]]
    assert "Automate releases" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="vision.goal_update")
    assert event.changes == {
        "meaning": ["Engineering releases every week.", "Engineering releases every day."]
    }


def test_a_title_with_a_line_break_cannot_break_the_email(
    personas: Personas, cascade: Cascade, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _update(cascade.middle, personas.manager, title="Ship\nBcc: someone@example.org")
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


def test_relinking_without_new_words_flags_nothing_below(
    personas: Personas, cascade: Cascade, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _update(cascade.middle, personas.manager, links_to_vision=True)
    assert Health.STALE not in _health(personas).values()
    assert mail.outbox == []


def test_confirming_clears_one_layer_at_a_time(personas: Personas, cascade: Cascade) -> None:
    _update(cascade.top, personas.admin, title="Lead the market")
    assert _health(personas)["Automate releases"] == Health.STALE
    goal_confirm(goal=cascade.middle, actor=personas.manager)
    assert _health(personas) == {
        "Lead the market": Health.OK,
        "Ship weekly": Health.OK,
        "Automate releases": Health.STALE,
    }
    goal_confirm(goal=cascade.bottom, actor=cascade.lead)
    assert set(_health(personas).values()) == {Health.OK}
    assert AuditEvent.objects.filter(action="vision.goal_confirm").count() == 2


def test_a_goal_cannot_sit_above_itself(personas: Personas, cascade: Cascade) -> None:
    with pytest.raises(CascadeLoop, match="is below 'Win the market' already"):
        _update(cascade.top, personas.admin, parents=[cascade.bottom])
    assert list(cascade.top.parents.all()) == []


def test_goals_cannot_reach_into_another_organisation(personas: Personas, cascade: Cascade) -> None:
    with pytest.raises(ValueError, match="not in Acme"):
        goal_create(
            organisation=personas.organisation,
            team=personas.outsider_person,
            owner=personas.ceo,
            title="Theirs",
            meaning="m",
            why="w",
            links_to_vision=True,
            actor=personas.admin,
        )


def test_a_goal_with_no_link_upward_is_unlinked(personas: Personas, cascade: Cascade) -> None:
    goal_create(
        organisation=personas.organisation,
        team=personas.manager_person,
        owner=personas.employee_person,
        title="Tidy the wiki",
        meaning="m",
        why="w",
        actor=personas.manager,
    )
    found = cascade_get(organisation=personas.organisation)
    assert [n.goal.title for n in found.unlinked] == ["Tidy the wiki"]
    rows = {row.team.name: row.health for row in found.teams}
    assert rows["Manny Manager"] == Health.UNLINKED


def test_key_results_track_progress_and_are_audited(personas: Personas, cascade: Cascade) -> None:
    kr = key_result_add(
        goal=cascade.middle,
        title="Releases this quarter",
        target=Decimal(12),
        current=Decimal(3),
        actor=personas.manager,
    )
    assert kr.progress == 25
    kr = key_result_progress(key_result=kr, current=Decimal(15), actor=personas.manager)
    assert kr.progress == 100
    event = AuditEvent.objects.get(action="vision.key_result_progress")
    assert event.changes == {"current": ["3.00", "15"]}
    assert Health.STALE not in _health(personas).values()


def test_the_cascade_reads_in_a_fixed_number_of_queries(
    personas: Personas, cascade: Cascade, django_assert_num_queries: Any
) -> None:
    for i in range(5):
        key_result_add(
            goal=cascade.bottom, title=f"KR {i}", target=Decimal(1), current=Decimal(0), actor=None
        )
        goal_create(
            organisation=personas.organisation,
            team=cascade.lead_person,
            owner=cascade.lead_person,
            title=f"Extra {i}",
            meaning="m",
            why="w",
            parents=[cascade.bottom, cascade.middle],
            actor=None,
        )
    with django_assert_num_queries(6):
        found = cascade_get(organisation=personas.organisation)
        nodes = _walk(found.roots)
        for node in nodes:
            list(node.goal.key_results.all())
            _ = node.goal.team.name, node.goal.owner.name
    assert len(nodes) == 3 + 10


def test_another_organisation_sees_none_of_it(personas: Personas, cascade: Cascade) -> None:
    found = cascade_get(organisation=personas.other_organisation)
    assert found.vision is None
    assert found.roots == [] and found.unlinked == []
    assert found.health.goals == {}
