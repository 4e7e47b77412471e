"""A seeded nomination survey whose informal leader is known in advance.

Engineering: Mona Manager manages Ines Influencer, Oona Optout and four engineers.
Sales: Sam Salesboss manages Bram Bridge and four sellers.

The engineers go to Ines for direction and energy, and to Mona to get things done. The sellers
go to Sam for direction and to Bram to get things done. Ines and Bram turn to each other: the
one bridge between the departments. Three engineers named Oona, who then opted out.
"""

from __future__ import annotations

from dataclasses import dataclass

from tandem.people.models import Organisation, Person
from tandem.vision.models import NominationSurvey
from tandem.vision.services import network_opt_out, nominations_save, survey_open
from tests.factories import make_person


@dataclass
class SeededNetwork:
    survey: NominationSurvey
    mona: Person
    ines: Person
    oona: Person
    sam: Person
    bram: Person
    engineers: list[Person]
    sellers: list[Person]


def seed_network(organisation: Organisation, *, top: Person | None = None) -> SeededNetwork:
    def eng(name: str, manager: Person | None) -> Person:
        return make_person(organisation, name, manager=manager, department="Engineering")

    def sales(name: str, manager: Person | None) -> Person:
        return make_person(organisation, name, manager=manager, department="Sales")

    mona = eng("Mona Manager", top)
    ines = eng("Ines Influencer", mona)
    oona = eng("Oona Optout", mona)
    engineers = [eng(f"Engineer {n}", mona) for n in range(1, 5)]
    sam = sales("Sam Salesboss", top)
    bram = sales("Bram Bridge", sam)
    sellers = [sales(f"Seller {n}", sam) for n in range(1, 5)]
    survey = survey_open(organisation=organisation, actor=None)
    for n, person in enumerate(engineers):
        choices = {"direction": [ines], "energy": [ines], "done": [mona]}
        if n < 3:
            choices["energy"] = [ines, oona]
        nominations_save(survey=survey, nominator=person, choices=choices, actor=None)
    for person in sellers:
        nominations_save(
            survey=survey,
            nominator=person,
            choices={"direction": [sam], "done": [bram]},
            actor=None,
        )
    nominations_save(survey=survey, nominator=ines, choices={"done": [bram]}, actor=None)
    nominations_save(survey=survey, nominator=bram, choices={"direction": [ines]}, actor=None)
    network_opt_out(person=oona, actor=None)
    return SeededNetwork(survey, mona, ines, oona, sam, bram, engineers, sellers)
