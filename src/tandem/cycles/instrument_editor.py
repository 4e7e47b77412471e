"""Editing a questionnaire's wording in a form, without touching YAML.

The form offers every scale's name and description, every question's first- and third-person
wording, and a "remove" box per rated question. Changes are applied to the YAML document and
the result is validated like any other edit (``instruments.instrument_update``); structural
changes (new scales, new questions, response scales) are made in the YAML editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from tandem.measure import InstrumentError
from tandem.measure.yamltext import load_yaml


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str
    long: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    fields: tuple[Field, ...]
    removable: bool


@dataclass(frozen=True)
class Part:
    title: str
    fields: tuple[Field, ...]
    questions: tuple[Question, ...]


def _document(text: str) -> dict[str, Any]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InstrumentError(f"the questionnaire's YAML cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise InstrumentError("the questionnaire's YAML is not a mapping")
    return data


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def editor_parts(text: str, typed: Mapping[str, str] | None = None) -> list[Part]:
    """The form: one part per rated scale, then the open questions. ``typed`` overrides values.

    >>> parts = editor_parts(
    ...     "rated: {scales: [{id: a, name: A, items: [{id: a1, self: I do, observer: They do}]}]}"
    ... )
    >>> [f.key for f in parts[0].fields], [f.value for f in parts[0].questions[0].fields]
    (['scale:a:name', 'scale:a:description'], ['I do', 'They do'])
    """
    typed = typed or {}
    data = _document(text)

    def field(key: str, label: str, value: Any, *, long: bool = False) -> Field:
        return Field(key, label, typed.get(key, _text(value)), long)

    parts: list[Part] = []
    for scale in (data.get("rated") or {}).get("scales") or []:
        sid = _text(scale.get("id"))
        questions = tuple(
            Question(
                id=_text(item.get("id")),
                fields=(
                    field(f"item:{item.get('id')}:self", "Self wording", item.get("self")),
                    field(
                        f"item:{item.get('id')}:observer", "Observer wording", item.get("observer")
                    ),
                ),
                removable=True,
            )
            for item in scale.get("items") or []
        )
        parts.append(
            Part(
                title=_text(scale.get("name")) or sid,
                fields=(
                    field(f"scale:{sid}:name", "Scale name", scale.get("name")),
                    field(
                        f"scale:{sid}:description",
                        "Description",
                        scale.get("description"),
                        long=True,
                    ),
                ),
                questions=questions,
            )
        )
    open_questions = tuple(
        Question(
            id=_text(q.get("id")),
            fields=(
                field(f"open:{q.get('id')}:self", "Self wording", q.get("self")),
                field(f"open:{q.get('id')}:observer", "Observer wording", q.get("observer")),
            ),
            removable=False,
        )
        for q in data.get("open_questions") or []
    )
    if open_questions:
        parts.append(Part(title="Open questions", fields=(), questions=open_questions))
    return parts


def apply_wording(text: str, typed: Mapping[str, str], removed: set[str]) -> str:
    """The YAML text with the typed wording applied and the removed questions left out."""
    data = _document(text)
    for scale in (data.get("rated") or {}).get("scales") or []:
        sid = scale.get("id")
        for attribute in ("name", "description"):
            key = f"scale:{sid}:{attribute}"
            if key in typed:
                scale[attribute] = typed[key].strip()
        kept = []
        for item in scale.get("items") or []:
            if item.get("id") in removed:
                continue
            for attribute in ("self", "observer"):
                key = f"item:{item.get('id')}:{attribute}"
                if key in typed:
                    item[attribute] = typed[key].strip()
            kept.append(item)
        scale["items"] = kept
    for question in data.get("open_questions") or []:
        for attribute in ("self", "observer"):
            key = f"open:{question.get('id')}:{attribute}"
            if key in typed:
                question[attribute] = typed[key].strip()
    dumped: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return dumped
