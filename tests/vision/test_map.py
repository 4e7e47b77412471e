"""The cascade map's data: the tree coloured by health, scores only where the reader may see."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tandem.vision.health import understanding_by_layer
from tandem.vision.services import (
    goal_update,
    hazard_acknowledge,
    hazard_raise,
    pulse_answer,
    pulse_open,
)
from tests.conftest import Personas
from tests.factories import make_person
from tests.vision.conftest import Cascade


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _find(node: dict[str, Any], name: str) -> dict[str, Any]:
    if node["name"] == name:
        return node
    for child in node.get("children", []):
        try:
            return _find(child, name)
        except KeyError:
            continue
    raise KeyError(name)


def test_the_map_data_is_the_cascade_from_the_vision_down(
    personas: Personas, cascade: Cascade
) -> None:
    data = _client(personas.employee).get(reverse("vision:map_data")).json()
    tree = data["tree"]
    assert tree["kind"] == "vision"
    top = tree["children"][0]
    assert top["name"] == "Win the market" and top["team"] == "Ada Admin"
    assert top["children"][0]["name"] == "Ship weekly"
    assert top["children"][0]["children"][0]["name"] == "Automate releases"
    assert top["url"] == reverse("vision:goal", args=[cascade.top.pk])


def test_the_map_colours_stale_unlinked_and_untranslated(
    personas: Personas, cascade: Cascade
) -> None:
    goal_update(
        goal=cascade.top,
        owner=personas.ceo,
        title="Win the market",
        meaning="We lead on reliability and speed.",
        why=cascade.top.why,
        parents=[],
        links_to_vision=True,
        actor=None,
    )
    goal_update(
        goal=cascade.bottom,
        owner=cascade.lead_person,
        title="Automate releases",
        meaning=cascade.bottom.meaning,
        why=cascade.bottom.why,
        parents=[],
        links_to_vision=False,
        actor=None,
    )
    lonely = make_person(personas.organisation, "Lou Lonely", manager=personas.ceo)
    make_person(personas.organisation, "Rae Report", manager=lonely)
    data = _client(personas.employee).get(reverse("vision:map_data")).json()
    tree = data["tree"]
    assert _find(tree, "Ship weekly")["health"] == "stale"
    unlinked = _find(tree, "No link upward")
    assert [c["name"] for c in unlinked["children"]] == ["Automate releases"]
    assert unlinked["children"][0]["health"] == "unlinked"
    untranslated = _find(tree, "Teams with no translation")
    assert "The team of Lou Lonely" in [c["name"] for c in untranslated["children"]]
    assert data["counts"]["stale"] == 1 and data["counts"]["unlinked"] == 1


def test_scores_reach_the_map_only_where_the_reader_may_see_them(
    personas: Personas, cascade: Cascade
) -> None:
    pulse = pulse_open(team=personas.manager_person, actor=None)
    third = make_person(personas.organisation, "Tia Third", manager=personas.manager_person)
    for person in [personas.employee_person, personas.sibling_person, third]:
        pulse_answer(pulse=pulse, person=person, answers=[2, 2, 2], actor=None)
    for_manager = _client(personas.manager).get(reverse("vision:map_data")).json()
    assert _find(for_manager["tree"], "Ship weekly")["score"] == 2.0
    # Manny may not see Ada's team's score: there is no pulse there, and it is above him.
    assert _find(for_manager["tree"], "Win the market")["score_note"] is None
    for_member = _client(personas.employee).get(reverse("vision:map_data")).json()
    assert _find(for_member["tree"], "Ship weekly")["score"] is None
    assert "2.0" not in str(for_member["layers"])
    for_hr = _client(personas.hr).get(reverse("vision:map_data")).json()
    assert _find(for_hr["tree"], "Win the market")["score_note"] == "no pulse yet"
    layer_two = next(layer for layer in for_hr["layers"] if layer["layer"] == 2)
    assert layer_two == {"layer": 2, "teams": 1, "scored": 1, "mean": 2.0, "breaks": True}


def test_leaders_see_open_hazards_on_the_map(personas: Personas, cascade: Cascade) -> None:
    hazard_raise(
        goal=cascade.middle,
        kind="blocker",
        severity=3,
        description="No licence.",
        raised_by=None,
        actor=None,
    )
    done = hazard_raise(
        goal=cascade.middle, kind="risk", severity=1, description="x", raised_by=None, actor=None
    )
    hazard_acknowledge(hazard=done, by=personas.manager_person, actor=None)
    for_leader = _client(personas.manager).get(reverse("vision:map_data")).json()
    assert _find(for_leader["tree"], "Ship weekly")["hazards"] == 1
    assert _find(for_leader["tree"], "Win the market")["hazards"] == 0
    for_member = _client(personas.employee).get(reverse("vision:map_data")).json()
    assert _find(for_member["tree"], "Ship weekly")["hazards"] is None


def test_a_hidden_score_says_why(personas: Personas, cascade: Cascade) -> None:
    pulse = pulse_open(team=personas.manager_person, actor=None)
    pulse_answer(pulse=pulse, person=personas.employee_person, answers=[5, 5, 5], actor=None)
    data = _client(personas.hr).get(reverse("vision:map_data")).json()
    node = _find(data["tree"], "Ship weekly")
    assert node["score"] is None and node["score_note"] == "hidden until 3 answer"


def test_the_map_page_loads_echarts_from_our_own_origin(personas: Personas) -> None:
    response = _client(personas.employee).get(reverse("vision:map"))
    page = response.content.decode()
    assert '/static/vendor/echarts/echarts.min.js"' in page
    assert '/static/vision/map.js"' in page
    assert "<script>" not in page  # no inline script: the CSP forbids it
    assert f'data-src="{reverse("vision:map_data")}"' in page


def test_understanding_breaks_where_a_layer_drops() -> None:
    layers = understanding_by_layer(
        team_layers={1: 1, 2: 2, 3: 3, 4: 3}, scores={1: 4.4, 2: 4.2, 3: 3.6}
    )
    assert [(x.layer, x.teams, x.scored, x.breaks) for x in layers] == [
        (1, 1, 1, False),
        (2, 1, 1, False),
        (3, 2, 1, True),
    ]


def test_a_layer_with_no_score_neither_breaks_nor_hides_a_drop_below_it() -> None:
    layers = understanding_by_layer(team_layers={1: 1, 2: 2, 3: 3}, scores={1: 4.5, 3: 3.9})
    assert [(x.mean, x.breaks) for x in layers] == [(4.5, False), (None, False), (3.9, True)]


def test_the_map_data_takes_a_fixed_number_of_queries(
    personas: Personas, cascade: Cascade, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = _client(personas.hr)
    with django_assert_max_num_queries(20):
        client.get(reverse("vision:map_data"))
