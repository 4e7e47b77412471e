"""Rewording a questionnaire copy in a form: saved when valid, nothing saved when not."""

from __future__ import annotations

from django.urls import reverse

from tandem.cycles.instruments import instrument_copy, instrument_default_install, instrument_of
from tests.access.test_matrix import client_for
from tests.conftest import Personas


def _copy(p: Personas):  # type: ignore[no-untyped-def]
    shipped = instrument_default_install(organisation=p.organisation, actor=None)
    return instrument_copy(version=shipped, name="Ours", actor=None)


def test_renaming_a_scale_and_rewording_a_question(personas: Personas) -> None:
    copy = _copy(personas)
    url = reverse("cycles:instrument_wording", args=[copy.pk])
    client = client_for("hr", personas)
    page = client.get(url).content.decode()
    assert 'name="scale:setting_direction:name:en"' in page and 'value="Setting direction"' in page
    response = client.post(
        url,
        {
            "scale:setting_direction:name:en": "Showing the way",
            "item:pb1:observer:en": "They write plans with steps, owners and dates.",
            "remove": ["pb6"],
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    instrument = instrument_of(copy)
    scale = next(s for s in instrument.scales if s.id == "setting_direction")
    assert scale.name == "Showing the way"
    assert instrument.items[0].observer_text == "They write plans with steps, owners and dates."
    assert "pb6" not in instrument.item_ids and len(instrument.item_ids) == 34


def test_an_invalid_edit_keeps_the_typing_and_saves_nothing(personas: Personas) -> None:
    copy = _copy(personas)
    before = copy.text
    url = reverse("cycles:instrument_wording", args=[copy.pk])
    response = client_for("hr", personas).post(
        url, {"scale:setting_direction:name:en": "", "item:pb1:self:en": "My own words"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was saved" in body
    assert 'value="My own words"' in body
    copy.refresh_from_db()
    assert copy.text == before


def test_a_launched_questionnaire_cannot_be_reworded(personas: Personas) -> None:
    from tests.cycles.builders import launched_cycle

    cycle = launched_cycle(personas)
    url = reverse("cycles:instrument_wording", args=[cycle.instrument.pk])
    response = client_for("hr", personas).post(url, {"scale:setting_direction:name:en": "X"})
    assert response.status_code == 302
    cycle.instrument.refresh_from_db()
    assert "X" not in instrument_of(cycle.instrument).scale_ids
    assert all(s.name != "X" for s in instrument_of(cycle.instrument).scales)


def test_yaml_nested_too_deep_or_with_aliases_is_refused_with_its_place(
    personas: Personas,
) -> None:
    copy = _copy(personas)
    before = copy.text
    url = reverse("cycles:instrument", args=[copy.pk])
    client = client_for("hr", personas)
    deep = "rated: " + "[" * 5000 + "]" * 5000
    aliases = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\nrated: [*b, *b]\n"
    for text, says in ((deep, "nested more than 40 levels"), (aliases, "aliases")):
        response = client.post(url, {"name": "Ours", "text": text})
        body = response.content.decode()
        assert response.status_code == 400, says
        assert says in body and ("line 1" in body or "line 2" in body)
        copy.refresh_from_db()
        assert copy.text == before


def test_each_language_has_its_own_field_and_keeps_the_others(personas: Personas) -> None:
    copy = _copy(personas)
    url = reverse("cycles:instrument_wording", args=[copy.pk])
    client = client_for("hr", personas)
    page = client.get(url).content.decode()
    assert 'name="scale:setting_direction:name:es"' in page and 'lang="ar"' in page
    response = client.post(url, {"scale:setting_direction:name:es": "Mostrar el camino"})
    assert response.status_code == 302
    copy.refresh_from_db()
    spanish = instrument_of(copy, "es")
    english = instrument_of(copy, "en-gb")
    assert next(s for s in spanish.scales if s.id == "setting_direction").name == (
        "Mostrar el camino"
    )
    assert next(s for s in english.scales if s.id == "setting_direction").name == (
        "Setting direction"
    )


def test_adding_a_language_starts_from_copies_of_the_first(personas: Personas) -> None:
    from tandem.cycles.instruments import instrument_update

    version = instrument_update(version=_copy(personas), name="Mini", text=MINI, actor=None)
    url = reverse("cycles:instrument_wording", args=[version.pk])
    client = client_for("hr", personas)
    assert 'value="de"' in client.get(url).content.decode()
    response = client.post(url, {"add_language": "de"})
    assert response.status_code == 302
    version.refresh_from_db()
    german = instrument_of(version, "de")
    assert german.languages == ("en", "de")
    assert german.items[0].self_text == "I plan."  # to be translated in the form
    client.post(url, {"item:p1:self:de": "Ich plane."})
    version.refresh_from_db()
    assert instrument_of(version, "de").items[0].self_text == "Ich plane."
    assert instrument_of(version, "en").items[0].self_text == "I plan."
    again = client.post(url, {"add_language": "de"})
    assert again.status_code == 400 and "already has Deutsch" in again.content.decode()


MINI = """
format: tandem-instrument/1
id: mini
version: 1
title: Mini
response_scales:
  f:
    min: 1
    max: 2
    labels: {1: Never, 2: Often}
    not_observed: {code: 0, label: Not seen}
rated:
  response_scale: f
  scales:
    - id: plan
      name: Planning
      items:
        - {id: p1, self: I plan., observer: They plan.}
        - {id: p2, self: I budget., observer: They budget.}
"""
