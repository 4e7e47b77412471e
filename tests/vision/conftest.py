"""A three-layer cascade on top of the Acme personas.

Vision  <- "Win the market" (team of Ada, owner Ada)
           <- "Ship weekly" (team of Manny, owner Manny)
              <- "Automate releases" (team of Tess, who reports to Manny, owner Tess)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tandem.accounts.models import User
from tandem.people.models import Person
from tandem.vision.models import Goal, Vision
from tandem.vision.services import goal_create, vision_save
from tests.conftest import Personas
from tests.factories import make_person, make_user


@dataclass
class Cascade:
    vision: Vision
    top: Goal
    middle: Goal
    bottom: Goal
    lead_person: Person
    lead: User


@pytest.fixture
def cascade(personas: Personas) -> Cascade:
    org = personas.organisation
    lead_person = make_person(org, "Tess Teamlead", manager=personas.manager_person)
    make_person(org, "Rory Report", manager=lead_person)
    vision = vision_save(
        organisation=org,
        destination="Every team ships what customers need, weekly.",
        why="Customers trust us when we keep our promises.",
        actor=personas.admin,
    )
    top = goal_create(
        organisation=org,
        team=personas.ceo,
        owner=personas.ceo,
        title="Win the market",
        meaning="We lead on reliability.",
        why="Reliability is why customers stay.",
        links_to_vision=True,
        actor=personas.admin,
    )
    middle = goal_create(
        organisation=org,
        team=personas.manager_person,
        owner=personas.manager_person,
        title="Ship weekly",
        meaning="Engineering releases every week.",
        why="Small releases break less.",
        parents=[top],
        actor=personas.manager,
    )
    bottom = goal_create(
        organisation=org,
        team=lead_person,
        owner=lead_person,
        title="Automate releases",
        meaning="One button releases.",
        why="Nobody loses a Friday to a release.",
        parents=[middle],
        actor=personas.hr,
    )
    return Cascade(
        vision=vision,
        top=top,
        middle=middle,
        bottom=bottom,
        lead_person=lead_person,
        lead=make_user(org, person=lead_person),
    )
