"""A new organisation's cascade page: one clear first step at the top, and teams layer by layer
from the top down, waiting calmly for the layer above instead of a wall of red."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role, User
from tandem.people.models import Organisation, Person
from tandem.vision.services import goal_create, vision_save
from tests.factories import make_organisation, make_person, make_user

DIRECTORS = ["Eve", "Bea", "Dov", "Cal", "Ann"]  # made in this order, not by name


@dataclass
class NewOrg:
    organisation: Organisation
    chief: Person
    directors: list[Person]
    managers: dict[int, list[Person]]  # director id -> managers
    hr: User
    chief_user: User
    employee: User


def _new_org() -> NewOrg:
    """A chief, five directors, five managers under each with four reports: 31 teams."""
    org = make_organisation("Newco")
    chief = make_person(org, "Cora Chief", title="Chief Executive")
    hr_person = make_person(org, "Hana People", manager=chief, title="People Partner")
    directors, managers = [], {}
    for name in DIRECTORS:
        director = make_person(org, f"{name} Director", manager=chief)
        directors.append(director)
        managers[director.pk] = []
        for k in range(5, 0, -1):
            manager = make_person(org, f"{name} Manager {k}", manager=director)
            managers[director.pk].append(manager)
            for j in range(4):
                make_person(org, f"{name} {k} Report {j}", manager=manager)
    employee = make_person(org, "Emma Employee", manager=managers[directors[0].pk][0])
    return NewOrg(
        organisation=org,
        chief=chief,
        directors=directors,
        managers=managers,
        hr=make_user(org, role=Role.PEOPLE_TEAM, person=hr_person),
        chief_user=make_user(org, person=chief),
        employee=make_user(org, person=employee),
    )


def _page(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("vision:cascade"))
    assert response.status_code == 200
    return response.content.decode()


def _first_step(page: str) -> str:
    """The first-step box as text, with its links' addresses and its step kept."""
    start = page.index('id="first-step"')
    box = page[start : page.index("</section>", start)]
    box = re.sub(r"</?(strong|p|h2)[^>]*>", " ", box)
    return re.sub(r"\s+", " ", box)


def _states(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-team="(\d+)" data-state="([a-z]+)"', page)


def _vision(org: NewOrg) -> None:
    vision_save(
        organisation=org.organisation,
        destination="Customers get what they need, weekly.",
        why="Trust.",
        actor=None,
    )


def test_a_new_organisation_starts_with_the_destination(db: None) -> None:
    org = _new_org()
    page = _page(org.hr)
    step = _first_step(page)
    assert 'data-step="vision"' in step and "Start here" in step
    assert "Write the destination." in step
    assert f'href="{reverse("vision:edit")}">Write the destination</a>' in step
    assert "Then: the top team (the team of Cora Chief) translates it." in step
    # Nobody is painted red: every team waits, the top for the vision, the rest for the top.
    assert "No translation yet" not in page and "health-untranslated" not in page
    states = _states(page)
    assert len(states) == 31 and {state for _, state in states} == {"waiting"}
    assert "Waiting for the vision" in page and "Waiting for the team above" in page
    assert 'id="health-summary"' not in page  # no goals: nothing to count yet


def test_teams_come_layer_by_layer_from_the_top(db: None) -> None:
    org = _new_org()
    page = _page(org.hr)
    ids = [int(team) for team, _ in _states(page)]
    by_name = sorted(org.directors, key=lambda d: d.name)
    expected = [org.chief.pk, *(d.pk for d in by_name)]
    for director in by_name:  # the managers, under their directors in the directors' order
        expected += [m.pk for m in sorted(org.managers[director.pk], key=lambda m: m.name)]
    assert ids == expected
    layers = re.findall(r'<tbody data-layer="(\d+)">', page)
    assert layers == ["1", "2", "3"]
    assert "Layer 1: the top" in page and "0 of 25 translated" in page


def test_someone_who_cannot_write_the_vision_is_told_who_does(db: None) -> None:
    org = _new_org()
    step = _first_step(_page(org.employee))
    assert "Write the destination." in step and "The people team writes it." in step
    assert reverse("vision:edit") not in step


def test_with_a_vision_the_top_team_translates_next(db: None) -> None:
    org = _new_org()
    _vision(org)
    page = _page(org.chief_user)
    step = _first_step(page)
    assert 'data-step="translate"' in step
    assert "The top team translates the vision." in step
    assert "The team of Cora Chief sets the goals that tie straight to the vision" in step
    assert "Add your team's goals" in step
    states = dict(_states(page))
    assert states.pop(str(org.chief.pk)) == "next"
    assert set(states.values()) == {"waiting"}
    assert "Next to translate" in page
    # Someone else sees the step but not a button for a team they cannot write for.
    assert "Add" not in _first_step(_page(org.employee))


def test_once_the_top_has_translated_the_next_layer_is_named(db: None) -> None:
    org = _new_org()
    _vision(org)
    goal_create(
        organisation=org.organisation,
        team=org.chief,
        owner=org.chief,
        title="Ship weekly",
        meaning="m",
        why="w",
        links_to_vision=True,
        actor=None,
    )
    page = _page(org.hr)
    step = _first_step(page)
    names = ", ".join(f"{n} Director" for n in sorted(DIRECTORS)[:4])
    assert f"5 teams in layer 2 can translate now: the teams of {names} and Eve Director." in step
    assert "Add their goals" in step
    states = dict(_states(page))
    assert states[str(org.chief.pk)] == "ok"
    assert {states[str(d.pk)] for d in org.directors} == {"next"}
    managers = [m for ms in org.managers.values() for m in ms]
    assert {states[str(m.pk)] for m in managers} == {"waiting"}
    assert 'id="health-summary"' in page


def test_the_deepest_gap_is_named_after_the_shallower_ones_close(db: None) -> None:
    org = _new_org()
    _vision(org)
    top = goal_create(
        organisation=org.organisation,
        team=org.chief,
        owner=org.chief,
        title="Ship weekly",
        meaning="m",
        why="w",
        links_to_vision=True,
        actor=None,
    )
    for director in org.directors:
        goal_create(
            organisation=org.organisation,
            team=director,
            owner=director,
            title=f"{director.name} ships",
            meaning="m",
            why="w",
            parents=[top],
            actor=None,
        )
    step = _first_step(_page(org.hr))
    assert "25 teams in layer 3 can translate now:" in step and "and 20 more." in step
