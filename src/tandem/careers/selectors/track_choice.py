"""Reads behind choosing a track: the person's latest motivation check."""

from __future__ import annotations

from tandem.careers.models import MotivationCheck
from tandem.people.models import Person


def motivation_latest(*, person: Person) -> MotivationCheck | None:
    return MotivationCheck.objects.filter(person=person).first()
