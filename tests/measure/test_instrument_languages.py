"""Instruments in several languages: one text per language, the same ids and scoring in all."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tandem.measure import InstrumentError, load_instrument, parse_instrument


def bilingual() -> dict[str, Any]:
    return {
        "format": "tandem-instrument/1",
        "id": "mini",
        "version": 1,
        "languages": ["en", "es"],
        "title": {"en": "Mini", "es": "Mini (es)"},
        "response_scales": {
            "f": {
                "min": 1,
                "max": 2,
                "labels": {1: {"en": "Never", "es": "Nunca"}, 2: {"en": "Often", "es": "A menudo"}},
                "not_observed": {"code": 0, "label": {"en": "Not seen", "es": "No lo he visto"}},
            }
        },
        "rated": {
            "response_scale": "f",
            "scales": [
                {
                    "id": "plan",
                    "name": {"en": "Planning", "es": "Planificación"},
                    "items": [
                        {
                            "id": "p1",
                            "self": {"en": "I plan.", "es": "Planifico."},
                            "observer": {"en": "They plan.", "es": "Planifica."},
                        },
                        {
                            "id": "p2",
                            "self": {"en": "I budget.", "es": "Presupuesto."},
                            "observer": {"en": "They budget.", "es": "Presupuesta."},
                            "reverse": True,
                        },
                    ],
                }
            ],
        },
    }


def refusal(doc: dict[str, Any], **kwargs: Any) -> str:
    with pytest.raises(InstrumentError) as info:
        parse_instrument(doc, source="mini.yaml", **kwargs)
    return str(info.value)


def test_it_keeps_the_first_language_unless_asked() -> None:
    english = parse_instrument(bilingual())
    spanish = parse_instrument(bilingual(), language="es")
    assert (english.language, english.languages) == ("en", ("en", "es"))
    assert english.title == "Mini" and spanish.title == "Mini (es)"
    assert spanish.items[0].self_text == "Planifico."
    assert spanish.items[1].observer_text == "Presupuesta."
    assert spanish.response_scale().labels == ("Nunca", "A menudo")
    assert spanish.response_scale().not_observed_label == "No lo he visto"
    assert spanish.scales[0].name == "Planificación"


def test_scoring_is_the_same_in_every_language() -> None:
    english = parse_instrument(bilingual())
    spanish = parse_instrument(bilingual(), language="es")
    assert english.item_ids == spanish.item_ids
    assert english.scale_ids == spanish.scale_ids
    assert (english.reverse_mask() == spanish.reverse_mask()).all()
    assert (english.scale_matrix() == spanish.scale_matrix()).all()


def test_a_text_missing_in_any_language_is_refused_whichever_is_asked_for() -> None:
    doc = bilingual()
    del doc["rated"]["scales"][0]["items"][1]["observer"]["es"]
    expected = "mini.yaml: scale 'plan', item 'p2', 'observer' text: has no 'es' text"
    assert refusal(copy.deepcopy(doc)).startswith(expected)
    assert refusal(copy.deepcopy(doc), language="en").startswith(expected)


def test_a_plain_string_in_a_multilingual_file_is_refused() -> None:
    doc = bilingual()
    doc["rated"]["scales"][0]["name"] = "Planning"
    assert refusal(doc) == (
        "mini.yaml: scale 'plan', name: expected one text for each language (en, es)"
    )


def test_a_language_not_listed_is_refused() -> None:
    doc = bilingual()
    doc["title"]["de"] = "Mini (de)"
    assert refusal(doc) == "mini.yaml: title: 'de' is not one of the languages listed (en, es)"


def test_asking_for_a_language_the_file_lacks_says_which_it_has() -> None:
    assert refusal(bilingual(), language="ar") == (
        "mini.yaml: languages: has no 'ar' texts (it has: en, es)"
    )


def test_language_codes_are_checked() -> None:
    doc = bilingual()
    doc["languages"] = ["en", "Spanish"]
    assert "'Spanish' is not a language code" in refusal(doc)
    doc["languages"] = ["en", "en"]
    assert refusal(doc) == ("mini.yaml: language 'en': appears more than once; ids must be unique")


def test_one_listed_language_takes_plain_strings() -> None:
    doc = copy.deepcopy(bilingual())
    doc["languages"] = ["es"]
    doc["title"] = "Mini"
    doc["response_scales"]["f"]["labels"] = {1: "Nunca", 2: "A menudo"}
    with pytest.raises(InstrumentError, match="label"):
        parse_instrument(doc)
    doc["response_scales"]["f"]["not_observed"]["label"] = "No lo he visto"
    scale = doc["rated"]["scales"][0]
    scale["name"] = "Planificación"
    for item in scale["items"]:
        item["self"], item["observer"] = item["self"]["es"], item["observer"]["es"]
    instrument = parse_instrument(doc)
    assert (instrument.language, instrument.title) == ("es", "Mini")


def test_the_shipped_instrument_comes_in_four_languages_with_the_same_items() -> None:
    english = load_instrument("tandem-lm-1")
    assert english.languages == ("en", "es", "de", "ar")
    for code in english.languages[1:]:
        other = load_instrument("tandem-lm-1", language=code)
        assert other.item_ids == english.item_ids
        assert [i.id for i in other.all_items] == [i.id for i in english.all_items]
        assert other.title != english.title
        texts = [item.self_text for item in other.all_items]
        assert len(set(texts)) == len(texts), "each item has its own text"
        assert not set(texts) & {item.self_text for item in english.all_items}
