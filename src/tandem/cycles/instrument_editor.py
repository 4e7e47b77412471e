"""Editing a questionnaire's wording in a form, without touching YAML.

The form offers every scale's name and description, every question's first- and third-person
wording, in each of the questionnaire's languages, and a "remove" box per rated question; a
language can be added (its texts start as copies of the first language's, to be translated). Changes are applied to the YAML document and
the result is validated like any other edit (``instruments.instrument_update``); structural
changes (new scales, new questions, response scales) are made in the YAML editor.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext

from tandem.measure import InstrumentError
from tandem.measure.instrument import DEFAULT_LANGUAGES
from tandem.measure.yamltext import load_yaml
from tandem.web.language import language_name


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str
    long: bool = False
    language: str = DEFAULT_LANGUAGES[0]


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
        raise InstrumentError(
            gettext("the questionnaire's YAML cannot be read: %(problem)s") % {"problem": exc}
        ) from exc
    if not isinstance(data, dict):
        raise InstrumentError(gettext("the questionnaire's YAML is not a mapping"))
    return data


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def languages_of(data: Mapping[str, Any]) -> list[str]:
    """The document's languages (``languages:``), English when it lists none."""
    listed = data.get("languages")
    if isinstance(listed, list) and listed:
        return [str(code) for code in listed]
    return list(DEFAULT_LANGUAGES)


def _in(value: Any, language: str, languages: list[str]) -> str:
    """One language's version of a text that is either plain or one text per language."""
    if isinstance(value, Mapping):
        return _text(value.get(language))
    return _text(value) if language == languages[0] else ""


def editor_parts(text: str, typed: Mapping[str, str] | None = None) -> list[Part]:
    """The form: one part per rated scale, then the open questions. ``typed`` overrides values.
    Each text has one field per language of the questionnaire, keyed ``kind:id:part:language``.

    >>> parts = editor_parts(
    ...     "rated: {scales: [{id: a, name: A, items: [{id: a1, self: I do, observer: They do}]}]}"
    ... )
    >>> [f.key for f in parts[0].fields], [f.value for f in parts[0].questions[0].fields]
    (['scale:a:name:en', 'scale:a:description:en'], ['I do', 'They do'])
    """
    typed = typed or {}
    data = _document(text)
    languages = languages_of(data)

    def fields(key: str, label: str, value: Any, *, long: bool = False) -> tuple[Field, ...]:
        return tuple(
            Field(
                f"{key}:{code}",
                label
                if len(languages) == 1
                # Translators: a field of the wording editor and the language it is in.
                else gettext("%(field)s (%(language)s)")
                % {"field": label, "language": language_name(code)},
                typed.get(f"{key}:{code}", _in(value, code, languages)),
                long,
                code,
            )
            for code in languages
        )

    parts: list[Part] = []
    for scale in (data.get("rated") or {}).get("scales") or []:
        sid = _text(scale.get("id"))
        questions = tuple(
            Question(
                id=_text(item.get("id")),
                fields=(
                    *fields(
                        f"item:{item.get('id')}:self", gettext("Self wording"), item.get("self")
                    ),
                    *fields(
                        f"item:{item.get('id')}:observer",
                        gettext("Observer wording"),
                        item.get("observer"),
                    ),
                ),
                removable=True,
            )
            for item in scale.get("items") or []
        )
        parts.append(
            Part(
                title=_in(scale.get("name"), languages[0], languages) or sid,
                fields=(
                    *fields(f"scale:{sid}:name", gettext("Scale name"), scale.get("name")),
                    *fields(
                        f"scale:{sid}:description",
                        gettext("Description"),
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
                *fields(f"open:{q.get('id')}:self", gettext("Self wording"), q.get("self")),
                *fields(
                    f"open:{q.get('id')}:observer", gettext("Observer wording"), q.get("observer")
                ),
            ),
            removable=False,
        )
        for q in data.get("open_questions") or []
    )
    if open_questions:
        parts.append(Part(title=gettext("Open questions"), fields=(), questions=open_questions))
    return parts


def _put(
    container: dict[str, Any], key: str, value: str, language: str, languages: list[str]
) -> None:
    """Set one language's version of a text, keeping the others."""
    current = container.get(key)
    if isinstance(current, dict):
        current[language] = value
    elif len(languages) > 1:
        container[key] = {code: _text(current) for code in languages} | {language: value}
    elif language == languages[0]:
        container[key] = value


def _typed_for(typed: Mapping[str, str], key: str, languages: list[str]) -> dict[str, str]:
    return {code: typed[f"{key}:{code}"].strip() for code in languages if f"{key}:{code}" in typed}


def apply_wording(text: str, typed: Mapping[str, str], removed: set[str]) -> str:
    """The YAML text with the typed wording applied and the removed questions left out."""
    data = _document(text)
    languages = languages_of(data)

    def apply(container: dict[str, Any], key: str, attribute: str) -> None:
        for code, value in _typed_for(typed, key, languages).items():
            _put(container, attribute, value, code, languages)

    for scale in (data.get("rated") or {}).get("scales") or []:
        sid = scale.get("id")
        for attribute in ("name", "description"):
            apply(scale, f"scale:{sid}:{attribute}", attribute)
        kept = []
        for item in scale.get("items") or []:
            if item.get("id") in removed:
                continue
            for attribute in ("self", "observer"):
                apply(item, f"item:{item.get('id')}:{attribute}", attribute)
            kept.append(item)
        scale["items"] = kept
    for question in data.get("open_questions") or []:
        for attribute in ("self", "observer"):
            apply(question, f"open:{question.get('id')}:{attribute}", attribute)
    return _dump(data)


def language_add(text: str, code: str) -> str:
    """The YAML text with one more language, each of its texts starting as a copy of the first
    language's (to be translated in the form). Raises InstrumentError when it is there."""
    data = _document(text)
    languages = languages_of(data)
    if code in languages:
        raise InstrumentError(
            gettext("the questionnaire already has %(language)s")
            % {"language": language_name(code)}
        )
    for container, key in _text_slots(data):
        value = container[key]
        if isinstance(value, dict):
            value[code] = value.get(languages[0], "")
        else:
            container[key] = {languages[0]: value, code: value}
    ordered: dict[str, Any] = {}
    for key, value in data.items():
        if key != "languages":
            ordered[key] = value
        if key == "version":
            ordered["languages"] = [*languages, code]
    ordered.setdefault("languages", [*languages, code])
    return _dump(ordered)


def _text_slots(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Any]]:
    """Every text of an instrument document, as (container, key)."""

    def present(container: Any, *keys: Any) -> Iterator[tuple[dict[str, Any], Any]]:
        if isinstance(container, dict):
            for key in keys:
                if key in container and container[key] is not None:
                    yield container, key

    def items(part: Any) -> Iterator[tuple[dict[str, Any], Any]]:
        for item in (part or {}).get("items") or []:
            yield from present(item, "self", "observer")

    yield from present(data, "title", "description")
    for scale in (data.get("response_scales") or {}).values():
        if isinstance(scale, dict):
            yield from present(scale.get("labels"), *list((scale.get("labels") or {}).keys()))
            yield from present(scale.get("not_observed"), "label")
    for part_name in ("rated", "others_estimate"):
        part = data.get(part_name) or {}
        prompt = part.get("prompt")
        if isinstance(prompt, dict) and {"self", "observer"} & set(prompt):
            yield from present(prompt, "self", "observer")
        else:
            yield from present(part, "prompt")
        for scale in part.get("scales") or []:
            yield from present(scale, "name", "description")
            yield from items(scale)
        yield from items(part)
    for section in data.get("self_sections") or []:
        yield from present(section, "name", "prompt")
        for sub in section.get("subscales") or []:
            yield from present(sub, "name", "description")
            yield from items(sub)
    for question in data.get("open_questions") or []:
        yield from present(question, "self", "observer")


def _dump(data: Mapping[str, Any]) -> str:
    dumped: str = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=100)
    return dumped
