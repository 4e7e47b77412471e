"""Instruments as data: the shipped Tandem L&M v1 and what a broken file tells you."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tandem.measure import InstrumentError, load_instrument, parse_instrument, shipped_instruments
from tandem.measure.instrument import FORMAT

SHIPPED = (
    Path(__file__).resolve().parents[2] / "src" / "tandem" / "instruments" / "tandem-lm-1.yaml"
)


def document() -> dict[str, Any]:
    return yaml.safe_load(SHIPPED.read_text())


def every(text: str) -> dict[str, str]:
    """The same text in each of the shipped instrument's languages."""
    return dict.fromkeys(document()["languages"], text)


def broken(change: Any) -> str:
    doc = copy.deepcopy(document())
    change(doc)
    with pytest.raises(InstrumentError) as info:
        parse_instrument(doc, source="lm.yaml")
    return str(info.value)


def test_the_shipped_instrument_has_six_kotter_scales() -> None:
    inst = load_instrument("tandem-lm-1")
    assert inst.scale_ids == (
        "planning_budgeting",
        "organising_staffing",
        "controlling_problem_solving",
        "setting_direction",
        "aligning_people",
        "motivating_inspiring",
    )
    assert {s.role for s in inst.scales[:3]} == {"management"}
    assert {s.role for s in inst.scales[3:]} == {"leadership"}
    assert inst.index("management") == inst.scale_ids[:3]
    assert inst.index("leadership") == inst.scale_ids[3:]


def test_each_scale_has_five_or_six_items_with_both_voices() -> None:
    inst = load_instrument("tandem-lm-1")
    for scale in inst.scales:
        assert 5 <= len(scale.items) <= 6
        assert any(item.reverse for item in scale.items)
        for item in scale.items:
            assert item.self_text.startswith("I ")
            assert item.observer_text is not None and item.observer_text.startswith("They ")


def test_the_response_scale_has_labels_and_not_observed() -> None:
    rs = load_instrument("tandem-lm-1").response_scale()
    assert (rs.minimum, rs.maximum, rs.points) == (1, 5, 5)
    assert len(rs.labels) == 5
    assert rs.not_observed_code == 0 and rs.not_observed_label


def test_self_only_parts_are_present() -> None:
    inst = load_instrument("tandem-lm-1")
    sections = {s.id: [sub.id for sub in s.subscales] for s in inst.self_sections}
    assert sections["motivation_to_manage"] == ["developing_people", "advancement_status"]
    assert sections["track_interests"] == [
        "hands_on_expertise",
        "owning_an_area",
        "developing_people",
    ]
    assert [e.scale for e in inst.others_estimate] == list(inst.scale_ids)
    assert [q.id for q in inst.open_questions] == ["keep", "start", "stop"]
    assert all(item.observer_text is None for item in inst.self_items)


def test_it_is_listed_and_loads_from_a_path(tmp_path: Path) -> None:
    assert "tandem-lm-1" in shipped_instruments()
    copy_path = tmp_path / "copy.yaml"
    copy_path.write_text(SHIPPED.read_text())
    assert load_instrument(copy_path).item_ids == load_instrument("tandem-lm-1").item_ids


def test_a_missing_file_says_which_instruments_exist() -> None:
    with pytest.raises(InstrumentError, match=r"no such instrument file.*tandem-lm-1"):
        load_instrument("nope.yaml")


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(InstrumentError, match=r"bad\.yaml: not valid YAML"):
        load_instrument(path)


def test_it_names_the_item_missing_observer_text() -> None:
    message = broken(lambda d: d["rated"]["scales"][2]["items"][2].pop("observer"))
    assert message == (
        "lm.yaml: scale 'controlling_problem_solving', item 'cp3', 'observer' text: "
        "expected one text for each language (en, es, de, ar)"
    )


def test_it_names_a_misspelt_key() -> None:
    message = broken(lambda d: d["rated"]["scales"][0]["items"][0].update(revrse=True))
    assert "scale 'planning_budgeting', item 1: unknown key 'revrse'" in message


def test_it_names_a_duplicate_item() -> None:
    message = broken(lambda d: d["rated"]["scales"][1]["items"][0].update(id="pb1"))
    assert "item 'pb1': appears more than once" in message


def test_it_names_an_unknown_index_scale() -> None:
    message = broken(lambda d: d["indices"]["leadership"].append("vision"))
    assert "indices, leadership: unknown scale 'vision'" in message


def test_a_scale_cannot_be_in_both_indices() -> None:
    message = broken(lambda d: d["indices"]["management"].append("setting_direction"))
    assert "already in 'leadership'" in message


def test_it_checks_the_response_scale() -> None:
    assert "labels must cover exactly the answers 1..5" in broken(
        lambda d: d["response_scales"]["frequency"]["labels"].pop(3)
    )
    assert "must lie outside 1..5" in broken(
        lambda d: d["response_scales"]["frequency"]["not_observed"].update(code=3)
    )
    assert "rated items need a 'not_observed' answer" in broken(
        lambda d: d["response_scales"]["frequency"].pop("not_observed")
    )
    assert "unknown response scale 'stars'" in broken(
        lambda d: d["self_sections"][0].update(response_scale="stars")
    )


def test_it_checks_reverse_flags_roles_and_format() -> None:
    assert "'reverse' must be true or false" in broken(
        lambda d: d["rated"]["scales"][0]["items"][0].update(reverse="no")
    )
    assert "role must be one of management, leadership" in broken(
        lambda d: d["rated"]["scales"][0].update(role="boss")
    )
    assert f"expected {FORMAT!r}" in broken(lambda d: d.update(format="v0"))
    assert "scale 'planning_budgeting', items: expected a list of at least 2" in broken(
        lambda d: d["rated"]["scales"][0].update(items=d["rated"]["scales"][0]["items"][:1])
    )


def test_it_checks_estimates_and_open_questions() -> None:
    assert "others_estimate, item 'est_planning_budgeting': unknown scale 'plan'" in broken(
        lambda d: d["others_estimate"]["items"][0].update(scale="plan")
    )
    assert "open question 'start', 'observer' text" in broken(
        lambda d: d["open_questions"][1].pop("observer")
    )
    assert "at most 3 open questions" in broken(
        lambda d: d["open_questions"].append(
            {"id": "more", "self": every("x"), "observer": every("y")}
        )
    )
